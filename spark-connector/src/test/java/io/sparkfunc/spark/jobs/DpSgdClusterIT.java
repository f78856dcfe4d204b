package io.sparkfunc.spark.jobs;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.spark.SparkfuncExtensions;
import io.sparkfunc.spark.sql.SparkfuncCatalog;
import io.sparkfunc.spark.testing.SparkHomeOfLinks;
import io.sparkfunc.udfs.model.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The DP-SGD job (1 epoch) and the {@code dp_clipped_grad_sum} aggregate on {@code
 * local-cluster[2,1,1024]}: two executor JVMs started by an in-process Worker, which see Spark's
 * jars (a SPARK_HOME of links, {@link SparkHomeOfLinks}) and our code only through the user jar
 * in {@code spark.jars}. Both results equal the same run in {@code local[2]}.
 *
 * <p>Run by the failsafe execution of spark-connector ({@code mvn -B verify}, after {@code
 * package} built the user jar); alone: {@code mvn -B -pl spark-connector -am verify
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DpSgdClusterIT}.
 */
@Tag("cluster")
class DpSgdClusterIT {
  private static final String[] JOB = {"--epochs", "1", "--batch", "256", "--seed", "7"};
  private static final String MODEL = "softmax(64,10)";

  @Test
  void jobAndAggregateOnTwoExecutorJvmsEqualLocalMode() throws Exception {
    Path out = Path.of("target", "cluster-it").toAbsolutePath();
    Result local = run(session("local[2]").getOrCreate(), out.resolve("local"));
    SparkHomeOfLinks.build();
    SparkSession cluster = session("local-cluster[2,1,1024]")
        .config("spark.jars", System.getProperty("sparkfunc.userJar"))
        // Not -Dsparkfunc.strict=true: Spark rejects any "-Dspark..." in extraJavaOptions, our prefix included.
        .config("spark.executor.extraJavaOptions", System.getProperty("sparkfunc.jvm.flags"))
        .config("spark.executor.memory", "768m")
        .getOrCreate();
    Set<String> executors = ConcurrentHashMap.newKeySet();
    cluster.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        executors.add(end.taskInfo().executorId());
      }
    });
    waitForExecutors(cluster, 2);
    Result remote = run(cluster, out.resolve("cluster"));

    assertEquals(Set.of("0", "1"), executors, "tasks ran on both executor JVMs, none on the driver");
    assertEquals(local.count, remote.count);
    assertArrayEquals(local.clippedSum, remote.clippedSum, 1e-9, "dp_clipped_grad_sum");
    assertArrayEquals(local.metrics, remote.metrics, 1e-9, "test accuracy, epsilon, train accuracy");
    assertArrayEquals(local.params, remote.params, 1e-9, "trained parameters");
    assertArrayEquals(local.ensembleMean, remote.ensembleMean, 1e-9, "ensemble_stats mean");
    assertArrayEquals(local.ensembleVar, remote.ensembleVar, 1e-9, "ensemble_stats var");
    assertTrue(remote.metrics[0] > 0.5, "an epoch of DP-SGD learns something: test accuracy " + remote.metrics[0]);
  }

  /**
   * What one master computes: the job's metrics and parameters, and two aggregates on the digits
   * (each has its own state class, which must cross the shuffle in a JDK-only serial form).
   */
  private record Result(double[] metrics, double[] params, double[] clippedSum, long count,
      double[] ensembleMean, double[] ensembleVar) {}

  private static Result run(SparkSession spark, Path out) throws Exception {
    try {
      TrainOptions o = TrainOptions.parse(concat(JOB, "--out", out.toString()));
      double[] metrics = DpSgdTrain.train(spark, o);
      String json = Files.readString(out.resolve("model.json"));
      double[] params = Arrays.stream(json.substring(json.indexOf('[') + 1, json.lastIndexOf(']')).split(","))
          .mapToDouble(Double::parseDouble).toArray();
      Dataset<Row> digits = TrainingData.load(spark, o).repartition(4);
      Row r = digits.agg(call_function("sparkfunc.dp_clipped_grad_sum", lit(MODEL),
          lit(Models.parse(MODEL).init(3).toDoubleArray()), col("features"), col("label"), lit(0.5)))
          .first().getStruct(0);
      Row e = digits.agg(call_function("sparkfunc.ensemble_stats", lit(MODEL),
          array(lit(Models.parse(MODEL).init(4).toDoubleArray()),
              lit(Models.parse(MODEL).init(5).toDoubleArray())), col("features")))
          .first().getStruct(0);
      return new Result(metrics, params, doubles(r, 0), r.getLong(1), doubles(e, 0), doubles(e, 1));
    } finally {
      spark.stop();
    }
  }

  private static double[] doubles(Row r, int field) {
    return r.<Double>getList(field).stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static SparkSession.Builder session(String master) {
    return SparkSession.builder().appName("sparkfunc-cluster-it").master(master)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.shuffle.partitions", "4")
        .config(SparkfuncCatalog.CONF_KEY, SparkfuncCatalog.class.getName())
        .withExtensions(new SparkfuncExtensions()); // the job calls its aggregates unprefixed
  }

  private static void waitForExecutors(SparkSession spark, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("executors registered within 60 s: "
            + (spark.sparkContext().statusTracker().getExecutorInfos().length - 1) + " of " + n);
      }
      Thread.sleep(200);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
