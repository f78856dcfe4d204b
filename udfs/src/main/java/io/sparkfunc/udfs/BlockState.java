package io.sparkfunc.udfs;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.io.Serializable;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The block-buffered state every aggregate shares: the group's model spec and constant parameters
 * (flat, {@code f64[P]}, or {@code f64[S*P]} for weight samples), a pending {@link Block} of
 * checked rows, and the count of rows already run through the engine. Subclasses say what a
 * block adds to their accumulators ({@link #absorb}) and how two accumulators combine ({@link
 * #combine}).
 *
 * <p>NOTE [flush before serialization]. Spark may serialize an aggregation buffer at any moment
 * (at the shuffle, and whenever a grouped aggregate with more than 128 groups per partition falls
 * back to sort mode). The pending block is transient, so serialization ({@link #writeReplace})
 * flushes it first, and {@link #mergeFrom} and every result accessor flush both sides: rows are
 * never lost, and never silently.
 *
 * <p>NOTE [JDK-only serial form]. A state serializes as an {@code Object[]} of JDK values (its
 * class name, the group's spec and parameters, the counts, and the subclass's {@link
 * #accumulators}), and {@link #of} turns that back into a state. Spark's executors deserialize
 * aggregation buffers with the class loader that loaded Spark ({@code V2Aggregator.deserialize}),
 * which cannot see a jar shipped with {@code spark.jars}/{@code --jars}: a serial form naming our
 * classes failed on a cluster with {@code ClassNotFoundException: io.sparkfunc.udfs.GradSumState}
 * (found by {@code DpSgdClusterIT}; local mode shares one class loader and never shows it).
 *
 * <p>The model and parameters come with each row and must be the same for every row of a group
 * (checked by reference first, then by value).
 */
public abstract class BlockState implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bytes of per-sample work per block, from {@code -Dsparkfunc.block.bytes} (default 4 MB). */
  public static final long BLOCK_BYTES = Long.getLong("sparkfunc.block.bytes", 4L << 20);

  /** The function named in errors. */
  protected final String where;
  private final String paramsArgument;
  private final long blockBytes;
  private String spec;
  private double[] params;
  private long flushed;
  private transient Model model;
  private transient Tensor theta;
  private transient Block pending;
  private transient int blockRows;

  /**
   * An empty state whose blocks hold about {@code blockBytes} of per-sample work (at least one
   * row); {@code paramsArgument} names the parameters in errors ({@code params}, {@code
   * param_samples}).
   */
  protected BlockState(String where, String paramsArgument, long blockBytes) {
    this.where = where;
    this.paramsArgument = paramsArgument;
    this.blockBytes = blockBytes;
  }

  /** Adds what one block of rows contributes: {@code params} is the group's tensor ({@code f64[P]} or {@code f64[S,P]}). */
  protected abstract void absorb(Model model, Tensor params, Block block);

  /** Adds {@code other}'s accumulators (already flushed, non-empty) to this one's; {@code rows} were in this one. */
  protected abstract void combine(BlockState other, long rows);

  /** Bytes of engine work per row, for the block size. */
  protected abstract long bytesPerRow(Model model);

  /** Checks the group's parameters when a group starts; a {@link BadInput} naming the argument. */
  protected abstract void checkParams(Model model, double[] groupParams);

  /** The group's parameters as the engine takes them (reshaped for weight samples). */
  protected Tensor paramsTensor(Model model, double[] groupParams) {
    return Tensors.of(groupParams);
  }

  /**
   * Adds one row, checked here so a bad row fails with the argument it came from. {@code label}
   * is ignored (and may be null) when {@code labeled} is false.
   */
  protected final void addRow(String modelSpec, double[] groupParams, double[] features, Double label, boolean labeled) {
    Model m = group(modelSpec, groupParams);
    Inputs.checkFeatures(where, m, features);
    if (labeled) {
      Inputs.checkLabel(where, m, label);
    }
    pend(features, 0, labeled ? label : 0);
  }

  /**
   * Adds the rows {@code rows} (indices into the block) of a block held flat, {@code features:
   * f64[n*d]} row-major and {@code labels: f64[n]}: the block's shape is checked (and the group
   * started or checked) even when {@code rows} is empty, each added row as it is copied into the
   * pending block ({@link Inputs#checkBlock}, {@link Inputs#checkBlockRow}). A whole block (all
   * its rows in order, no rows pending, no more than a block's worth) runs in place instead, read
   * by the engine without a copy ({@link Block#view}).
   */
  protected final void addBlockRows(String modelSpec, double[] groupParams, double[] features, double[] labels, int[] rows) {
    Model m = group(modelSpec, groupParams);
    Inputs.checkBlock(where, m, features, labels);
    int d = m.numFeatures();
    if (rows.length > 0 && pending.size() == 0 && rows.length == labels.length && rows.length <= blockRows
        && allInOrder(rows)) {
      for (int r : rows) {
        Inputs.checkBlockRow(where, m, features, labels, r);
      }
      run(Block.view(d, features, labels));
      return;
    }
    for (int r : rows) {
      Inputs.checkBlockRow(where, m, features, labels, r);
      pend(features, r * d, labels[r]);
    }
  }

  /** True when {@code rows} is {@code 0, 1, ..., rows.length - 1}: a whole block, run in place (not copied). */
  private static boolean allInOrder(int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** Starts the group with this model and these parameters (checked), or checks they are the group's; its model. */
  private Model group(String modelSpec, double[] groupParams) {
    if (spec == null) {
      Model m = Models.parse(modelSpec);
      checkParams(m, groupParams);
      spec = modelSpec;
      params = groupParams;
      model = m;
    } else {
      requireSame(modelSpec, groupParams);
    }
    return model();
  }

  /** Appends a checked row to the pending block, running the block when it is full. */
  private void pend(double[] features, int offset, double label) {
    pending.add(features, offset, label);
    if (pending.size() >= blockRows) {
      flush();
    }
  }

  /**
   * Rows per block for {@code bytesPerRow} of engine work a row: about {@code blockBytes} of it,
   * at least 1, at most 8,192.
   */
  protected static int rowsPerBlock(long blockBytes, long bytesPerRow) {
    return (int) Math.max(1, Math.min(8192, blockBytes / bytesPerRow));
  }

  /** Flushes both states and adds {@code other} (of the same class) into this one. */
  protected final void mergeFrom(BlockState other) {
    flush();
    other.flush();
    if (other.flushed == 0) {
      return;
    }
    if (flushed == 0) {
      spec = other.spec;
      params = other.params;
      model = null;
      theta = null;
      pending = null;
    } else {
      requireSame(other.spec, other.params);
    }
    combine(other, flushed);
    flushed += other.flushed;
  }

  /** Runs the pending rows through the engine ({@link #absorb}). */
  public final void flush() {
    if (pending == null || pending.size() == 0) {
      return;
    }
    run(pending);
    pending.clear();
  }

  /** Runs a block of the group's rows through the engine ({@link #absorb}) and counts them. */
  private void run(Block block) {
    if (theta == null) {
      theta = paramsTensor(model(), params);
    }
    absorb(model(), theta, block);
    flushed += block.size();
  }

  /** Rows added (flushed or not). */
  public final long count() {
    return flushed + (pending == null ? 0 : pending.size());
  }

  /** The group's model spec, or null before the first row. */
  protected final String spec() {
    return spec;
  }

  private void requireSame(String modelSpec, double[] groupParams) {
    if (!spec.equals(modelSpec)) {
      throw new BadInput(where, "model", "one model spec per group ('" + spec + "')", "'" + modelSpec + "'",
          "aggregate each model separately (GROUP BY the model)");
    }
    if (groupParams != params && !Arrays.equals(groupParams, params)) {
      checkParams(model(), groupParams);
      throw new BadInput(where, paramsArgument, "the same parameters for every row of a group",
          "parameters that differ between rows", "pass the parameters as a literal or a constant column");
    }
  }

  private Model model() {
    if (model == null) {
      model = Models.parse(spec);
    }
    if (pending == null) {
      pending = new Block(model.numFeatures());
      blockRows = rowsPerBlock(blockBytes, bytesPerRow(model));
    }
    return model;
  }

  /** Tags the serial form. */
  private static final String FORM = "io.sparkfunc.udfs.BlockState/1";

  /** The subclass's accumulators as JDK values only (arrays, boxed numbers, strings). */
  protected abstract Object[] accumulators();

  /** Sets the accumulators from the values {@link #accumulators} gave. */
  protected abstract void restoreAccumulators(Object[] values);

  /** Serializes as JDK values only, after flushing (NOTE [JDK-only serial form]). */
  protected final Object writeReplace() {
    flush();
    return new Object[] {FORM, getClass().getName(), where, blockBytes, spec, params, flushed,
        accumulators()};
  }

  /**
   * {@code state} itself when it is a {@code type}, or the state that serialized as {@code state}
   * (a deserialized aggregation buffer): made by {@code empty(where, blockBytes)}, then filled.
   */
  protected static <S extends BlockState> S of(Object state, Class<S> type,
      BiFunction<String, Long, S> empty) {
    if (type.isInstance(state)) {
      return type.cast(state);
    }
    if (!(state instanceof Object[] v) || v.length != 8 || !FORM.equals(v[0])
        || !type.getName().equals(v[1])) {
      throw new IllegalArgumentException("not a " + type.getName() + " or its serial form: "
          + (state == null ? "null" : state.getClass().getName()));
    }
    S s = empty.apply((String) v[2], (Long) v[3]);
    BlockState b = s;
    b.spec = (String) v[4];
    b.params = (double[]) v[5];
    b.flushed = (Long) v[6];
    b.restoreAccumulators((Object[]) v[7]);
    return s;
  }
}
