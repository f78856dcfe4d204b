package io.sparkfunc.spark.sql;

import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.EnsembleStatsState;
import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.connector.catalog.functions.AggregateFunction;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ensemble_stats(model, param_samples, features) -> struct<mean: array<double>[k], var:
 * array<double>[k], epistemic_var: array<double>[k], count: bigint>}: for {@code S} weight samples
 * ({@code param_samples: array<array<double>>[S][P]}, constant within a group) and the rows of a
 * group, the predictive mean of each output unit over all {@code (sample, row)} predictions, their
 * total (population) variance, and the mean over rows of the variance over samples (the epistemic
 * part); {@code count} is the number of rows. Block-batched inside ({@code vmap(vmap(predict))}
 * per block) and merged with Chan's parallel formulas; see {@link EnsembleStatsState}. Over no
 * rows the arrays are null and {@code count} is 0.
 */
final class EnsembleStatsFunction implements UnboundFunction {
  private static final long serialVersionUID = 1L;

  static final String NAME = "ensemble_stats";
  private static final String[] ROLES = {"model", "param_samples", "features"};

  static final DataType RESULT = DataTypes.createStructType(new StructField[] {
      DataTypes.createStructField("mean", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
      DataTypes.createStructField("var", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
      DataTypes.createStructField("epistemic_var", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
      DataTypes.createStructField("count", DataTypes.LongType, false)});

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "sparkfunc." + NAME + "(" + String.join(", ", ROLES) + ") -> " + RESULT.simpleString();
  }

  @Override
  public BoundFunction bind(StructType inputType) {
    return new Bound(Args.bind(NAME, inputType, ROLES), SparkfuncConf.blockBytes());
  }

  /**
   * The bound aggregate. Its state is an {@link EnsembleStatsState}, Java-serialized by Spark
   * (V2Aggregator) as JDK values after flushing; the state type is {@link Serializable} because a
   * deserialized buffer arrives in that serial form ({@link EnsembleStatsState#of}).
   */
  static final class Bound extends BoundSqlFunction
      implements AggregateFunction<Serializable, InternalRow> {
    private static final long serialVersionUID = 1L;

    private final long blockBytes;

    Bound(Args args, long blockBytes) {
      super(NAME, args);
      this.blockBytes = blockBytes;
    }

    @Override
    public DataType resultType() {
      return RESULT;
    }

    @Override
    public EnsembleStatsState newAggregationState() {
      return new EnsembleStatsState(NAME, blockBytes);
    }

    @Override
    public EnsembleStatsState update(Serializable buffer, InternalRow in) {
      EnsembleStatsState state = EnsembleStatsState.of(buffer);
      args.nextRow();
      String spec = args.model(in, 0).spec();
      try {
        state.add(spec, args.paramSamples(in, 1), args.reusedDoubles(in, 2));
        return state;
      } catch (BadInput e) {
        throw args.error(e);
      }
    }

    @Override
    public EnsembleStatsState merge(Serializable left, Serializable right) {
      try {
        return EnsembleStatsState.of(left).merge(EnsembleStatsState.of(right));
      } catch (BadInput e) {
        throw args.error(e);
      }
    }

    @Override
    public InternalRow produceResult(Serializable buffer) {
      EnsembleStatsState state = EnsembleStatsState.of(buffer);
      return new GenericInternalRow(new Object[] {array(state.mean()), array(state.variance()),
          array(state.epistemicVariance()), state.count()});
    }

    private static Object array(double[] v) {
      return v == null ? null : UnsafeArrayData.fromPrimitiveArray(v);
    }
  }
}
