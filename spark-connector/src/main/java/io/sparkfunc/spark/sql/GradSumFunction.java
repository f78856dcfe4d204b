package io.sparkfunc.spark.sql;

import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.udfs.GradSumState;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.PoissonSample;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.connector.catalog.functions.AggregateFunction;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The gradient-sum aggregates of the {@code sparkfunc} catalog, block-batched inside (rows are
 * buffered and run through {@code vmap(grad(loss))} a block at a time, see {@link GradSumState}):
 *
 * <ul>
 *   <li>{@code grad_sum(model, params, features, label) -> struct<sum: array<double>[P], count:
 *       bigint>}: the sum of the per-sample gradients (one backward pass per block);
 *   <li>{@code grad_mean(model, params, features, label) -> array<double>[P]}: the mean gradient;
 *   <li>{@code dp_clipped_grad_sum(model, params, features, label, clip_norm) -> struct<sum,
 *       count>}: the sum of the per-sample gradients each clipped to L2 norm {@code clip_norm}
 *       (flat clipping); the DP-SGD step adds the noise once, on the driver.
 * </ul>
 *
 * <p>Each has a twin over blocks of cached rows (one input row per block, as {@code
 * io.sparkfunc.spark.df.RowBlocks} builds them) that Poisson-samples the rows inside each block
 * ({@link PoissonSample}, NOTE [sampling inside blocks]) and adds the sampled rows to the same
 * state: {@code grad_sum_blocks(model, params, features, labels, block_id, q, seed)}, {@code
 * grad_mean_blocks(...)} and {@code dp_clipped_grad_sum_blocks(model, params, features, labels,
 * block_id, clip_norm, q, seed)}, with {@code features: array<double>[n*d]} (the block's rows,
 * row-major), {@code labels: array<double>[n]}, {@code block_id} a bigint, {@code q} in [0, 1]
 * and {@code seed} a whole number naming the sample (a new one every step). Same results as the
 * row aggregates over exactly the sampled rows; {@code q = 1} takes every row.
 *
 * <p>Block size: session conf {@code spark.sparkfunc.block.bytes} ({@link SparkfuncConf#BLOCK_BYTES};
 * bytes of per-row engine work, {@code PerSample.gradSumBytesPerRow()}: {@code 32 (d + h1 + ... +
 * k)} for the built-in specs (ghost clipping), {@code 8 (P + d)} for Java model classes; default
 * 4 MB, read when the query is analysed).
 *
 * <p>Over no rows, {@code sum} is null (like SQL's {@code sum}) and {@code count} is 0; {@code
 * grad_mean} is null. The model, parameters and clip norm must be constant within a group.
 */
final class GradSumFunction implements UnboundFunction {
  private static final long serialVersionUID = 1L;

  /** The aggregates: over rows, and over blocks of rows sampled inside the blocks. */
  enum Kind {
    GRAD_SUM("grad_sum", false, false),
    GRAD_MEAN("grad_mean", false, false),
    DP_CLIPPED_GRAD_SUM("dp_clipped_grad_sum", true, false),
    GRAD_SUM_BLOCKS("grad_sum_blocks", false, true),
    GRAD_MEAN_BLOCKS("grad_mean_blocks", false, true),
    DP_CLIPPED_GRAD_SUM_BLOCKS("dp_clipped_grad_sum_blocks", true, true);

    final String sqlName;
    final String[] roles;
    final boolean clipped;
    final boolean blocks;

    Kind(String sqlName, boolean clipped, boolean blocks) {
      this.sqlName = sqlName;
      this.clipped = clipped;
      this.blocks = blocks;
      List<String> r = new ArrayList<>(List.of("model", "params", "features", blocks ? "labels" : "label"));
      if (blocks) {
        r.add("block_id");
      }
      if (clipped) {
        r.add("clip_norm");
      }
      if (blocks) {
        r.addAll(List.of("q", "seed"));
      }
      this.roles = r.toArray(String[]::new);
    }

    /** True for the mean ({@code grad_mean}, {@code grad_mean_blocks}). */
    boolean mean() {
      return this == GRAD_MEAN || this == GRAD_MEAN_BLOCKS;
    }
  }

  static final DataType SUM_AND_COUNT = DataTypes.createStructType(new org.apache.spark.sql.types.StructField[] {
      DataTypes.createStructField("sum", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
      DataTypes.createStructField("count", DataTypes.LongType, false)});

  private final Kind kind;

  GradSumFunction(Kind kind) {
    this.kind = kind;
  }

  @Override
  public String name() {
    return kind.sqlName;
  }

  @Override
  public String description() {
    return "sparkfunc." + kind.sqlName + "(" + String.join(", ", kind.roles) + ")";
  }

  @Override
  public BoundFunction bind(StructType inputType) {
    return new Bound(kind, Args.bind(kind.sqlName, inputType, kind.roles), SparkfuncConf.blockBytes());
  }

  /**
   * The bound aggregate. Its state is a {@link GradSumState}, Java-serialized by Spark
   * (V2Aggregator) as JDK values after flushing; the state type is {@link Serializable} because a
   * deserialized buffer arrives in that serial form ({@link GradSumState#of}).
   */
  static final class Bound extends BoundSqlFunction
      implements AggregateFunction<Serializable, Object> {
    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final long blockBytes;

    Bound(Kind kind, Args args, long blockBytes) {
      super(kind.sqlName, args);
      this.kind = kind;
      this.blockBytes = blockBytes;
    }

    @Override
    public DataType resultType() {
      return kind.mean() ? DataTypes.createArrayType(DataTypes.DoubleType, false) : SUM_AND_COUNT;
    }

    @Override
    public GradSumState newAggregationState() {
      return new GradSumState(kind.sqlName, blockBytes);
    }

    @Override
    public GradSumState update(Serializable buffer, InternalRow in) {
      GradSumState state = GradSumState.of(buffer);
      args.nextRow();
      String spec = args.model(in, 0).spec();
      try {
        double clip = Double.POSITIVE_INFINITY;
        int next = kind.blocks ? 5 : 4;
        if (kind.clipped) {
          Double c = args.number(in, next++);
          Inputs.checkClip(kind.sqlName, c);
          clip = c;
        }
        if (!kind.blocks) {
          state.add(spec, args.params(in, 1), args.reusedDoubles(in, 2), args.number(in, 3), clip);
          return state;
        }
        double[] labels = args.reusedDoubles(in, 3);
        int[] sampled = PoissonSample.rows(kind.sqlName, args.number(in, next + 1), args.integer(in, 4),
            labels == null ? 0 : labels.length, args.number(in, next));
        state.addBlock(spec, args.params(in, 1), args.reusedDoubles(in, 2), labels, sampled, clip);
        return state;
      } catch (BadInput e) {
        throw args.error(e);
      }
    }

    @Override
    public GradSumState merge(Serializable left, Serializable right) {
      try {
        return GradSumState.of(left).merge(GradSumState.of(right));
      } catch (BadInput e) {
        throw args.error(e);
      }
    }

    @Override
    public Object produceResult(Serializable buffer) {
      GradSumState state = GradSumState.of(buffer);
      double[] sum = state.sum();
      long count = state.count();
      if (kind.mean()) {
        if (sum == null) {
          return null;
        }
        for (int i = 0; i < sum.length; i++) {
          sum[i] /= count;
        }
        return UnsafeArrayData.fromPrimitiveArray(sum);
      }
      return new GenericInternalRow(new Object[] {sum == null ? null : UnsafeArrayData.fromPrimitiveArray(sum), count});
    }
  }
}
