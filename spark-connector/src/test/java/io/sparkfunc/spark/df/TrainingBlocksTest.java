package io.sparkfunc.spark.df;

import static io.sparkfunc.spark.testing.DataFrameAssert.assertValueClose;
import static io.sparkfunc.spark.testing.Failures.assertMentions;
import static io.sparkfunc.spark.testing.Failures.failure;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.spark.sql.TestData;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.KeyedBlock;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.PoissonSample;
import io.sparkfunc.udfs.model.Models;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TrainingBlocks}, the training job's per-step pass: over all rows it equals the loop over
 * rows; over a Poisson sample it equals {@code dp_clipped_grad_sum_blocks} over the same blocks
 * cached as a DataFrame (the same sample, drawn from the same block ids), for 1, 4 and 16
 * partitions. Blocks hold 7 rows, so 300 rows give several blocks per partition and short last
 * blocks.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class TrainingBlocksTest {
  private static final String SPEC = "mlp(5,4,3;act=relu)";
  private static final TestData DATA = new TestData(Models.parse(SPEC), 300, 29);
  private static final double CLIP = 1.5;
  private static final long PER_ROW = PerSample.of(DATA.model).gradSumBytesPerRow();

  @AfterEach
  void defaultBlocks(SparkSession spark) {
    spark.conf().unset(SparkfuncConf.BLOCK_BYTES);
  }

  @Test
  void allRowsEqualTheLoopInWholeBlocksFor1And4And16Partitions(SparkSession spark) {
    spark.conf().set(SparkfuncConf.BLOCK_BYTES, String.valueOf(7 * PER_ROW));
    double[] clipped = DATA.clippedSum(CLIP, 1, 0);
    double[] plain = DATA.clippedSum(Double.POSITIVE_INFINITY, 1, 0);
    for (int partitions : new int[] {1, 4, 16}) {
      try (TrainingBlocks blocks = TrainingBlocks.cache(DATA.frame(spark, 1).repartition(partitions), SPEC, "x", "y")) {
        assertEquals(300, blocks.rows());
        long before = PerSample.blocksProcessed();
        TrainingBlocks.StepSum s = blocks.clippedGradSum(DATA.theta, CLIP, 1.0, 5);
        long ran = PerSample.blocksProcessed() - before;
        assertEquals(300, s.count(), partitions + " partitions: count");
        assertValueClose(clipped, s.sum(), 1e-10, partitions + " partitions: clipped sum vs the loop");
        // Each cached block (7 rows, a partition's last one shorter) is one engine call, run in place.
        assertTrue(ran >= 300 / 7 && ran <= 300 / 7 + partitions, partitions + " partitions: engine blocks " + ran);
        TrainingBlocks.StepSum p = blocks.gradSum(DATA.theta, 1.0, 5);
        assertValueClose(plain, p.sum(), 1e-10, partitions + " partitions: plain sum vs the loop");
      }
    }
  }

  @Test
  void aSampleEqualsTheBlockAggregateOverTheSameBlocks(SparkSession spark) {
    spark.conf().set(SparkfuncConf.BLOCK_BYTES, String.valueOf(7 * PER_ROW));
    double q = 0.3;
    for (int partitions : new int[] {1, 4, 16}) {
      Dataset<Row> data = DATA.frame(spark, 1).repartition(partitions).cache();
      Dataset<Row> frame = RowBlocks.build(data, SPEC, "x", "y").cache();
      try (TrainingBlocks blocks = TrainingBlocks.cache(data, SPEC, "x", "y")) {
        for (long step = 0; step < 3; step++) {
          long seed = PoissonSample.stepSeed(42, step);
          Row sql = frame.agg(call_function("dp_clipped_grad_sum_blocks", lit(SPEC), lit(DATA.theta), col("features"),
              col("labels"), col("block_id"), lit(CLIP), lit(q), lit((double) seed))).first().getStruct(0);
          TrainingBlocks.StepSum s = blocks.clippedGradSum(DATA.theta, CLIP, q, seed);
          String at = partitions + " partitions, step " + step;
          assertEquals(sql.getLong(1), s.count(), at + ": the same sample");
          assertTrue(s.count() > 60 && s.count() < 120, at + ": about 90 of 300 rows sampled: " + s.count());
          assertValueClose(sql.get(0), s.sum(), 1e-10, at + ": vs dp_clipped_grad_sum_blocks");
        }
      } finally {
        frame.unpersist();
        data.unpersist();
      }
    }
  }

  @Test
  void cachedBlocksSurviveKryoAndJavaSerialization() {
    KeyedBlock b = new KeyedBlock(3L << 32 | 14, new double[] {1, 2, 3, 4}, new double[] {0, 1});
    scala.reflect.ClassTag<KeyedBlock> tag = scala.reflect.ClassTag$.MODULE$.apply(KeyedBlock.class);
    for (org.apache.spark.serializer.Serializer ser : java.util.List.of(
        new org.apache.spark.serializer.KryoSerializer(new org.apache.spark.SparkConf()),
        new org.apache.spark.serializer.JavaSerializer(new org.apache.spark.SparkConf()))) {
      org.apache.spark.serializer.SerializerInstance in = ser.newInstance();
      KeyedBlock back = in.deserialize(in.serialize(b, tag), tag);
      String name = ser.getClass().getSimpleName();
      assertEquals(b.id(), back.id(), name);
      assertEquals(2, back.rows(), name);
      assertTrue(java.util.Arrays.equals(b.features(), back.features()) && java.util.Arrays.equals(b.labels(), back.labels()), name);
    }
  }

  @Test
  void anEmptySampleGivesNoSum(SparkSession spark) {
    try (TrainingBlocks blocks = TrainingBlocks.cache(DATA.frame(spark, 1).repartition(2), SPEC, "x", "y")) {
      TrainingBlocks.StepSum s = blocks.gradSum(DATA.theta, 0.0, 1);
      assertEquals(0, s.count());
      assertNull(s.sum());
    }
  }

  @Test
  void badInputNamesTheCallTheArgumentAndTheRow(SparkSession spark) {
    try (TrainingBlocks blocks = TrainingBlocks.cache(DATA.frame(spark, 1).repartition(2), SPEC, "x", "y")) {
      assertMentions(failure(() -> blocks.clippedGradSum(new double[3], CLIP, 0.5, 1)),
          "TrainingBlocks.clippedGradSum", "params", "parameters for " + SPEC, "got params: f64[3]");
      assertMentions(failure(() -> blocks.clippedGradSum(DATA.theta, 0, 0.5, 1)),
          "TrainingBlocks.clippedGradSum", "clip_norm", "a positive number");
      assertMentions(failure(() -> blocks.gradSum(DATA.theta, 1.5, 1)),
          "TrainingBlocks.gradSum", "q", "a sampling probability in [0, 1]");
    }
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES (array(1.0D, 2.0D), 1), (array(1.0D, double('NaN')), 0) AS r(f, l)")
        .coalesce(1);
    assertMentions(failure(() -> TrainingBlocks.cache(rows, "softmax(2,2)", "f", "l")),
        "TrainingBlocks.cache at column 'f' (features), row 1 of partition 0", "finite");
    assertMentions(failure(() -> TrainingBlocks.cache(rows, "softmax(2,2)", "f", "nope")), "a label column", "'nope'");
    assertMentions(failure(() -> TrainingBlocks.cache(rows, "resnet(2)", "f", "l")), "unknown model 'resnet'");
  }
}
