package io.sparkfunc.spark.sql;

import static io.sparkfunc.spark.testing.DataFrameAssert.assertValueClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Models;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gradient-sum aggregates equal the row-at-a-time result with 1, 4 and 16 partitions and
 * grouped over more than 128 groups (Spark's sort fallback, which serializes buffers mid-block).
 * Blocks are kept small (about 7 rows) so that most buffers hold pending rows when Spark
 * serializes them.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class GradSumAggregateTest {
  private static final String SPEC = "mlp(5,4,3;act=relu)";
  private static final TestData DATA = new TestData(Models.parse(SPEC), 900, 17);
  private static final double CLIP = 1.5;

  @BeforeEach
  void smallBlocks(SparkSession spark) {
    long perRow = PerSample.of(DATA.model).gradSumBytesPerRow();
    spark.conf().set(SparkfuncConf.BLOCK_BYTES, String.valueOf(7 * perRow));
    DATA.frame(spark, 150).createOrReplaceTempView("t");
    spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create((Object) DATA.theta)),
        new org.apache.spark.sql.types.StructType().add("theta",
            org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.DoubleType)))
        .createOrReplaceTempView("p");
  }

  @AfterEach
  void defaultBlocks(SparkSession spark) {
    spark.conf().unset(SparkfuncConf.BLOCK_BYTES);
  }

  @Test
  void globalClippedSumEqualsTheRowLoopFor1And4And16Partitions(SparkSession spark) {
    double[] want = DATA.clippedSum(CLIP, 1, 0);
    for (int partitions : new int[] {1, 4, 16}) {
      spark.table("t").repartition(partitions).createOrReplaceTempView("tp");
      long blocksBefore = PerSample.blocksProcessed();
      Dataset<Row> q = spark.sql("SELECT sparkfunc.dp_clipped_grad_sum('" + SPEC + "', theta, x, y, " + CLIP
          + ") AS s FROM tp CROSS JOIN p");
      Row s = q.first().getStruct(0);
      long blocks = PerSample.blocksProcessed() - blocksBefore;
      assertEquals(900L, s.getLong(1), partitions + " partitions: count");
      assertValueClose(want, s.get(0), 1e-10, partitions + " partitions: clipped sum");
      assertTrue(blocks >= 900 / 7 && blocks <= 900 / 7 + 2 * partitions + 2,
          partitions + " partitions: blocks of about 7 rows ran, not rows one at a time: " + blocks);
      assertTrue(q.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$)
          .contains("dp_clipped_grad_sum"), "the aggregate shows in the plan");
    }
  }

  @Test
  void groupedSumsOverMoreThan128GroupsEqualTheRowLoop(SparkSession spark) {
    List<Row> rows = spark.sql("SELECT k, sparkfunc.dp_clipped_grad_sum('" + SPEC + "', theta, x, y, " + CLIP
        + ") AS c FROM (SELECT * FROM t DISTRIBUTE BY id % 4) "
        + "CROSS JOIN p GROUP BY k ORDER BY k").collectAsList();
    assertEquals(150, rows.size());
    for (int k = 0; k < 150; k++) {
      Row r = rows.get(k);
      assertEquals(k, r.getInt(0));
      assertEquals(6L, r.getStruct(1).getLong(1), "group " + k + ": count");
      assertValueClose(DATA.clippedSum(CLIP, 150, k), r.getStruct(1).get(0), 1e-10, "group " + k + ": clipped");
    }
  }

  @Test
  void gradSumAndMeanEqualTheRowLoopAndEmptyInputGivesNull(SparkSession spark) {
    double[] sum = DATA.clippedSum(Double.POSITIVE_INFINITY, 1, 0);
    double[] mean = java.util.Arrays.stream(sum).map(v -> v / 900).toArray();
    Row r = spark.sql("SELECT sparkfunc.grad_sum('" + SPEC + "', theta, x, y), sparkfunc.grad_mean('" + SPEC
        + "', theta, x, y) FROM (SELECT * FROM t DISTRIBUTE BY id % 4) CROSS JOIN p").first();
    assertValueClose(sum, r.getStruct(0).get(0), 1e-10, "grad_sum");
    assertValueClose(mean, r.get(1), 1e-10, "grad_mean");
    Row empty = spark.sql("SELECT sparkfunc.dp_clipped_grad_sum('" + SPEC + "', theta, x, y, 1.0) AS s, "
        + "sparkfunc.grad_mean('" + SPEC + "', theta, x, y) AS m FROM t CROSS JOIN p WHERE id < 0").first();
    assertTrue(empty.getStruct(0).isNullAt(0));
    assertEquals(0L, empty.getStruct(0).getLong(1));
    assertTrue(empty.isNullAt(1));
  }
}
