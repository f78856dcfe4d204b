package io.sparkfunc.spark.sql;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.analysis.NoSuchFunctionException;
import org.apache.spark.sql.connector.catalog.FunctionCatalog;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code sparkfunc} SQL functions as a DataSource V2 {@link FunctionCatalog}. Register it
 * with {@code spark.sql.catalog.sparkfunc=io.sparkfunc.spark.sql.SparkfuncCatalog} and call
 * {@code sparkfunc.per_sample_grad(...)} from SQL or {@code functions.call_function}.
 *
 * <p>Scalar: {@code per_sample_grad}, {@code per_sample_grad_norm}, {@code sample_loss}, {@code
 * predict}, {@code loss_jvp}, {@code loss_hvp}, {@code ensemble_predict}, {@code init_params}
 * ({@link RowFunction}). Aggregates: {@code grad_sum}, {@code grad_mean}, {@code
 * dp_clipped_grad_sum} and their twins over blocks of cached rows sampled inside the blocks,
 * {@code grad_sum_blocks}, {@code grad_mean_blocks}, {@code dp_clipped_grad_sum_blocks} ({@link
 * GradSumFunction}), {@code ensemble_stats} ({@link EnsembleStatsFunction}). Functions live in the root namespace. {@link
 * io.sparkfunc.spark.SparkfuncExtensions} registers every function listed here under its plain
 * name too.
 */
public final class SparkfuncCatalog implements FunctionCatalog {
  /** The conf key and value that register this catalog under the name {@code sparkfunc}. */
  public static final String CONF_KEY = "spark.sql.catalog.sparkfunc";

  private static final Map<String, UnboundFunction> FUNCTIONS = functions();

  private String name = "sparkfunc";

  @Override
  public void initialize(String catalogName, CaseInsensitiveStringMap options) {
    this.name = catalogName;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Identifier[] listFunctions(String[] namespace) {
    if (namespace.length > 0) {
      return new Identifier[0];
    }
    return FUNCTIONS.keySet().stream().map(f -> Identifier.of(new String[0], f)).toArray(Identifier[]::new);
  }

  @Override
  public UnboundFunction loadFunction(Identifier ident) throws NoSuchFunctionException {
    UnboundFunction f = ident.namespace().length == 0 ? FUNCTIONS.get(ident.name().toLowerCase(java.util.Locale.ROOT)) : null;
    if (f == null) {
      throw new NoSuchFunctionException(ident);
    }
    return f;
  }

  /**
   * True when {@code bound} (one of this catalog's functions, bound with the constant in the
   * field metadata) took argument {@code i} as a constant, so the plan may pass a null literal in
   * its place (NOTE [constant parameters] in {@link Args}; used by {@link
   * io.sparkfunc.spark.SparkfuncExtensions}).
   */
  public static boolean boundAsConstant(BoundFunction bound, int i) {
    return bound instanceof BoundSqlFunction && ((BoundSqlFunction) bound).args.isConstant(i);
  }

  private static Map<String, UnboundFunction> functions() {
    Map<String, UnboundFunction> m = new LinkedHashMap<>();
    Arrays.stream(RowFunction.Kind.values()).forEach(k -> m.put(k.sqlName, new RowFunction(k)));
    Arrays.stream(GradSumFunction.Kind.values()).forEach(k -> m.put(k.sqlName, new GradSumFunction(k)));
    m.put(EnsembleStatsFunction.NAME, new EnsembleStatsFunction());
    return m;
  }
}
