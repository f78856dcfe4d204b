package io.sparkfunc.spark.sql;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.Block;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The row-at-a-time SQL functions of the {@code sparkfunc} catalog. With {@code d} features,
 * {@code P} parameters and {@code k} outputs:
 *
 * <ul>
 *   <li>{@code per_sample_grad(model, params, features, label) -> array<double>[P]}: the gradient
 *       of this row's loss with respect to the parameters;
 *   <li>{@code per_sample_grad_norm(model, params, features, label) -> double}: its L2 norm;
 *   <li>{@code sample_loss(model, params, features, label) -> double}: this row's loss;
 *   <li>{@code predict(model, params, features) -> array<double>[k]}: the value (linreg), the
 *       probability of class 1 (logreg) or the class probabilities;
 *   <li>{@code loss_jvp(model, params, features, label, direction) -> double}: the directional
 *       derivative of this row's loss along {@code direction: array<double>[P]}, {@code <grad
 *       loss, v>}, by forward mode ({@code jvp});
 *   <li>{@code loss_hvp(model, params, features, label, direction) -> array<double>[P]}: the
 *       Hessian of this row's loss times {@code direction}, by forward-over-reverse ({@code
 *       jvp(grad(loss))}; no Hessian is formed);
 *   <li>{@code ensemble_predict(model, param_samples, features) -> struct<mean: array<double>[k],
 *       var: array<double>[k]>}: the predictions of {@code S} weight samples ({@code
 *       param_samples: array<array<double>>[S][P]}) on this row, their mean and population
 *       variance over the samples (a Bayesian ensemble's predictive mean and epistemic variance);
 *   <li>{@code init_params(model, seed) -> array<double>[P]}: fresh parameters for the spec
 *       (PyTorch's {@code nn.Linear} init, from a counter-based generator: same seed, same
 *       parameters everywhere).
 * </ul>
 *
 * <p>Every function runs the same batched path as the aggregates ({@link PerSample}, a block of
 * one row). Any null or bad value fails the query with the function, the column and the row.
 */
final class RowFunction implements UnboundFunction {
  private static final long serialVersionUID = 1L;

  /** The functions, their arguments and result types. */
  enum Kind {
    PER_SAMPLE_GRAD("per_sample_grad", array(), "model", "params", "features", "label"),
    PER_SAMPLE_GRAD_NORM("per_sample_grad_norm", DataTypes.DoubleType, "model", "params", "features", "label"),
    SAMPLE_LOSS("sample_loss", DataTypes.DoubleType, "model", "params", "features", "label"),
    PREDICT("predict", array(), "model", "params", "features"),
    LOSS_JVP("loss_jvp", DataTypes.DoubleType, "model", "params", "features", "label", "direction"),
    LOSS_HVP("loss_hvp", array(), "model", "params", "features", "label", "direction"),
    ENSEMBLE_PREDICT("ensemble_predict", MEAN_VAR, "model", "param_samples", "features"),
    INIT_PARAMS("init_params", array(), "model", "seed");

    final String sqlName;
    final DataType result;
    final String[] roles;

    Kind(String sqlName, DataType result, String... roles) {
      this.sqlName = sqlName;
      this.result = result;
      this.roles = roles;
    }
  }

  /** {@code struct<mean: array<double>, var: array<double>>}. */
  static final DataType MEAN_VAR = DataTypes.createStructType(new org.apache.spark.sql.types.StructField[] {
      DataTypes.createStructField("mean", array(), false),
      DataTypes.createStructField("var", array(), false)});

  private final Kind kind;

  RowFunction(Kind kind) {
    this.kind = kind;
  }

  @Override
  public String name() {
    return kind.sqlName;
  }

  @Override
  public String description() {
    return "sparkfunc." + kind.sqlName + "(" + String.join(", ", kind.roles) + ") -> " + kind.result.simpleString();
  }

  @Override
  public BoundFunction bind(StructType inputType) {
    return new Bound(kind, Args.bind(kind.sqlName, inputType, kind.roles));
  }

  private static DataType array() {
    return DataTypes.createArrayType(DataTypes.DoubleType, false);
  }

  /** The bound function; one instance per task (Spark deserializes the plan per task). */
  static final class Bound extends BoundSqlFunction implements ScalarFunction<Object> {
    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private transient double[] thetaOf;
    private transient Model thetaModel;
    private transient Tensor theta;
    private transient double[][] thetasOf;
    private transient Tensor thetas;

    Bound(Kind kind, Args args) {
      super(kind.sqlName, args);
      this.kind = kind;
    }

    @Override
    public DataType resultType() {
      return kind.result;
    }

    @Override
    public boolean isResultNullable() {
      return false;
    }

    @Override
    public Object produceResult(InternalRow in) {
      args.nextRow();
      Model model = args.model(in, 0);
      try {
        if (kind == Kind.INIT_PARAMS) {
          long seed = Inputs.checkSeed(kind.sqlName, args.number(in, 1));
          return UnsafeArrayData.fromPrimitiveArray(model.init(seed).toDoubleArray());
        }
        return compute(model, in);
      } catch (BadInput e) {
        throw args.error(e);
      }
    }

    private Object compute(Model model, InternalRow in) {
      if (kind == Kind.ENSEMBLE_PREDICT) {
        return ensemble(model, in);
      }
      double[] params = args.params(in, 1);
      if (params != thetaOf || model != thetaModel) {
        Inputs.checkParams(kind.sqlName, model, params);
        thetaOf = params;
        thetaModel = model;
        theta = Tensors.of(params);
      }
      Block one = new Block(model.numFeatures());
      PerSample ps = PerSample.of(model);
      if (kind == Kind.PREDICT) {
        one.add(features(model, in), 0);
        return UnsafeArrayData.fromPrimitiveArray(ps.predictions(theta, one).toDoubleArray());
      }
      double[] x = features(model, in);
      Double y = args.number(in, 3);
      Inputs.checkLabel(kind.sqlName, model, y);
      one.add(x, y);
      switch (kind) {
        case PER_SAMPLE_GRAD:
          return UnsafeArrayData.fromPrimitiveArray(ps.grads(theta, one).toDoubleArray());
        case PER_SAMPLE_GRAD_NORM:
          return ps.gradNorms(theta, one).item();
        case LOSS_JVP:
          return ps.lossJvps(theta, one, direction(model, in)).item();
        case LOSS_HVP:
          return UnsafeArrayData.fromPrimitiveArray(ps.lossHvps(theta, one, direction(model, in)).toDoubleArray());
        default:
          return ps.losses(theta, one).item();
      }
    }

    private Object ensemble(Model model, InternalRow in) {
      double[][] samples = args.paramSamples(in, 1);
      if (samples != thetasOf || model != thetaModel) {
        thetas = Tensors.of(Inputs.checkSamples(kind.sqlName, model, samples), samples.length, model.numParams());
        thetasOf = samples;
        thetaModel = model;
      }
      Block one = new Block(model.numFeatures());
      one.add(features(model, in), 0);
      Tensor[] moments = PerSample.momentsOverSamples(PerSample.of(model).ensemblePredictions(thetas, one));
      return new GenericInternalRow(new Object[] {UnsafeArrayData.fromPrimitiveArray(moments[0].toDoubleArray()),
          UnsafeArrayData.fromPrimitiveArray(moments[1].toDoubleArray())});
    }

    private double[] features(Model model, InternalRow in) {
      double[] x = args.doubles(in, 2);
      Inputs.checkFeatures(kind.sqlName, model, x);
      return x;
    }

    private Tensor direction(Model model, InternalRow in) {
      double[] v = args.doubles(in, 4);
      Inputs.checkDirection(kind.sqlName, model, v);
      return Tensors.of(v);
    }
  }
}
