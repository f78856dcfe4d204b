package io.sparkfunc.spark;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.udfs.BlockState;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The session conf keys of sparkfunc ({@code spark.sparkfunc.<area>.<name>}), set like any Spark
 * conf ({@code --conf}, {@code spark.conf().set}).
 */
public final class SparkfuncConf {
  private SparkfuncConf() {}

  /**
   * Bytes of per-row engine work per block of the aggregates and per chunk of the DataFrame API
   * (default 4 MB, or {@code -Dsparkfunc.block.bytes}); read when a query is analysed or a
   * DataFrame call is made.
   */
  public static final String BLOCK_BYTES = "spark.sparkfunc.block.bytes";

  /** {@link #BLOCK_BYTES} in {@code spark}'s conf, or the default. */
  public static long blockBytes(SparkSession spark) {
    return Long.parseLong(spark.conf().get(BLOCK_BYTES, String.valueOf(BlockState.BLOCK_BYTES)));
  }

  /** {@link #BLOCK_BYTES} in the active session's conf, or the default when there is none. */
  public static long blockBytes() {
    return SparkSession.getActiveSession().isDefined() ? blockBytes(SparkSession.active()) : BlockState.BLOCK_BYTES;
  }

  /**
   * How the DataFrame API ({@code io.sparkfunc.spark.df}) runs: {@code auto} (default) takes the
   * fast path on Spark internals (rows as {@code InternalRow}s, each chunk one off-heap Arrow
   * block) when this Spark has what it needs and else the public {@code mapPartitions} path, with
   * a log line; {@code true} requires the fast path (an error when unavailable); {@code false}
   * always takes the public path. Read when a DataFrame call is made.
   */
  public static final String DF_ARROW = "spark.sparkfunc.df.arrow";

  /** {@link #DF_ARROW} in {@code spark}'s conf: {@code "auto"}, {@code "true"} or {@code "false"}. */
  public static String dfArrow(SparkSession spark) {
    String v = spark.conf().get(DF_ARROW, "auto").trim().toLowerCase(Locale.ROOT);
    if (!v.equals("auto") && !v.equals("true") && !v.equals("false")) {
      throw new EngineException("SparkfuncConf." + DF_ARROW, "auto, true or false", "'" + v + "'",
          "set " + DF_ARROW + " to auto (fast path when available), true or false");
    }
    return v;
  }
}
