package io.sparkfunc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.spark.testing.SharedSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the build frame: the shared local Spark session starts with the project's Scala pin and
 * JVM flags (Surefire's argLine) and runs a SQL aggregate across a shuffle.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class SparkSessionSmokeTest {

  @Test
  void localSessionRunsSqlAggregate(SparkSession spark) {
    // 1^2 + 2^2 + ... + 10^2 = 385, summed across two partitions and a shuffle.
    Row row = spark.sql("SELECT sum(id * id) AS s, count(*) AS n FROM range(1, 11, 1, 2)").first();
    assertEquals(385L, row.getLong(0));
    assertEquals(10L, row.getLong(1));
  }
}
