package io.sparkfunc.spark.df;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.spark.SparkfuncConf;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Which path a DataFrame call takes ({@link SparkfuncConf#DF_ARROW}): the fast path ({@link
 * ArrowChunks}) needs Spark internals that are public in bytecode but not in intent, so it is
 * probed once per JVM, by reflection and a self-test, before any class that links to them is
 * loaded: {@code classic.Dataset.queryExecution()}, {@code QueryExecution.toRdd()}, {@code
 * classic.SparkSession.internalCreateDataFrame(RDD, StructType, boolean)}, the {@code
 * UnsafeArrayData} layout and an Arrow allocation. Under {@code auto}, a failed probe (or a
 * Dataset that is not a classic one, as under Spark Connect) means the public {@code
 * mapPartitions} path, with one log line saying why.
 *
 * <p>Counters (this JVM, since it started; in local mode the driver's) prove which path ran.
 */
final class FastPath {
  private static final Logger LOG = Logger.getLogger(FastPath.class.getName());
  private static final AtomicLong CHUNKS = new AtomicLong();
  private static final AtomicLong ROWS = new AtomicLong();

  /** Null when this JVM has what the fast path needs, else why not. */
  private static final class Probe {
    static final String MISSING = probe();
  }

  private FastPath() {}

  /** True if {@code df}'s call runs on the fast path; throws when the conf requires it and it is unavailable. */
  static boolean use(Dataset<Row> df, String where) {
    String mode = SparkfuncConf.dfArrow(df.sparkSession());
    return mode.equals("false") ? false : choose(mode, where, missing(df));
  }

  /**
   * The choice for conf value {@code mode} ({@code auto} or {@code true}) given why the fast path
   * is unavailable ({@code missing}, null when it is available).
   */
  static boolean choose(String mode, String where, String missing) {
    if (missing == null) {
      return true;
    }
    if (mode.equals("true")) {
      throw new EngineException(where + " (" + SparkfuncConf.DF_ARROW + "=true)",
          "the Spark internals of the fast path (classic Dataset, QueryExecution.toRdd, internalCreateDataFrame,"
              + " the UnsafeArrayData layout, Arrow memory)", missing,
          "set " + SparkfuncConf.DF_ARROW + "=auto to fall back to mapPartitions, or run classic Spark 4.x with"
              + " --add-opens=java.base/java.nio=ALL-UNNAMED");
    }
    LOG.info(where + ": the Arrow fast path is unavailable (" + missing + "); running on the public mapPartitions path");
    return false;
  }

  /** Why {@code df} cannot take the fast path, or null. */
  private static String missing(Dataset<Row> df) {
    if (Probe.MISSING != null) {
      return Probe.MISSING;
    }
    try {
      return Class.forName("org.apache.spark.sql.classic.Dataset").isInstance(df) ? null
          : "a " + df.getClass().getName() + ", not a classic Dataset (no InternalRow access, e.g. Spark Connect)";
    } catch (ClassNotFoundException e) {
      return e.toString();
    }
  }

  private static String probe() {
    try {
      Class.forName("org.apache.spark.sql.classic.Dataset").getMethod("queryExecution");
      Class.forName("org.apache.spark.sql.execution.QueryExecution").getMethod("toRdd");
      Class.forName("org.apache.spark.sql.classic.SparkSession")
          .getMethod("internalCreateDataFrame", RDD.class, StructType.class, boolean.class);
      ArrowChunks.selfTest();
      return null;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return e.toString();
    }
  }

  /** Counts a chunk of {@code rows} rows run on the fast path. */
  static void ran(int rows) {
    CHUNKS.incrementAndGet();
    ROWS.addAndGet(rows);
  }

  /** Chunks run on the fast path in this JVM. */
  static long chunks() {
    return CHUNKS.get();
  }

  /** Rows run on the fast path in this JVM. */
  static long rows() {
    return ROWS.get();
  }
}
