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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ensemble_stats} equals the two-pass result over every (sample, row) prediction with 1, 4
 * and 16 partitions and grouped over 150 groups (Spark's sort fallback, which serializes buffers
 * mid-block). Blocks are kept small (about 7 rows) so most buffers hold pending rows when Spark
 * serializes them.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class EnsembleStatsAggregateTest {
  private static final String SPEC = "mlp(5,4,3;act=tanh)";
  private static final TestData DATA = new TestData(Models.parse(SPEC), 900, 41);
  private static final double[][] SAMPLES = DATA.samples(6, 41);

  @BeforeEach
  void smallBlocks(SparkSession spark) {
    long perRow = 8L * (5 + SAMPLES.length * (5 + 3));
    spark.conf().set(SparkfuncConf.BLOCK_BYTES, String.valueOf(7 * perRow));
    DATA.frame(spark, 150).createOrReplaceTempView("t");
    spark.createDataFrame(List.of(RowFactory.create((Object) SAMPLES)), new StructType().add("samples",
        DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)))).createOrReplaceTempView("s");
  }

  @AfterEach
  void defaultBlocks(SparkSession spark) {
    spark.conf().unset(SparkfuncConf.BLOCK_BYTES);
  }

  private static void assertStats(double[][] want, Row got, long rows, String what) {
    assertValueClose(want[0], got.get(0), 1e-10, what + ": mean");
    assertValueClose(want[1], got.get(1), 1e-10, what + ": var");
    assertValueClose(want[2], got.get(2), 1e-10, what + ": epistemic_var");
    assertEquals(rows, got.getLong(3), what + ": count");
  }

  @Test
  void globalStatsEqualTheTwoPassResultFor1And4And16Partitions(SparkSession spark) {
    double[][] want = DATA.ensembleStats(SAMPLES, 1, 0);
    for (int partitions : new int[] {1, 4, 16}) {
      spark.table("t").repartition(partitions).createOrReplaceTempView("tp");
      long blocksBefore = PerSample.blocksProcessed();
      Dataset<Row> q = spark.sql("SELECT sparkfunc.ensemble_stats('" + SPEC + "', samples, x) AS e FROM tp CROSS JOIN s");
      Row e = q.first().getStruct(0);
      long blocks = PerSample.blocksProcessed() - blocksBefore;
      assertStats(want, e, 900, partitions + " partitions");
      assertTrue(blocks >= 900 / 7 && blocks <= 900 / 7 + 2 * partitions + 2,
          partitions + " partitions: blocks of about 7 rows ran, not rows one at a time: " + blocks);
      assertTrue(q.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$)
          .contains("ensemble_stats"), "the aggregate shows in the plan");
    }
  }

  @Test
  void groupedStatsOverMoreThan128GroupsEqualTheTwoPassResult(SparkSession spark) {
    List<Row> rows = spark.sql("SELECT k, sparkfunc.ensemble_stats('" + SPEC + "', samples, x) AS e "
        + "FROM (SELECT * FROM t DISTRIBUTE BY id % 4) CROSS JOIN s GROUP BY k ORDER BY k").collectAsList();
    assertEquals(150, rows.size());
    for (int k = 0; k < 150; k++) {
      assertEquals(k, rows.get(k).getInt(0));
      assertStats(DATA.ensembleStats(SAMPLES, 150, k), rows.get(k).getStruct(1), 6, "group " + k);
    }
  }

  @Test
  void literalSamplesAndEmptyInput(SparkSession spark) {
    String samples = "array(sparkfunc.init_params('" + SPEC + "', 42), sparkfunc.init_params('" + SPEC + "', 43))";
    double[][] two = DATA.samples(2, 41);
    Row r = spark.sql("SELECT sparkfunc.ensemble_stats('" + SPEC + "', " + samples + ", x) FROM t").first();
    assertStats(DATA.ensembleStats(two, 1, 0), r.getStruct(0), 900, "literal samples");
    Row empty = spark.sql("SELECT sparkfunc.ensemble_stats('" + SPEC + "', samples, x) FROM t CROSS JOIN s WHERE id < 0")
        .first().getStruct(0);
    assertTrue(empty.isNullAt(0) && empty.isNullAt(1) && empty.isNullAt(2));
    assertEquals(0L, empty.getLong(3));
  }
}
