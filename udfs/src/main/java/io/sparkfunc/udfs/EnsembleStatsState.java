package io.sparkfunc.udfs;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;

/**
 * The state of {@code ensemble_stats}: for {@code S} weight samples {@code theta_s} of a model
 * and the {@code n} rows of a group, the predictions {@code p[s,i,:] = predict(theta_s, x_i)}
 * ({@code f64[k]} each) summarised per output unit {@code j}:
 *
 * <ul>
 *   <li>{@code mean[j] = mean over all (s, i) of p[s,i,j]}: the group's predictive mean;
 *   <li>{@code var[j] = mean over all (s, i) of (p[s,i,j] - mean[j])^2}: the total (population)
 *       variance over weight samples and rows;
 *   <li>{@code epistemicVar[j] = mean over i of var_s(p[s,i,j])}: the average disagreement
 *       between weight samples on one row (population variance over s), the part of {@code var}
 *       that comes from weight uncertainty; by the law of total variance {@code var =
 *       epistemicVar + var_i(mean_s p[s,i,j])}.
 * </ul>
 *
 * <p>Rows are buffered into blocks and run through {@code vmap(vmap(predict))} over (samples,
 * rows) a block at a time ({@link BlockState}); block summaries merge with Chan et al.'s parallel
 * formulas ({@code n = na + nb, delta = mean_b - mean_a, mean = mean_a + delta nb/n, M2 = M2_a +
 * M2_b + delta^2 na nb / n}), so partial states merge in any order and grouping. The samples are
 * checked and stacked once per group ({@code f64[S,P]}).
 */
public final class EnsembleStatsState extends BlockState {
  private static final long serialVersionUID = 1L;

  private int samples;
  private long rows;
  private double[] mean;
  private double[] m2;
  private double[] epistemicSum;
  private transient double[][] lastSamples;
  private transient double[] lastFlat;

  /** An empty state for {@code where} (named in errors), with blocks of {@link #BLOCK_BYTES}. */
  public EnsembleStatsState(String where) {
    this(where, BLOCK_BYTES);
  }

  /** An empty state whose blocks hold about {@code blockBytes} of per-row work (at least one row). */
  public EnsembleStatsState(String where, long blockBytes) {
    super(where, "param_samples", blockBytes);
  }

  /**
   * Adds one row: {@code paramSamples} is {@code S} flat parameter vectors ({@code f64[S][P]},
   * the same for every row of a group; the same array object is checked once), {@code features}
   * {@code f64[d]}.
   */
  public void add(String modelSpec, double[][] paramSamples, double[] features) {
    if (paramSamples != lastSamples || lastFlat == null) {
      lastFlat = Inputs.checkSamples(where, Models.parse(modelSpec), paramSamples);
      lastSamples = paramSamples;
      if (spec() == null) {
        samples = paramSamples.length;
      }
    }
    addRow(modelSpec, lastFlat, features, null, false);
  }

  /** Merges {@code other} into this state and returns this (both are flushed first). */
  public EnsembleStatsState merge(EnsembleStatsState other) {
    mergeFrom(other);
    return this;
  }

  /** The predictive mean per output unit, {@code f64[k]}, or null when no row was added. */
  public double[] mean() {
    flush();
    return mean == null ? null : mean.clone();
  }

  /** The total variance over (sample, row) predictions per output unit, {@code f64[k]}, or null. */
  public double[] variance() {
    flush();
    return scaled(m2, (double) rows * samples);
  }

  /** The mean over rows of the variance over samples per output unit, {@code f64[k]}, or null. */
  public double[] epistemicVariance() {
    flush();
    return scaled(epistemicSum, rows);
  }

  @Override
  protected void absorb(Model model, Tensor thetas, Block block) {
    Tensor preds = PerSample.of(model).ensemblePredictions(thetas, block);
    long n = block.size();
    Tensor blockMean = preds.mean(false, 0, 1);
    double[] bMean = blockMean.toDoubleArray();
    double[] bM2 = preds.sub(blockMean).pow(2).sum(false, 0, 1).toDoubleArray();
    double[] bEpi = PerSample.momentsOverSamples(preds)[1].sum(false, 0).toDoubleArray();
    accumulate(n, bMean, bM2, bEpi);
  }

  @Override
  protected void combine(BlockState other, long before) {
    EnsembleStatsState o = (EnsembleStatsState) other;
    if (before == 0) {
      samples = o.samples;
    }
    accumulate(o.rows, o.mean, o.m2, o.epistemicSum);
  }

  @Override
  protected long bytesPerRow(Model model) {
    return bytesPerRow(model, Math.max(samples, 1));
  }

  /** Bytes of engine work per row for {@code samples} weight samples: {@code 8 (d + S (d + k))}. */
  public static long bytesPerRow(Model model, int samples) {
    return 8L * (model.numFeatures() + (long) samples * (model.numFeatures() + model.numOutputs()));
  }

  @Override
  protected void checkParams(Model model, double[] groupParams) {
    // checked and stacked by Inputs.checkSamples in add
  }

  @Override
  protected Tensor paramsTensor(Model model, double[] groupParams) {
    return Tensors.of(groupParams, groupParams.length / model.numParams(), model.numParams());
  }

  /** Chan's merge of a summary of {@code nb} rows ({@code nb * samples} predictions) into this one. */
  @Override
  protected Object[] accumulators() {
    return new Object[] {samples, rows, mean, m2, epistemicSum};
  }

  @Override
  protected void restoreAccumulators(Object[] values) {
    samples = (Integer) values[0];
    rows = (Long) values[1];
    mean = (double[]) values[2];
    m2 = (double[]) values[3];
    epistemicSum = (double[]) values[4];
  }

  /**
   * {@code state} itself, or the state that serialized as {@code state} (NOTE [JDK-only serial
   * form] in {@link BlockState}).
   */
  public static EnsembleStatsState of(Object state) {
    return of(state, EnsembleStatsState.class, EnsembleStatsState::new);
  }

  private void accumulate(long nb, double[] bMean, double[] bM2, double[] bEpi) {
    if (rows == 0) {
      mean = bMean.clone();
      m2 = bM2.clone();
      epistemicSum = bEpi.clone();
      rows = nb;
      return;
    }
    double na = (double) rows * samples;
    double nbPred = (double) nb * samples;
    double n = na + nbPred;
    for (int j = 0; j < mean.length; j++) {
      double delta = bMean[j] - mean[j];
      mean[j] += delta * nbPred / n;
      m2[j] += bM2[j] + delta * delta * na * nbPred / n;
      epistemicSum[j] += bEpi[j];
    }
    rows += nb;
  }

  private static double[] scaled(double[] v, double by) {
    if (v == null) {
      return null;
    }
    double[] out = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = v[j] / by;
    }
    return out;
  }
}
