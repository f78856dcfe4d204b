package io.sparkfunc.spark.df;

import static org.apache.spark.sql.functions.expr;

import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rows per second of the DataFrame API's two paths on one cached DataFrame (100k rows of {@code
 * array<double>[64]} and a class label, 2 partitions, the shared {@code local[2]} session):
 * {@code softmax(64,10)} per-sample gradients and an 8-sample ensemble, each written to Spark's
 * {@code noop} sink. The paths alternate within one run (one warm-up round each, then 5 timed
 * rounds each) so machine load hits both alike. Prints a table (wall rows/s, best and median round, and the
 * tasks' CPU time a row, from the task metrics, which load disturbs less); asserts nothing about
 * time.
 *
 * <p>Run: {@code mvn -B -q -pl spark-connector -am test -Dtest=DataFrameThroughputBench
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsparkfunc.bench.df=true}
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
@EnabledIfSystemProperty(named = "sparkfunc.bench.df", matches = "true")
class DataFrameThroughputBench {
  private static final int ROWS = 100_000;
  private static final String SPEC = "softmax(64,10)";
  private static final int ROUNDS = 5;

  @Test
  void rowsPerSecondOfBothPaths(SparkSession spark) throws Exception {
    Model model = Models.parse(SPEC);
    Dataset<Row> df = spark.range(0, ROWS, 1, 2).select(expr("id"),
        expr("transform(sequence(0, 63), j -> CAST(pmod(hash(id, j), 2001) - 1000 AS double) / 500.0)").as("x"),
        expr("pmod(hash(id), 10)").as("y")).cache();
    df.count();
    double[] theta = model.init(1).toDoubleArray();
    double[][] samples = new double[8][];
    for (int s = 0; s < samples.length; s++) {
      samples[s] = model.init(2 + s).toDoubleArray();
    }
    Map<String, Function<Dataset<Row>, Dataset<Row>>> calls = new LinkedHashMap<>();
    calls.put("PerSampleGradients.transform", d -> PerSampleGradients.of(SPEC).transform(d, theta, "x", "y", "grad"));
    calls.put("Ensemble.predict (S=8)", d -> Ensemble.of(SPEC).predict(d, samples, "x"));
    StringBuilder table = new StringBuilder("| call | path | rows/s, best round | rows/s, median | task CPU µs/row, median | rounds, s |\n"
        + "|---|---|---|---|---|---|\n");
    double[][] scan = new double[2][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      double[] t = time(spark, "auto", () -> df);
      scan[0][round] = t[0];
      scan[1][round] = t[1];
    }
    table.append(row("scan of the cached rows alone", "-", scan[0], scan[1]));
    for (Map.Entry<String, Function<Dataset<Row>, Dataset<Row>>> call : calls.entrySet()) {
      String[] modes = {"true", "false"};
      double[][] secs = new double[2][ROUNDS];
      double[][] cpu = new double[2][ROUNDS];
      for (int round = -1; round < ROUNDS; round++) {
        for (int m = 0; m < 2; m++) {
          double[] t = time(spark, modes[m], () -> call.getValue().apply(df));
          if (round >= 0) {
            secs[m][round] = t[0];
            cpu[m][round] = t[1];
          }
        }
      }
      for (int m = 0; m < 2; m++) {
        table.append(row(call.getKey(), modes[m].equals("true") ? "fast (InternalRow + Arrow)" : "fallback (Row mapPartitions)",
            secs[m], cpu[m]));
      }
    }
    System.out.println("DataFrame API throughput, " + ROWS + " cached rows, " + SPEC + ", local[2]\n" + table);
    df.unpersist();
  }

  /** A table row from every round's wall seconds and task CPU seconds. */
  private static String row(String call, String path, double[] secs, double[] cpu) {
    return String.format("| %s | %s | %,.0f | %,.0f | %.1f | %s |%n", call, path, ROWS / min(secs), ROWS / median(secs),
        median(cpu) * 1e6 / ROWS, Arrays.toString(Arrays.stream(secs).map(v -> Math.round(v * 100) / 100.0).toArray()));
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  private static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * Wall seconds and the tasks' summed CPU seconds to write {@code df} (built under {@code
   * spark.sparkfunc.df.arrow=mode}) to the noop sink.
   */
  private static double[] time(SparkSession spark, String mode, java.util.function.Supplier<Dataset<Row>> df)
      throws java.util.concurrent.TimeoutException {
    AtomicLong cpuNanos = new AtomicLong();
    SparkListener listener = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskMetrics() != null) {
          cpuNanos.addAndGet(end.taskMetrics().executorCpuTime());
        }
      }
    };
    spark.conf().set(SparkfuncConf.DF_ARROW, mode);
    spark.sparkContext().addSparkListener(listener);
    try {
      long t0 = System.nanoTime();
      df.get().write().format("noop").mode("overwrite").save();
      double wall = (System.nanoTime() - t0) / 1e9;
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return new double[] {wall, cpuNanos.get() / 1e9};
    } finally {
      spark.sparkContext().removeSparkListener(listener);
      spark.conf().unset(SparkfuncConf.DF_ARROW);
    }
  }
}
