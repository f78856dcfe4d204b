package io.sparkfunc.spark;

import io.sparkfunc.udfs.BlockState;
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
}
