package io.sparkfunc.udfs;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The state of a gradient-sum aggregate ({@code grad_sum}, {@code dp_clipped_grad_sum}): rows are
 * buffered into a {@link Block} and run through the engine a block at a time; the state keeps the
 * running sum {@code f64[P]} and the row count.
 *
 * <p>NOTE [flush before serialization]. Spark may serialize an aggregation buffer at any moment
 * (at the shuffle, and whenever a grouped aggregate with more than 128 groups per partition falls
 * back to sort mode). The pending block is transient, so serialization ({@code writeReplace})
 * flushes it first, and {@link #merge} and {@link #sum} flush both sides: rows are never lost, and
 * never silently.
 *
 * <p>NOTE [JDK-only serial form]. A state serializes as an {@code Object[]} of JDK values, and
 * {@link #of} turns that back into a state. Spark's executors deserialize aggregation buffers
 * with the class loader that loaded Spark ({@code V2Aggregator.deserialize}), which cannot see a
 * jar shipped with {@code spark.jars}/{@code --jars}: a serial form naming this class failed on a
 * cluster with {@code ClassNotFoundException: io.sparkfunc.udfs.GradSumState}.
 *
 * <p>The model, parameters and clip norm come with each row and must be the same for every row
 * of a group (they are checked by reference first, then by value).
 */
public final class GradSumState implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bytes of per-sample work per block (rows * (P + d) * 8), from {@code -Dsparkfunc.block.bytes}. */
  public static final long BLOCK_BYTES = Long.getLong("sparkfunc.block.bytes", 4L << 20);

  private final String where;
  private final long blockBytes;
  private String spec;
  private double[] params;
  private double clip;
  private double[] sum;
  private long count;
  private transient Model model;
  private transient Tensor theta;
  private transient Block pending;
  private transient int blockRows;

  /** An empty state for the function {@code where} (named in errors), with blocks of {@link #BLOCK_BYTES}. */
  public GradSumState(String where) {
    this(where, BLOCK_BYTES);
  }

  /** An empty state whose blocks hold about {@code blockBytes} of per-sample work (at least one row). */
  public GradSumState(String where, long blockBytes) {
    this.where = where;
    this.blockBytes = blockBytes;
  }

  /**
   * Adds one row. {@code clip} is the per-sample L2 bound, or {@code +inf} for a plain sum.
   * Rows are checked here, so a bad row fails with the argument it came from.
   */
  public void add(String modelSpec, double[] rowParams, double[] features, Double label, double clip) {
    if (spec == null) {
      start(modelSpec, rowParams, clip);
    } else {
      requireSame(modelSpec, rowParams, clip);
    }
    Model m = model();
    Inputs.checkFeatures(where, m, features);
    Inputs.checkLabel(where, m, label);
    pending.add(features, label);
    if (pending.size() >= blockRows) {
      flush();
    }
  }

  /** Merges {@code other} into this state and returns this (both are flushed first). */
  public GradSumState merge(GradSumState other) {
    flush();
    other.flush();
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      spec = other.spec;
      params = other.params;
      clip = other.clip;
      sum = other.sum.clone();
      count = other.count;
      model = null;
      theta = null;
      pending = null;
      return this;
    }
    requireSame(other.spec, other.params, other.clip);
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.sum[i];
    }
    count += other.count;
    return this;
  }

  /** The sum after flushing: {@code f64[P]}, or null when no row was added. */
  public double[] sum() {
    flush();
    return sum == null ? null : sum.clone();
  }

  /** Rows added (flushed or not). */
  public long count() {
    return count + (pending == null ? 0 : pending.size());
  }

  /** Runs the pending rows through the engine and adds them to the sum. */
  public void flush() {
    if (pending == null || pending.size() == 0) {
      return;
    }
    PerSample ps = PerSample.of(model());
    Tensor block = Double.isInfinite(clip) ? ps.gradSum(theta(), pending) : ps.clippedSum(theta(), pending, clip);
    double[] add = block.toDoubleArray();
    if (sum == null) {
      sum = new double[add.length];
    }
    for (int i = 0; i < add.length; i++) {
      sum[i] += add[i];
    }
    count += pending.size();
    pending.clear();
  }

  private void start(String modelSpec, double[] rowParams, double clipNorm) {
    Model m = Models.parse(modelSpec);
    Inputs.checkParams(where, m, rowParams);
    spec = modelSpec;
    params = rowParams;
    clip = clipNorm;
    model = m;
    model();
  }

  private void requireSame(String modelSpec, double[] rowParams, double clipNorm) {
    if (!spec.equals(modelSpec)) {
      throw new BadInput(where, "model", "one model spec per group ('" + spec + "')", "'" + modelSpec + "'",
          "aggregate each model separately (GROUP BY the model)");
    }
    if (rowParams != params && !Arrays.equals(rowParams, params)) {
      Inputs.checkParams(where, model(), rowParams);
      throw new BadInput(where, "params", "the same parameters for every row of a group",
          "parameters that differ between rows", "pass the parameters as a literal or a constant column");
    }
    if (Double.compare(clipNorm, clip) != 0) {
      throw new BadInput(where, "clip_norm", "one clip norm per group (" + clip + ")", String.valueOf(clipNorm),
          "pass the clip norm as a literal");
    }
  }

  private Model model() {
    if (model == null) {
      model = Models.parse(spec);
    }
    if (pending == null) {
      pending = new Block(model.numFeatures());
      long perRow = 8L * (model.numParams() + model.numFeatures());
      blockRows = (int) Math.max(1, Math.min(8192, blockBytes / perRow));
    }
    return model;
  }

  private Tensor theta() {
    if (theta == null) {
      theta = Tensors.of(params);
    }
    return theta;
  }

  /** Tags the serial form. */
  private static final String FORM = "io.sparkfunc.udfs.GradSumState/1";

  /** Serializes as JDK values only, after flushing (see the NOTE on the serial form). */
  private Object writeReplace() {
    flush();
    return new Object[] {FORM, where, blockBytes, spec, params, clip, sum, count};
  }

  /**
   * {@code state} itself when it is a state, or the state that serialized as {@code state} (a
   * deserialized aggregation buffer).
   */
  public static GradSumState of(Object state) {
    if (state instanceof GradSumState g) {
      return g;
    }
    if (!(state instanceof Object[] v) || v.length != 8 || !FORM.equals(v[0])) {
      throw new IllegalArgumentException("not a GradSumState or its serial form: "
          + (state == null ? "null" : state.getClass().getName()));
    }
    GradSumState g = new GradSumState((String) v[1], (Long) v[2]);
    g.spec = (String) v[3];
    g.params = (double[]) v[4];
    g.clip = (Double) v[5];
    g.sum = (double[]) v[6];
    g.count = (Long) v[7];
    return g;
  }
}
