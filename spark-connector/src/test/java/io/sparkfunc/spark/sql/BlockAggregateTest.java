package io.sparkfunc.spark.sql;

import static io.sparkfunc.spark.testing.DataFrameAssert.assertValueClose;
import static io.sparkfunc.spark.testing.Failures.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.spark.df.RowBlocks;
import io.sparkfunc.spark.testing.Failures;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.PoissonSample;
import io.sparkfunc.udfs.model.Models;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The block aggregates ({@code dp_clipped_grad_sum_blocks}, {@code grad_sum_blocks}, {@code
 * grad_mean_blocks}) over {@link RowBlocks}: with q = 1 they equal the row aggregates and the
 * row-at-a-time loop over every row; with q < 1 the row-at-a-time clipped sum over exactly the
 * rows {@link PoissonSample} picks, for 1, 4 and 16 partitions of the blocks. Cached blocks hold
 * 7 rows and the aggregate's pending blocks 5, so sampled rows cross block boundaries.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class BlockAggregateTest {
  private static final String SPEC = "mlp(5,4,3;act=relu)";
  private static final TestData DATA = new TestData(Models.parse(SPEC), 300, 23);
  private static final double CLIP = 1.5;
  private static final long PER_ROW = PerSample.of(DATA.model).gradSumBytesPerRow();

  private Dataset<Row> blocks;

  @BeforeEach
  void blocksOf7Rows(SparkSession spark) {
    spark.conf().set(SparkfuncConf.BLOCK_BYTES, String.valueOf(7 * PER_ROW));
    blocks = RowBlocks.build(DATA.frame(spark, 1).repartition(3), SPEC, "x", "y").cache();
    blocks.createOrReplaceTempView("b");
    spark.conf().set(SparkfuncConf.BLOCK_BYTES, String.valueOf(5 * PER_ROW));
    spark.createDataFrame(List.of(RowFactory.create((Object) DATA.theta)),
        new StructType().add("theta", DataTypes.createArrayType(DataTypes.DoubleType))).createOrReplaceTempView("p");
  }

  @AfterEach
  void defaultBlocks(SparkSession spark) {
    spark.conf().unset(SparkfuncConf.BLOCK_BYTES);
  }

  private static String call(String fn, double q, long seed) {
    String clip = fn.startsWith("dp") ? CLIP + ", " : "";
    return fn + "('" + SPEC + "', theta, features, labels, block_id, " + clip + q + ", " + seed + ")";
  }

  @Test
  void blocksHoldEveryRowOnceInOrder(SparkSession spark) {
    List<Row> bs = blocks.orderBy("block_id").collectAsList();
    assertEquals(300, bs.stream().mapToInt(b -> b.getInt(1)).sum());
    for (Row b : bs) {
      int n = b.getInt(1);
      assertTrue(n >= 1 && n <= 7, "rows per block: " + n);
      assertEquals(n * 5, b.getList(2).size());
      assertEquals(n, b.getList(3).size());
      assertEquals(0, (b.getLong(0) & 0xFFFF_FFFFL) % 7, "block_id = partition << 32 | first row: " + b.getLong(0));
    }
    assertEquals(RowBlocks.SCHEMA, blocks.schema());
  }

  @Test
  void allRowsEqualTheRowAggregateAndTheLoopFor1And4And16Partitions(SparkSession spark) {
    double[] want = DATA.clippedSum(CLIP, 1, 0);
    DATA.frame(spark, 1).createOrReplaceTempView("t");
    Row byRows = spark.sql("SELECT dp_clipped_grad_sum('" + SPEC + "', theta, x, y, " + CLIP + ") FROM t CROSS JOIN p")
        .first().getStruct(0);
    for (int partitions : new int[] {1, 4, 16}) {
      blocks.repartition(partitions).createOrReplaceTempView("bp");
      long before = PerSample.blocksProcessed();
      Dataset<Row> q = spark.sql("SELECT " + call("dp_clipped_grad_sum_blocks", 1.0, 9) + " FROM bp CROSS JOIN p");
      Row s = q.first().getStruct(0);
      long ran = PerSample.blocksProcessed() - before;
      assertEquals(300L, s.getLong(1), partitions + " partitions: count");
      assertValueClose(want, s.get(0), 1e-10, partitions + " partitions: vs the loop");
      assertValueClose(byRows.get(0), s.get(0), 1e-10, partitions + " partitions: vs dp_clipped_grad_sum over rows");
      assertTrue(ran >= 300 / 5 && ran <= 300 / 5 + 2 * partitions + 2, partitions + " partitions: blocks of 5 ran: " + ran);
      assertTrue(q.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$)
          .contains("sparkfunc.dp_clipped_grad_sum_blocks"), "the aggregate shows in the plan");
    }
    double[] sum = DATA.clippedSum(Double.POSITIVE_INFINITY, 1, 0);
    Row r = spark.sql("SELECT " + call("grad_sum_blocks", 1.0, 9) + ", " + call("grad_mean_blocks", 1.0, 9)
        + " FROM b CROSS JOIN p").first();
    assertValueClose(sum, r.getStruct(0).get(0), 1e-10, "grad_sum_blocks");
    assertValueClose(Arrays.stream(sum).map(v -> v / 300).toArray(), r.get(1), 1e-10, "grad_mean_blocks");
  }

  @Test
  void aSampleEqualsTheRowLoopOverExactlyTheSampledRows(SparkSession spark) {
    double q = 0.3;
    long seed = PoissonSample.stepSeed(42, 3);
    List<double[]> grads = new ArrayList<>();
    List<Row> sampledRows = new ArrayList<>();
    for (Row b : blocks.collectAsList()) {
      List<Double> x = b.getList(2);
      List<Double> y = b.getList(3);
      for (int r : PoissonSample.rows(seed, b.getLong(0), b.getInt(1), q)) {
        double[] f = new double[5];
        for (int j = 0; j < 5; j++) {
          f[j] = x.get(r * 5 + j);
        }
        grads.add(DATA.grad(f, y.get(r)));
        sampledRows.add(RowFactory.create(f, y.get(r)));
      }
    }
    assertTrue(grads.size() > 60 && grads.size() < 120, "about 90 of 300 rows sampled: " + grads.size());
    double[] want = DATA.clippedSum(grads, CLIP);
    spark.createDataFrame(sampledRows, new StructType().add("x", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("y", DataTypes.DoubleType)).createOrReplaceTempView("s");
    Row byRows = spark.sql("SELECT dp_clipped_grad_sum('" + SPEC + "', theta, x, y, " + CLIP + ") FROM s CROSS JOIN p")
        .first().getStruct(0);
    for (int partitions : new int[] {1, 4, 16}) {
      blocks.repartition(partitions).createOrReplaceTempView("bp");
      Row s = spark.sql("SELECT " + call("dp_clipped_grad_sum_blocks", q, seed) + " FROM bp CROSS JOIN p").first().getStruct(0);
      assertEquals(grads.size(), s.getLong(1), partitions + " partitions: the sample's size");
      assertValueClose(want, s.get(0), 1e-10, partitions + " partitions: vs the loop over the sampled rows");
      assertValueClose(byRows.get(0), s.get(0), 1e-10, partitions + " partitions: vs dp_clipped_grad_sum over them");
    }
    Row other = spark.sql("SELECT " + call("dp_clipped_grad_sum_blocks", q, PoissonSample.stepSeed(42, 4))
        + " FROM b CROSS JOIN p").first().getStruct(0);
    assertTrue(!Arrays.equals(toArray(other.getList(0)), want), "another step, another sample");
  }

  @Test
  void anEmptySampleGivesNullAndCountZero(SparkSession spark) {
    Row r = spark.sql("SELECT " + call("dp_clipped_grad_sum_blocks", 0.0, 1) + ", " + call("grad_mean_blocks", 0.0, 1)
        + " FROM b CROSS JOIN p").first();
    assertTrue(r.getStruct(0).isNullAt(0));
    assertEquals(0L, r.getStruct(0).getLong(1));
    assertTrue(r.isNullAt(1));
  }

  @Test
  void badBlocksNameFunctionColumnAndRow(SparkSession spark) {
    String theta = "init_params('softmax(2,2)', 1)";
    String nullAt65 = java.util.stream.IntStream.range(0, 68).mapToObj(k -> k == 65 ? "NULL" : "1.0D")
        .collect(java.util.stream.Collectors.joining(", "));
    spark.sql("SELECT * FROM VALUES "
        + "(0L, array(1.0D, 2.0D, 3.0D, 4.0D), array(0.0D, 1.0D)), "
        + "(1L, array(1.0D, 2.0D, 3.0D), array(0.0D, 1.0D)), "
        + "(2L, array(1.0D, 2.0D, 3.0D, double('NaN')), array(0.0D, 1.0D)), "
        + "(3L, CAST(NULL AS array<double>), array(0.0D)), "
        + "(4L, array(1.0D, 2.0D, 3.0D, 4.0D), array(0.0D, 7.0D)), "
        + "(5L, array(" + nullAt65 + "), array(" + String.join(", ", java.util.Collections.nCopies(34, "0.0D")) + ")) "
        + "AS r(id, feats, lbls)").coalesce(1).createOrReplaceTempView("bad");
    String fn = "dp_clipped_grad_sum_blocks('softmax(2,2)', " + theta + ", feats, lbls, id, 1.0, 1.0, 5)";
    String function = "dp_clipped_grad_sum_blocks(model, params, features, labels, block_id, clip_norm, q, seed)";
    assertMentions(failure(spark, "SELECT " + fn + " FROM bad WHERE id IN (0, 1)"),
        function + " at argument 3 (features: column `feats`), row 1 of partition 0",
        "expected 4 values (2 rows of 2 for softmax(2,2), row-major); got features: f64[3]");
    assertMentions(failure(spark, "SELECT " + fn + " FROM bad WHERE id = 2"),
        "argument 3 (features: column `feats`), row 0 of partition 0", "got features: NaN at index 1 of row 1 of the block");
    assertMentions(failure(spark, "SELECT " + fn + " FROM bad WHERE id = 3"), "argument 3 (features: column `feats`)", "got features: null");
    assertMentions(failure(spark, "SELECT " + fn + " FROM bad WHERE id = 4"),
        "argument 4 (labels: column `lbls`)", "class index in [0, 2)", "got labels: 7.0 (row 1 of the block)");
    assertMentions(failure(spark, "SELECT " + fn + " FROM bad WHERE id = 5"),
        "argument 3 (features: column `feats`)", "expected no null elements; got features: null at index 65");
    assertMentions(failure(spark, "SELECT " + fn.replace("'softmax(2,2)', init", "'resnet(2)', init") + " FROM bad"),
        "argument 1 (model", "unknown model 'resnet'");
    assertMentions(failure(spark, "SELECT " + fn.replace(theta, "array(1.0D, 2.0D)") + " FROM bad WHERE id = 0"),
        "argument 2 (params", "6 parameters for softmax(2,2); got params: f64[2]");
    assertMentions(failure(spark, "SELECT " + fn.replace("1.0, 1.0, 5", "1.0, 1.5, 5") + " FROM bad WHERE id = 0"),
        "argument 7 (q: 1.5)", "a sampling probability in [0, 1]");
    assertMentions(failure(spark, "SELECT " + fn.replace("lbls, id", "lbls, CAST(NULL AS bigint)") + " FROM bad WHERE id = 0"),
        "argument 5 (block_id", "got block_id: null");
    assertMentions(failure(spark, "SELECT " + fn.replace("lbls, id", "lbls, 1.5") + " FROM bad"),
        "block_id as bigint", "pass an integer");
  }

  @Test
  void badRowsFailWhileBuildingBlocks(SparkSession spark) {
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES (array(1.0D, 2.0D), 1), (array(1.0D), 0) AS r(f, l)").coalesce(1);
    assertMentions(Failures.failure(() -> RowBlocks.build(rows, "softmax(2,2)", "f", "l").collectAsList()),
        "RowBlocks.build at column 'f' (features), row 1 of partition 0", "expected 2 values for softmax(2,2); got features: f64[1]");
    assertMentions(Failures.failure(() -> RowBlocks.build(rows, "softmax(2,2)", "f", "nope")), "a label column", "'nope'");
  }

  private static String failure(SparkSession spark, String sql) {
    return Failures.failure(() -> spark.sql(sql).collectAsList());
  }

  private static double[] toArray(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
