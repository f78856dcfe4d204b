package io.sparkfunc.spark.df;

import static io.sparkfunc.spark.testing.DataFrameAssert.assertArrayColumnClose;
import static io.sparkfunc.spark.testing.DataFrameAssert.assertValueClose;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.spark.sql.TestData;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.model.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract between the DataFrame API's two paths: the fast path on Spark internals ({@link
 * ArrowChunks}, {@code spark.sparkfunc.df.arrow=true}) and the public {@code mapPartitions} path
 * ({@link RowChunks}, {@code =false}) give the same values, bit for bit, and the same errors,
 * word for word; the fast-path counter proves which one ran, and no Arrow memory is left behind.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class DataFrameFastPathTest {
  private static final String SPEC = "mlp(4,5,3;act=tanh)";
  private static final TestData DATA = new TestData(Models.parse(SPEC), 60, 13);
  private static final String PSG = "PerSampleGradients.transform at column";

  @AfterEach
  void noArrowMemoryLeft() {
    assertEquals(0, ArrowChunks.openAllocators(), "task allocators still open");
    assertEquals(0, ArrowChunks.allocatedBytes(), "Arrow bytes still held");
  }

  @Test
  void bothPathsGiveTheSameGradientsAndEnsembleStatsInChunks(SparkSession spark) {
    double[][] want = new double[60][];
    for (int i = 0; i < 60; i++) {
      want[i] = DATA.grad(i);
    }
    double[][] samples = DATA.samples(4, 5);
    for (int partitions : new int[] {1, 4}) {
      Dataset<Row> df = DATA.frame(spark, 1).repartition(partitions);
      PerSampleGradients psg = PerSampleGradients.of(SPEC).chunkRows(7);
      Ensemble ens = Ensemble.of(SPEC).chunkRows(7);

      long before = FastPath.chunks();
      List<Row> fastGrads = run(spark, "true", () -> psg.transform(df, DATA.theta, "x", "y", "grad"));
      List<Row> fastStats = run(spark, "true", () -> ens.predict(df, samples, "x"));
      long fastChunks = FastPath.chunks() - before;
      List<Row> rowGrads = run(spark, "false", () -> psg.transform(df, DATA.theta, "x", "y", "grad"));
      List<Row> rowStats = run(spark, "false", () -> ens.predict(df, samples, "x"));

      assertEquals(fastChunks, FastPath.chunks() - before, "the mapPartitions path ran no fast-path chunk");
      assertTrue(fastChunks >= 2 * (60 / 7) && fastChunks <= 2 * (60 / 7 + partitions),
          partitions + " partitions, chunks of 7 rows, two calls: " + fastChunks + " fast-path chunks");
      assertAgree(rowGrads, fastGrads, partitions + " partitions, grads");
      assertAgree(rowStats, fastStats, partitions + " partitions, ensemble mean/var");
      assertArrayColumnClose(want, fastGrads, "grad", 1e-12);
    }
  }

  @Test
  void bothPathsReadEveryNumericTypeAlike(SparkSession spark) {
    Dataset<Row> df = DATA.frame(spark, 1).repartition(2).select(col("id"),
        expr("transform(x, v -> IF(v > 1e30, NULL, CAST(v AS double)))").as("x_nullable"),
        col("x").cast("array<int>").as("x_int"),
        col("y").cast("long").as("y_long"),
        col("y").cast("decimal(10,2)").as("y_dec"));
    PerSampleGradients psg = PerSampleGradients.of(SPEC).chunkRows(16);
    String[][] pairs = {{"x_nullable", "y_long"}, {"x_int", "y_dec"}};
    for (String[] p : pairs) {
      long before = FastPath.chunks();
      List<Row> fast = run(spark, "true", () -> psg.transform(df, DATA.theta, p[0], p[1], "g"));
      assertTrue(FastPath.chunks() > before, "the fast path ran for " + p[0]);
      assertAgree(run(spark, "false", () -> psg.transform(df, DATA.theta, p[0], p[1], "g")), fast, p[0] + ", " + p[1]);
    }
  }

  @Test
  void errorsNameTheColumnAndTheRowOnBothPathsAlike(SparkSession spark) {
    Dataset<Row> df = spark.sql("SELECT * FROM VALUES (0, array(1.0D, 2.0D, 3.0D, 4.0D), 1), "
        + "(1, CAST(NULL AS array<double>), 0), (2, array(1.0D, 2.0D), 2), (3, array(1.0D, 2.0D, 3.0D, 4.0D), 7), "
        + "(4, array(1.0D, CAST('NaN' AS double), 3.0D, 4.0D), 1), (5, array(1.0D, NULL, 3.0D, 4.0D), 1), "
        + "(6, array(1.0D, 2.0D, 3.0D, 4.0D), NULL) AS r(id, feats, lbl)").coalesce(1);
    PerSampleGradients psg = PerSampleGradients.of(SPEC);
    String[][] cases = {
        {"id IN (0, 1)", "column 'feats' (features), row 1 of partition 0", "got features: null"},
        {"id = 2", "column 'feats' (features), row 0", "expected 4 values for mlp(4,5,3;act=tanh); got features: f64[2]"},
        {"id IN (0, 4)", "column 'feats' (features), row 1", "expected finite values; got features: NaN at index 1"},
        {"id = 5", "column 'feats' (features), row 0", "expected no null elements; got features: null at index 1"},
        {"id = 3", "column 'lbl' (label), row 0", "a class index in [0, 3)"},
        {"id IN (0, 6)", "column 'lbl' (label), row 1", "expected a finite number; got label: null"}};
    for (String[] c : cases) {
      String fast = failure(spark, "true", () -> psg.transform(df.where(c[0]), DATA.theta, "feats", "lbl", "g"), PSG);
      String slow = failure(spark, "false", () -> psg.transform(df.where(c[0]), DATA.theta, "feats", "lbl", "g"), PSG);
      assertEquals(slow, fast, c[0]);
      assertTrue(fast.contains(c[1]) && fast.contains(c[2]), c[0] + ": " + fast);
    }
    Supplier<Dataset<Row>> ensemble = () -> Ensemble.of(SPEC).predict(df.where("id = 1"), DATA.samples(2, 1), "feats");
    String fast = failure(spark, "true", ensemble, "Ensemble.predict at column");
    assertEquals(failure(spark, "false", ensemble, "Ensemble.predict at column"), fast);
    assertTrue(fast.startsWith("Ensemble.predict at column 'feats' (features), row 0 of partition 0: expected an array of 4"
        + " values; got features: null"), fast);
  }

  @Test
  void theCallRunsNoJobBeforeAnActionOnEitherPath(SparkSession spark) throws Exception {
    Dataset<Row> df = DATA.frame(spark, 1).repartition(4); // toRdd() at the call would run this shuffle (AQE)
    AtomicInteger jobs = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    };
    spark.sparkContext().addSparkListener(listener);
    try {
      for (String mode : new String[] {"true", "false"}) {
        spark.conf().set(SparkfuncConf.DF_ARROW, mode);
        Dataset<Row> out = PerSampleGradients.of(SPEC).transform(df, DATA.theta, "x", "y", "g");
        spark.sparkContext().listenerBus().waitUntilEmpty();
        assertEquals(0, jobs.get(), mode + ": jobs run by the call itself");
        assertEquals(60, out.collectAsList().size());
        spark.sparkContext().listenerBus().waitUntilEmpty();
        jobs.set(0);
      }
    } finally {
      spark.sparkContext().removeSparkListener(listener);
      spark.conf().unset(SparkfuncConf.DF_ARROW);
    }
  }

  @Test
  void aPartlyReadPartitionStillClosesItsArrowMemory(SparkSession spark) {
    Dataset<Row> df = DATA.frame(spark, 1).repartition(2);
    List<Row> two = run(spark, "true", () -> PerSampleGradients.of(SPEC).chunkRows(7)
        .transform(df, DATA.theta, "x", "y", "grad").limit(2));
    assertEquals(2, two.size());
    // noArrowMemoryLeft: the tasks' completion listeners closed the allocators of the unfinished partitions
  }

  @Test
  void autoTakesTheFastPathHereAndFallsBackWithALogLineWhenItIsMissing(SparkSession spark) {
    long before = FastPath.chunks();
    run(spark, "auto", () -> PerSampleGradients.of(SPEC).transform(DATA.frame(spark, 1), DATA.theta, "x", "y", "g"));
    assertTrue(FastPath.chunks() > before, "auto on classic Spark 4.2 takes the fast path");

    List<String> logged = new ArrayList<>();
    Logger log = Logger.getLogger(FastPath.class.getName());
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(h);
    try {
      assertFalse(FastPath.choose("auto", "PerSampleGradients.transform", "java.lang.ClassNotFoundException: x.Y"));
    } finally {
      log.removeHandler(h);
    }
    assertEquals(List.of("PerSampleGradients.transform: the Arrow fast path is unavailable"
        + " (java.lang.ClassNotFoundException: x.Y); running on the public mapPartitions path"), logged);
    assertTrue(FastPath.choose("true", "PerSampleGradients.transform", null));
    EngineException e = assertThrows(EngineException.class,
        () -> FastPath.choose("true", "PerSampleGradients.transform", "java.lang.ClassNotFoundException: x.Y"));
    assertTrue(e.getMessage().startsWith("PerSampleGradients.transform (spark.sparkfunc.df.arrow=true): expected the Spark"
        + " internals of the fast path") && e.getMessage().contains("got java.lang.ClassNotFoundException: x.Y")
        && e.getMessage().contains("set spark.sparkfunc.df.arrow=auto"), e.getMessage());

    spark.conf().set(SparkfuncConf.DF_ARROW, "maybe");
    try {
      EngineException bad = assertThrows(EngineException.class,
          () -> PerSampleGradients.of(SPEC).transform(DATA.frame(spark, 1), DATA.theta, "x", "y", "g"));
      assertTrue(bad.getMessage().contains("expected auto, true or false; got 'maybe'"), bad.getMessage());
    } finally {
      spark.conf().unset(SparkfuncConf.DF_ARROW);
    }
  }

  /** Collects {@code df} under {@code spark.sparkfunc.df.arrow=mode}, rows by id. */
  private static List<Row> run(SparkSession spark, String mode, Supplier<Dataset<Row>> df) {
    spark.conf().set(SparkfuncConf.DF_ARROW, mode);
    try {
      return df.get().collectAsList().stream()
          .sorted(java.util.Comparator.comparingLong(r -> r.getLong(0))).toList();
    } finally {
      spark.conf().unset(SparkfuncConf.DF_ARROW);
    }
  }

  /**
   * Every value equal within 1e-13 relative. Not bit for bit: the fast path's features are an
   * off-heap Arrow block, which the engine stages into heap tiles for the GEMM, and the staged
   * operand can take another summation order than the same operand on the heap (a last-bit
   * difference, seen once in CI).
   */
  private static void assertAgree(List<Row> expected, List<Row> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      assertValueClose(expected.get(i), actual.get(i), 1e-13, what + ", row " + i);
    }
  }

  /** The line of the failure (under {@code mode}) from {@code start} on. */
  private static String failure(SparkSession spark, String mode, Supplier<Dataset<Row>> df, String start) {
    Throwable t = assertThrows(Exception.class, () -> run(spark, mode, df));
    for (; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      int at = m.indexOf(start);
      if (at >= 0) {
        int end = m.indexOf('\n', at);
        return m.substring(at, end < 0 ? m.length() : end);
      }
    }
    throw new AssertionError("no '" + start + "' in the failure under " + mode);
  }
}
