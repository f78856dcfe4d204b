package io.sparkfunc.spark;

import io.sparkfunc.spark.sql.SparkfuncCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.expressions.V2ExpressionUtils;
import org.apache.spark.sql.catalyst.expressions.aggregate.V2Aggregator;
import org.apache.spark.sql.connector.catalog.functions.AggregateFunction;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Session extension that makes every function of the {@code sparkfunc} catalog callable without
 * the prefix: {@code SELECT per_sample_grad('linreg(3)', theta, x, y)}, {@code SELECT k,
 * dp_clipped_grad_sum(...) ... GROUP BY k}. Enable it with
 * {@code spark.sql.extensions=io.sparkfunc.spark.SparkfuncExtensions} (a static conf: set it
 * before the session starts, in {@code spark-defaults.conf}, {@code --conf} or the builder) or
 * {@code SparkSession.builder().withExtensions(new SparkfuncExtensions())}.
 *
 * <p>The function list is the catalog's ({@link SparkfuncCatalog#listFunctions}), so every
 * function added there is picked up here. Each name gets a builder that binds the catalog's
 * {@link UnboundFunction} to the argument types and returns the expression Spark itself makes for
 * a V2 function (its {@code FunctionResolution.resolveV2Function}): {@code
 * V2ExpressionUtils.resolveScalarFunction} for a scalar function, a {@link V2Aggregator} for an
 * aggregate (the analyzer wraps it in an {@code AggregateExpression}). Argument casts come from
 * the bound function's {@code inputTypes}, as with the catalog. The plan is the catalog's plan.
 *
 * <p>The one difference: the builder sees the argument expressions, so it binds with each
 * argument's SQL text in the field's metadata ({@link #ARGUMENT_SQL}); bad-input errors then name
 * the column ({@code at argument 3 (features: column `pixels`)}), which the catalog path cannot
 * (Spark binds V2 functions with fields {@code _0, _1, ...}). And for an aggregate whose {@code
 * params} argument is a constant {@code array<double>} ({@code lit(theta)}, as the DP-SGD job
 * passes it), the value is handed over once at analysis time ({@link #ARGUMENT_CONSTANT}) and a
 * null literal takes its place in the plan, so Spark no longer copies the parameters into every
 * input row (NOTE [constant parameters] in {@code Args}).
 *
 * <p>Spark ignores an extension class it cannot load (it logs a warning), so a missing jar shows
 * up as "function not found": {@code SHOW FUNCTIONS LIKE 'per_sample*'} checks it is active.
 * Uses Catalyst classes ({@code V2ExpressionUtils}, {@code V2Aggregator}, {@code
 * ExpressionInfo}) that are public but not a stable API; {@code SparkfuncExtensionsTest} pins
 * them for the Spark version in the root pom.
 */
public final class SparkfuncExtensions implements SparkSessionExtensionsProvider {
  /** The static conf that lists session extensions; its value names this class. */
  public static final String CONF_KEY = "spark.sql.extensions";

  /** Field metadata key of the bound input type: the argument as written ({@code column `feats`}, {@code 1.0}). */
  public static final String ARGUMENT_SQL = "sparkfunc.argument.sql";

  /**
   * Field metadata key of the bound input type: a constant {@code array<double>} argument's value
   * ({@code double[]}), for the aggregates' {@code params} (NOTE [constant parameters] in {@code
   * Args}).
   */
  public static final String ARGUMENT_CONSTANT = "sparkfunc.argument.constant";

  /** Longest argument text carried into error messages (a literal parameter array can be huge). */
  private static final int MAX_TEXT = 60;

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    for (UnboundFunction f : catalogFunctions()) {
      ExpressionInfo info = new ExpressionInfo(f.getClass().getName(), null, f.name(), f.description(),
          "\n    Same as sparkfunc." + f.name() + " (the sparkfunc catalog).\n");
      extensions.injectFunction(new Tuple3<FunctionIdentifier, ExpressionInfo, Function1<Seq<Expression>, Expression>>(
          new FunctionIdentifier(f.name()), info, new Builder(f)));
    }
    return BoxedUnit.UNIT;
  }

  /** The catalog's functions, in its order. */
  static List<UnboundFunction> catalogFunctions() {
    SparkfuncCatalog catalog = new SparkfuncCatalog();
    List<UnboundFunction> out = new ArrayList<>();
    for (var id : catalog.listFunctions(new String[0])) {
      try {
        out.add(catalog.loadFunction(id));
      } catch (org.apache.spark.sql.catalyst.analysis.NoSuchFunctionException e) {
        throw new IllegalStateException("the sparkfunc catalog lists " + id + " but cannot load it", e);
      }
    }
    return out;
  }

  /** Binds one catalog function to resolved arguments: {@code Seq<Expression> -> Expression}. */
  private static final class Builder extends AbstractFunction1<Seq<Expression>, Expression> {
    private final UnboundFunction function;

    Builder(UnboundFunction function) {
      this.function = function;
    }

    @Override
    public Expression apply(Seq<Expression> arguments) {
      List<Expression> args = CollectionConverters.asJava(arguments);
      StructField[] fields = new StructField[args.size()];
      for (int i = 0; i < fields.length; i++) {
        Expression e = args.get(i);
        fields[i] = new StructField("_" + i, e.dataType(), e.nullable(),
            new MetadataBuilder().putString(ARGUMENT_SQL, text(e)).build());
      }
      BoundFunction bound = function.bind(new StructType(fields));
      if (bound instanceof ScalarFunction) {
        return V2ExpressionUtils.resolveScalarFunction((ScalarFunction<?>) bound, arguments);
      }
      if (bound instanceof AggregateFunction) {
        return aggregatorWithConstants(fields, args);
      }
      throw new IllegalStateException("sparkfunc." + function.name() + " bound to " + bound.getClass().getName()
          + ", which is neither a ScalarFunction nor an AggregateFunction");
    }

    /**
     * The aggregate bound with its constant {@code array<double>} arguments' values in the field
     * metadata; the arguments it took as constants become null literals (never read).
     */
    private Expression aggregatorWithConstants(StructField[] fields, List<Expression> args) {
      StructField[] withConstants = fields.clone();
      for (int i = 0; i < fields.length; i++) {
        double[] value = constantDoubles(args.get(i));
        if (value != null) {
          withConstants[i] = new StructField(fields[i].name(), fields[i].dataType(), fields[i].nullable(),
              new MetadataBuilder().withMetadata(fields[i].metadata()).putDoubleArray(ARGUMENT_CONSTANT, value).build());
        }
      }
      BoundFunction bound = function.bind(new StructType(withConstants));
      List<Expression> children = new ArrayList<>(args);
      for (int i = 0; i < children.size(); i++) {
        if (SparkfuncCatalog.boundAsConstant(bound, i)) {
          children.set(i, Literal.create(null, args.get(i).dataType()));
        }
      }
      return aggregator((AggregateFunction<?, ?>) bound, CollectionConverters.asScala(children).toList());
    }
  }

  /** A foldable {@code array<double>} argument's value without nulls, else null (left to the rows). */
  private static double[] constantDoubles(Expression e) {
    if (!e.foldable() || !(e.dataType() instanceof ArrayType)
        || !(((ArrayType) e.dataType()).elementType() instanceof DoubleType)) {
      return null;
    }
    Object v;
    try {
      v = e.eval(null);
    } catch (RuntimeException failed) {
      return null; // left to the rows, which fail with the row and the argument named
    }
    if (!(v instanceof ArrayData)) {
      return null;
    }
    ArrayData a = (ArrayData) v;
    for (int k = 0; k < a.numElements(); k++) {
      if (a.isNullAt(k)) {
        return null;
      }
    }
    return a.toDoubleArray();
  }

  private static <S extends java.io.Serializable, R> Expression aggregator(AggregateFunction<S, R> f, Seq<Expression> arguments) {
    return new V2Aggregator<>(f, arguments, 0, 0);
  }

  /** An argument as a user reads it: {@code column `feats`} for a column, else its SQL text. */
  private static String text(Expression e) {
    if (e instanceof org.apache.spark.sql.catalyst.expressions.Attribute) {
      return "column `" + ((org.apache.spark.sql.catalyst.expressions.Attribute) e).name() + "`";
    }
    String sql = org.apache.spark.sql.catalyst.util.package$.MODULE$.toPrettySQL(e, false);
    return sql.length() <= MAX_TEXT ? sql : sql.substring(0, MAX_TEXT - 3) + "...";
  }
}
