package io.sparkfunc.spark.testing;

import io.sparkfunc.spark.SparkfuncExtensions;
import io.sparkfunc.spark.sql.SparkfuncCatalog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@code local[2]} Spark session per test JVM (created on first use, kept
 * in the root store, stopped when the run ends), bound to 127.0.0.1 with the UI off, the {@code
 * sparkfunc} catalog and the session extension (unprefixed names) registered and 4 shuffle
 * partitions. Test methods and constructors receive it as a {@link SparkSession} parameter. After
 * each test, cached tables and temp views are dropped.
 *
 * <pre>{@code @ExtendWith(SharedSpark.class) class MyTest { @Test void t(SparkSession spark) {...} }}</pre>
 */
public final class SharedSpark implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedSpark.class);

  /** The session holder stored in the root store; closing it stops Spark. */
  private static final class Holder implements AutoCloseable {
    final SparkSession spark =
        SparkSession.builder()
            .appName("sparkfunc-tests")
            .master("local[2]")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.codegen.fallback", "false")
            .config(SparkfuncCatalog.CONF_KEY, SparkfuncCatalog.class.getName())
            .config(SparkfuncExtensions.CONF_KEY, SparkfuncExtensions.class.getName())
            .getOrCreate();

    @Override
    public void close() {
      spark.stop();
    }
  }

  /** The shared session for {@code context}'s run. */
  public static SparkSession session(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class).spark;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return session(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    SparkSession spark = session(context);
    spark.catalog().clearCache();
    spark.catalog().listTables().collectAsList().stream()
        .filter(t -> t.isTemporary())
        .forEach(t -> spark.catalog().dropTempView(t.name()));
  }
}
