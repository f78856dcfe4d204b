package io.sparkfunc.udfs;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.udfs.model.Model;

/**
 * The state of a gradient-sum aggregate ({@code grad_sum}, {@code dp_clipped_grad_sum}): rows are
 * buffered into blocks and run through the engine a block at a time ({@link BlockState}, see
 * NOTE [flush before serialization] there); the state keeps the running sum {@code f64[P]}.
 *
 * <p>The model, parameters and clip norm come with each row and must be the same for every row
 * of a group.
 */
public final class GradSumState extends BlockState {
  private static final long serialVersionUID = 2L;

  private double clip = Double.NaN;
  private double[] sum;

  /** An empty state for the function {@code where} (named in errors), with blocks of {@link #BLOCK_BYTES}. */
  public GradSumState(String where) {
    this(where, BLOCK_BYTES);
  }

  /** An empty state whose blocks hold about {@code blockBytes} of per-sample work (at least one row). */
  public GradSumState(String where, long blockBytes) {
    super(where, "params", blockBytes);
  }

  /**
   * Adds one row. {@code clip} is the per-sample L2 bound, or {@code +inf} for a plain sum.
   * Rows are checked here, so a bad row fails with the argument it came from.
   */
  public void add(String modelSpec, double[] rowParams, double[] features, Double label, double clip) {
    useClip(clip);
    addRow(modelSpec, rowParams, features, label, true);
  }

  /**
   * Adds the rows {@code rows} (e.g. a step's sample, {@link PoissonSample}) of a block held
   * flat: {@code features: f64[n*d]} row-major, {@code labels: f64[n]}, {@code rows: i32[m]}
   * indices into the block. The block's shape and the group's model and parameters are checked
   * even when {@code rows} is empty; the rows go through the same pending blocks as {@link #add}.
   */
  public void addBlock(String modelSpec, double[] groupParams, double[] features, double[] labels, int[] rows,
      double clip) {
    useClip(clip);
    addBlockRows(modelSpec, groupParams, features, labels, rows);
  }

  /**
   * Rows per block of this state for {@code model} with blocks of {@code blockBytes} of work
   * ({@link PerSample#gradSumBytesPerRow}): a good size for blocks of cached rows too.
   */
  public static int rowsPerBlock(Model model, long blockBytes) {
    return rowsPerBlock(blockBytes, PerSample.of(model).gradSumBytesPerRow());
  }

  /** Merges {@code other} into this state and returns this (both are flushed first). */
  public GradSumState merge(GradSumState other) {
    mergeFrom(other);
    return this;
  }

  /** The sum after flushing: {@code f64[P]}, or null when no row was added. */
  public double[] sum() {
    flush();
    return sum == null ? null : sum.clone();
  }

  @Override
  protected void absorb(Model model, Tensor theta, Block block) {
    PerSample ps = PerSample.of(model);
    Tensor add = Double.isInfinite(clip) ? ps.gradSum(theta, block) : ps.clippedSum(theta, block, clip);
    sum = addTo(sum, add.toDoubleArray());
  }

  @Override
  protected void combine(BlockState other, long rows) {
    GradSumState o = (GradSumState) other;
    if (rows == 0) {
      clip = o.clip;
    } else {
      requireClip(o.clip);
    }
    sum = addTo(sum, o.sum);
  }

  @Override
  protected long bytesPerRow(Model model) {
    return PerSample.of(model).gradSumBytesPerRow();
  }

  @Override
  protected void checkParams(Model model, double[] groupParams) {
    Inputs.checkParams(where, model, groupParams);
  }

  @Override
  protected Object[] accumulators() {
    return new Object[] {clip, sum};
  }

  @Override
  protected void restoreAccumulators(Object[] values) {
    clip = (Double) values[0];
    sum = (double[]) values[1];
  }

  /**
   * {@code state} itself, or the state that serialized as {@code state} (NOTE [JDK-only serial
   * form] in {@link BlockState}).
   */
  public static GradSumState of(Object state) {
    return of(state, GradSumState.class, GradSumState::new);
  }

  /** The group's clip norm: taken from its first row, then required of every row. */
  private void useClip(double clipNorm) {
    if (spec() == null) {
      this.clip = clipNorm;
    } else {
      requireClip(clipNorm);
    }
  }

  private void requireClip(double clipNorm) {
    if (Double.compare(clipNorm, clip) != 0) {
      throw new BadInput(where, "clip_norm", "one clip norm per group (" + clip + ")", String.valueOf(clipNorm),
          "pass the clip norm as a literal");
    }
  }

  private static double[] addTo(double[] acc, double[] add) {
    if (acc == null) {
      return add.clone();
    }
    for (int i = 0; i < add.length; i++) {
      acc[i] += add[i];
    }
    return acc;
  }
}
