package io.sparkfunc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves the build frame: a local Spark session starts with the project's Scala pin and JVM flags
 * (Surefire's argLine), runs a SQL aggregate, and stops. Nothing of sparkfunc is used yet.
 */
@Tag("spark")
class SparkSessionSmokeTest {

  @Test
  void localSessionRunsSqlAggregate() {
    SparkSession spark =
        SparkSession.builder()
            .appName("sparkfunc-smoke")
            .master("local[2]")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    try {
      // 1^2 + 2^2 + ... + 10^2 = 385, summed across two partitions and a shuffle.
      Row row = spark.sql("SELECT sum(id * id) AS s, count(*) AS n FROM range(1, 11, 1, 2)").first();
      assertEquals(385L, row.getLong(0));
      assertEquals(10L, row.getLong(1));
    } finally {
      spark.stop();
    }
  }
}
