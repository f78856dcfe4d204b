package io.sparkfunc.spark.df;

import static io.sparkfunc.spark.testing.Failures.assertMentions;
import static io.sparkfunc.spark.testing.Failures.failure;
import static io.sparkfunc.spark.testing.DataFrameAssert.assertArrayColumnClose;
import static io.sparkfunc.spark.testing.DataFrameAssert.assertValueClose;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.spark.sql.TestData;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Models;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The DataFrame API against a loop over rows on the engine (and the SQL functions), with 1 and 4
 * partitions and partitions larger than the chunk, which must run in chunks, not row by row.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class DataFrameApiTest {
  private static final String SPEC = "mlp(4,5,3;act=tanh)";
  private static final TestData DATA = new TestData(Models.parse(SPEC), 60, 13);

  @Test
  void perSampleGradientsEqualTheRowLoopInChunks(SparkSession spark) {
    double[][] want = new double[60][];
    for (int i = 0; i < 60; i++) {
      want[i] = DATA.grad(i);
    }
    for (int partitions : new int[] {1, 4}) {
      Dataset<Row> df = DATA.frame(spark, 1).repartition(partitions);
      long before = PerSample.blocksProcessed();
      Dataset<Row> out = PerSampleGradients.of(SPEC).chunkRows(7).transform(df, DATA.theta, "x", "y", "grad");
      List<Row> rows = byId(out.collectAsList()); // no orderBy: its sampling pass would run the chunks again
      long blocks = PerSample.blocksProcessed() - before;
      assertEquals(List.of("id", "x", "y", "k", "grad"), List.of(out.columns()));
      assertArrayColumnClose(want, rows, "grad", 1e-12);
      for (int i = 0; i < 60; i++) {
        assertEquals(i, rows.get(i).getLong(0));
        assertEquals(DATA.y[i], rows.get(i).getInt(2));
      }
      assertTrue(blocks >= 60 / 7 && blocks <= 60 / 7 + partitions, partitions + " partitions: chunks of 7 rows, got " + blocks);
    }
  }

  @Test
  void perSampleGradientsEqualTheSqlFunctionInChunksSizedByTheSessionConf(SparkSession spark) {
    Dataset<Row> df = DATA.frame(spark, 1).repartition(4);
    long perRow = 8L * (2 * DATA.model.numParams() + DATA.model.numFeatures());
    spark.conf().set(SparkfuncConf.BLOCK_BYTES, String.valueOf(10 * perRow));
    long before = PerSample.blocksProcessed();
    List<Row> api;
    try {
      api = byId(PerSampleGradients.of(Models.parse(SPEC)).transform(df, DATA.theta, "x", "y", "g").collectAsList());
    } finally {
      spark.conf().unset(SparkfuncConf.BLOCK_BYTES);
    }
    long blocks = PerSample.blocksProcessed() - before;
    assertTrue(blocks >= 6 && blocks <= 10, "4 partitions of about 15 rows in chunks of 10 rows: " + blocks);
    List<Row> sql = byId(df.select(col("id"), call_function("sparkfunc.per_sample_grad", lit(SPEC), lit(DATA.theta),
        col("x"), col("y")).as("g")).collectAsList());
    for (int i = 0; i < 60; i++) {
      assertValueClose(sql.get(i).get(1), api.get(i).get(4), 1e-12, "row " + i);
    }
  }

  @Test
  void ensembleMeanAndVarianceEqualTheRowLoopInChunks(SparkSession spark) {
    double[][] samples = DATA.samples(5, 13);
    for (int partitions : new int[] {1, 4}) {
      Dataset<Row> df = DATA.frame(spark, 1).repartition(partitions);
      long before = PerSample.blocksProcessed();
      Dataset<Row> out = Ensemble.of(SPEC).chunkRows(7).predict(df, samples, "x");
      List<Row> rows = byId(out.collectAsList()); // no orderBy: its sampling pass would run the chunks again
      long blocks = PerSample.blocksProcessed() - before;
      assertEquals(List.of("id", "x", "y", "k", Ensemble.MEAN_COL, Ensemble.VAR_COL), List.of(out.columns()));
      for (int i = 0; i < 60; i++) {
        double[][] stats = DATA.ensembleStats(samples, 60, i);
        assertValueClose(stats[0], rows.get(i).get(4), 1e-12, partitions + " partitions, mean row " + i);
        assertValueClose(stats[2], rows.get(i).get(5), 1e-12, partitions + " partitions, var row " + i);
      }
      assertTrue(blocks >= 60 / 7 && blocks <= 60 / 7 + partitions, partitions + " partitions: chunks of 7 rows, got " + blocks);
    }
  }

  @Test
  void badInputNamesTheColumnAndTheRow(SparkSession spark) {
    Dataset<Row> df = spark.sql("SELECT * FROM VALUES (0, array(1.0D, 2.0D, 3.0D, 4.0D), 1), "
        + "(1, CAST(NULL AS array<double>), 0), (2, array(1.0D, 2.0D), 2), (3, array(1.0D, 2.0D, 3.0D, 4.0D), 7) "
        + "AS r(id, feats, lbl)").coalesce(1);
    PerSampleGradients psg = PerSampleGradients.of(SPEC);
    assertMentions(failure(() -> psg.transform(df.where("id IN (0, 1)"), DATA.theta, "feats", "lbl", "g").collectAsList()),
        "PerSampleGradients.transform at column 'feats' (features), row 1 of partition 0", "got features: null");
    assertMentions(failure(() -> psg.transform(df.where("id = 2"), DATA.theta, "feats", "lbl", "g").collectAsList()),
        "column 'feats' (features), row 0", "expected 4 values for mlp(4,5,3;act=tanh); got features: f64[2]");
    assertMentions(failure(() -> psg.transform(df.where("id = 3"), DATA.theta, "feats", "lbl", "g").collectAsList()),
        "column 'lbl' (label), row 0", "a class index in [0, 3)");
    assertMentions(failure(() -> psg.transform(df, new double[3], "feats", "lbl", "g")),
        "PerSampleGradients.transform (params)", "43 parameters for mlp(4,5,3;act=tanh); got params: f64[3]");
    assertMentions(failure(() -> psg.transform(df, DATA.theta, "features", "lbl", "g")),
        "expected a features column; got 'features', not among [id, feats, lbl]");
    assertMentions(failure(() -> psg.transform(df, DATA.theta, "feats", "lbl", "id")), "'id', already a column");
    assertMentions(failure(() -> PerSampleGradients.of("resnet(3)")), "PerSampleGradients.transform (model)", "unknown model 'resnet'");
    assertMentions(failure(() -> Ensemble.of(SPEC).predict(df.where("id = 1"), DATA.samples(2, 1), "feats").collectAsList()),
        "Ensemble.predict at column 'feats' (features), row 0 of partition 0", "got features: null");
    assertMentions(failure(() -> Ensemble.of(SPEC).predict(df, new double[][] {DATA.theta, new double[2]}, "feats")),
        "Ensemble.predict (param_samples[1]) (paramSamples)", "got param_samples: f64[2]");
  }

  private static List<Row> byId(List<Row> rows) {
    return rows.stream().sorted(java.util.Comparator.comparingLong(r -> r.getLong(0))).toList();
  }
}
