package io.sparkfunc.spark.sql;

import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.udfs.GradSumState;
import io.sparkfunc.udfs.Inputs;
import java.io.Serializable;
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

  /** The three aggregates. */
  enum Kind {
    GRAD_SUM("grad_sum", false),
    GRAD_MEAN("grad_mean", false),
    DP_CLIPPED_GRAD_SUM("dp_clipped_grad_sum", true);

    final String sqlName;
    final String[] roles;

    Kind(String sqlName, boolean clipped) {
      this.sqlName = sqlName;
      this.roles = clipped ? new String[] {"model", "params", "features", "label", "clip_norm"}
          : new String[] {"model", "params", "features", "label"};
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
      return kind == Kind.GRAD_MEAN ? DataTypes.createArrayType(DataTypes.DoubleType, false) : SUM_AND_COUNT;
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
        if (kind == Kind.DP_CLIPPED_GRAD_SUM) {
          Double c = args.number(in, 4);
          Inputs.checkClip(kind.sqlName, c);
          clip = c;
        }
        state.add(spec, args.params(in, 1), args.doubles(in, 2), args.number(in, 3), clip);
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
      if (kind == Kind.GRAD_MEAN) {
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
