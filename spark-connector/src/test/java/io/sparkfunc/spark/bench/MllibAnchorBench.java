package io.sparkfunc.spark.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.spark.SparkfuncExtensions;
import io.sparkfunc.spark.df.RowBlocks;
import io.sparkfunc.spark.df.TrainingBlocks;
import io.sparkfunc.spark.sql.SparkfuncCatalog;
import io.sparkfunc.udfs.Block;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark anchor: rows/s of {@code dp_clipped_grad_sum} over N synthetic rows x 64 features in
 * {@code local[2]} (softmax 10 classes and mlp 64-128-10), beside one iteration of MLlib's
 * multinomial {@code LogisticRegression} on the same cached data in the same run.
 *
 * <p>Rows: {@code features array<double>[64]} in [-1, 1] from hashes of the row id and {@code
 * label} in 0..9 from a fixed linear rule ({@link #synthetic}), cached (memory, deserialized columnar) and counted before any timing. Each
 * measurement: a warm-up on 20,000 of the rows, then {@code reps} timed runs; the table gives the
 * best and the median. The mlp runs on all rows, or on the first {@code mlpRows} when given
 * (then in one partition: {@code limit} collapses them).
 *
 * <ul>
 *   <li>MLlib: {@code fit} with {@code maxIter} 1 and {@code 1 + MORE}. The anchor is one gradient
 *       pass: the median duration of the {@code treeAggregate} jobs (loss and gradient over
 *       MLlib's cached blocks, one per L-BFGS evaluation) in the timed {@code 1 + MORE} fits
 *       ({@link GradientPasses}); the estimate {@code (t(1+MORE) - t(1)) / (extra iterations)} is
 *       printed beside it (every fit also pays the feature summary and MLlib's blockify-and-cache
 *       passes, and a slow first fit skews that difference).
 *   <li>SQL: {@code SELECT sparkfunc.dp_clipped_grad_sum(spec, :theta, features, label, 1.0) FROM
 *       t} over the cached view, {@code theta} a bound array parameter, and {@code grad_sum}; each
 *       through the catalog ({@code sparkfunc.} prefix: Spark copies the parameters into every
 *       input row) and unprefixed through the session extension (the bound literal is decoded
 *       once at analysis, NOTE [constant parameters]).
 *   <li>Job step: what {@code DpSgdTrain} runs per step, {@code train.sample(false, q,
 *       seed).agg(dp_clipped_grad_sum(...))} over the cached frame, unprefixed through the session
 *       extension with the parameters as a literal (decoded once, not copied per row); q = 1 gives
 *       rows/s over all rows. The same through the catalog ({@code sparkfunc.} prefix) for
 *       comparison.
 *   <li>SQL over cached blocks: what {@code DpSgdTrain} ran per step before {@code
 *       TrainingBlocks}, {@code blocks.agg(dp_clipped_grad_sum_blocks(...))} over {@code RowBlocks.build(rows)} cached
 *       once (the build is timed once, apart), q = 1; rows sampled inside the blocks.
 *   <li>Job step as {@code DpSgdTrain} runs it now: {@code TrainingBlocks.clippedGradSum}, the same
 *       blocks cached once as Java objects, the aggregate's state over each partition, {@code
 *       treeReduce} of the partial sums, per step; q = 1 (every block runs in place) and q = 0.25 (sampled rows gathered), both as
 *       rows/s of the whole set.
 *   <li>Engine alone: {@code PerSample.clippedSum} over the same rows already in blocks, one
 *       thread, no Spark (what the aggregate's decoding and Spark add to); and the same by the
 *       reference route, materializing {@code vmap(grad(loss))} (the route before ghost clipping),
 *       timed on {@value #BEFORE_ROWS} rows and scaled.
 * </ul>
 *
 * <p>Usage: {@code bench/spark-mllib.sh [rows=1000000] [reps=2] [mlpRows=rows]}.
 */
public final class MllibAnchorBench {
  private MllibAnchorBench() {}

  private static final int D = 64;
  private static final int K = 10;
  private static final String SOFTMAX = "softmax(64,10)";
  private static final String MLP = "mlp(64,128,10)";
  /** MLlib's per-iteration time: fits with maxIter 1 and 1 + MORE, the difference over the extra iterations. */
  private static final int MORE = 20;
  /** Rows the old materializing route is timed on (scaled to all rows): 1M mlp rows would take minutes a run. */
  private static final long BEFORE_ROWS = 100_000;

  /** Runs every measurement and prints (and writes, when given a path) the markdown table. */
  public static void main(String[] args) throws IOException, InterruptedException {
    try (FileChannel lockFile = FileChannel.open(Path.of("/tmp/jmh.lock"), StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        FileLock lock = machineLock(lockFile)) {
      run(args);
    }
  }

  /** The machine-wide benchmark lock JMH takes; waits (never forces) while another run holds it. */
  private static FileLock machineLock(FileChannel file) throws IOException, InterruptedException {
    for (FileLock lock = file.tryLock(); ; lock = file.tryLock()) {
      if (lock != null) {
        return lock;
      }
      System.err.println("waiting for /tmp/jmh.lock (another benchmark is running)");
      Thread.sleep(10_000);
    }
  }

  private static void run(String[] args) throws IOException {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    long mlpRows = args.length > 2 ? Long.parseLong(args[2]) : n;
    SparkSession spark = SparkSession.builder().appName("sparkfunc-mllib-anchor").master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config(SparkfuncCatalog.CONF_KEY, SparkfuncCatalog.class.getName())
        .withExtensions(new SparkfuncExtensions())
        .getOrCreate();
    List<String> table = new ArrayList<>();
    try {
      Dataset<Row> data = synthetic(spark, n).cache();
      data.count();
      data.createOrReplaceTempView("t");
      Dataset<Row> ml = data.select(functions.array_to_vector(col("features")).as("features"), col("label")).cache();
      ml.count();
      table.add(String.format(Locale.ROOT, "%d rows x %d features (mlp: the first %d), local[2], best and median of %d runs "
          + "after a warm-up on 20,000 rows; load at start %s", n, D, Math.min(n, mlpRows), reps, Files.readString(Path.of("/proc/loadavg")).trim()));
      table.add("");
      table.add("| what | model | best s | median s | rows/s (best) | vs MLlib iteration |");
      table.add("| --- | --- | --- | --- | --- | --- |");

      int[] iterations = new int[2];
      double[] one = time(reps, () -> fitSeconds(ml, 1, iterations, 0), () -> fitSeconds(ml, 1, iterations, 0));
      GradientPasses passes = new GradientPasses();
      spark.sparkContext().addSparkListener(passes);
      double[] more = time(reps, () -> fitSeconds(ml, 1 + MORE, iterations, 1), () -> fitSeconds(ml, 1 + MORE, iterations, 1));
      spark.sparkContext().removeSparkListener(passes);
      int extra = iterations[1] - iterations[0];
      double perIter = (more[0] - one[0]) / extra;
      double[] pass = passes.secondsOfLast(reps * iterations[1]);
      double anchor = n / pass[1];
      row(table, "MLlib LogisticRegression fit, maxIter=1 (" + iterations[0] + " iteration; with summary and blockify passes)",
          "multinomial 64x10", n, one, anchor);
      row(table, "MLlib LogisticRegression fit, maxIter=" + (1 + MORE) + " (" + iterations[1] + " iterations)", "multinomial 64x10",
          n * iterations[1], more, anchor);
      table.add(String.format(Locale.ROOT, "| MLlib: one iteration estimated as (fit(%d) - fit(1)) / %d, best times | multinomial 64x10 | %.3f | | %.0f | %.2f |",
          1 + MORE, extra, perIter, n / perIter, n / perIter / anchor));
      table.add(String.format(Locale.ROOT, "| **MLlib: one gradient pass** (its `treeAggregate` jobs in the timed maxIter=%d fits: %d jobs, best and median) | multinomial 64x10 | %.3f | %.3f | **%.0f** (median) | 1.00 |",
          1 + MORE, (int) pass[2], pass[0], pass[1], anchor));

      Dataset<Row> warm = data.limit(20_000).cache();
      warm.count();
      warm.createOrReplaceTempView("t_warm");
      // All rows by default; limit() would also collapse the rows into one partition (one thread).
      Dataset<Row> mlpData = mlpRows >= n ? data : data.limit((int) mlpRows).cache();
      long nMlp = mlpData.count();
      mlpData.createOrReplaceTempView("t_mlp");
      for (String spec : List.of(SOFTMAX, MLP)) {
        boolean softmax = spec.equals(SOFTMAX);
        Dataset<Row> rows = softmax ? data : mlpData;
        long count = softmax ? n : nMlp;
        String view = softmax ? "t" : "t_mlp";
        Model model = Models.parse(spec);
        double[] theta = model.init(42).toDoubleArray();
        for (String fn : List.of("dp_clipped_grad_sum", "grad_sum")) {
          String clip = fn.startsWith("dp") ? ", 1.0" : "";
          Map<String, Object> bound = Map.of("theta", lit(theta));
          for (String prefix : List.of("sparkfunc.", "")) {
            String call = prefix + fn + "('" + spec + "', :theta, features, label" + clip + ")";
            String how = prefix.isEmpty() ? " (unprefixed: session extension, params decoded once)"
                : " (catalog: params copied per row)";
            row(table, "SQL `" + prefix + fn + "`" + how, spec, count,
                time(reps, () -> seconds(() -> spark.sql("SELECT " + call + " FROM " + view, bound).first()),
                    () -> seconds(() -> spark.sql("SELECT " + call + " FROM t_warm", bound).first())), anchor);
          }
        }
        Column agg = call_function("sparkfunc.dp_clipped_grad_sum", lit(spec), lit(theta), col("features"), col("label"), lit(1.0));
        // As DpSgdTrain calls it: unprefixed, through the session extension (NOTE [constant parameters]).
        Column step = call_function("dp_clipped_grad_sum", lit(spec), lit(theta), col("features"), col("label"), lit(1.0));
        row(table, "job step: `sample(q=1).agg(dp_clipped_grad_sum)`, literal params via the extension", spec, count,
            time(reps, () -> seconds(() -> rows.sample(false, 1.0, 7).agg(step).first()), () -> seconds(() -> warm.agg(step).first())), anchor);
        // As DpSgdTrain runs a step now: rows cut into blocks and cached once, sampled inside the blocks.
        Dataset<Row> blocks = RowBlocks.build(rows, spec, "features", "label").cache();
        double built = seconds(blocks::count);
        row(table, "building the blocks once: `RowBlocks.build(...).cache().count()` (not per step)", spec, count,
            new double[] {built, built}, anchor);
        Dataset<Row> warmBlocks = RowBlocks.build(warm, spec, "features", "label").cache();
        warmBlocks.count();
        Column blockStep = call_function("dp_clipped_grad_sum_blocks", lit(spec), lit(theta), col("features"), col("labels"),
            col("block_id"), lit(1.0), lit(1.0), lit(7.0));
        row(table, "SQL over the cached blocks (q=1): `dp_clipped_grad_sum_blocks`, literal params via the extension (the job's step before `TrainingBlocks`)", spec,
            count, time(reps, () -> seconds(() -> blocks.agg(blockStep).first()), () -> seconds(() -> warmBlocks.agg(blockStep).first())),
            anchor);
        blocks.unpersist();
        warmBlocks.unpersist();
        // As DpSgdTrain runs a step now: the same blocks cached as Java objects, the aggregate's state per partition.
        double[] cachedAt = new double[1];
        TrainingBlocks trainingBlocks = timedCache(rows, spec, cachedAt);
        row(table, "building the training blocks once: `TrainingBlocks.cache` (not per step)", spec, count,
            new double[] {cachedAt[0], cachedAt[0]}, anchor);
        try (trainingBlocks; TrainingBlocks warmTraining = TrainingBlocks.cache(warm, spec, "features", "label")) {
          row(table, "**job step (DpSgdTrain), q=1**: `TrainingBlocks.clippedGradSum`, blocks cached as objects, per-partition state + treeReduce",
              spec, count, time(reps, () -> seconds(() -> trainingBlocks.clippedGradSum(theta, 1.0, 1.0, 7).sum()),
                  () -> seconds(() -> warmTraining.clippedGradSum(theta, 1.0, 1.0, 7).sum())), anchor);
          double q = 0.25;
          row(table, "job step (DpSgdTrain), Poisson sample q=0.25 (rows/s of the whole set)", spec, count,
              time(reps, () -> seconds(() -> trainingBlocks.clippedGradSum(theta, 1.0, q, 7).sum()),
                  () -> seconds(() -> warmTraining.clippedGradSum(theta, 1.0, q, 7).sum())), anchor);
        }
        if (softmax) {
          row(table, "`sample(q=1).agg(sparkfunc.dp_clipped_grad_sum)`, catalog path (params copied per row)", spec, count,
              time(reps, () -> seconds(() -> rows.sample(false, 1.0, 7).agg(agg).first()), () -> seconds(() -> warm.agg(agg).first())), anchor);
          spark.conf().set("spark.sparkfunc.block.bytes", String.valueOf(16L << 20));
          row(table, "SQL `dp_clipped_grad_sum`, blocks of 16 MB (default 4)", spec, count,
              time(reps, () -> seconds(() -> rows.agg(agg).first()), () -> seconds(() -> warm.agg(agg).first())), anchor);
          spark.conf().unset("spark.sparkfunc.block.bytes");
        }
        row(table, "engine alone: `PerSample.clippedSum`, 1 thread, blocks of 4 MB", spec, count,
            time(reps, () -> engineSeconds(model, theta, count, false), () -> engineSeconds(model, theta, 20_000, false)), anchor);
        row(table, "engine alone, before: clipped sum of materialized `vmap(grad)` gradients, same blocks", spec, count,
            time(reps, () -> engineSeconds(model, theta, Math.min(count, BEFORE_ROWS), true) * count / Math.min(count, BEFORE_ROWS),
                () -> engineSeconds(model, theta, 20_000, true)), anchor);
      }
    } finally {
      spark.stop();
    }
    String text = String.join("\n", table) + "\n";
    System.out.print(text);
    if (args.length > 3) {
      Files.writeString(Path.of(args[3]), text);
    }
  }

  /**
   * {@code id -> (features f64[64] in [-1, 1], label 0..9)}, features from hashes of the id, the
   * label the argmax of 10 fixed linear scores of them (learnable, so MLlib's L-BFGS does not stop
   * after a few iterations as it does on random labels); 2 partitions.
   */
  static Dataset<Row> synthetic(SparkSession spark, long n) {
    Column[] x = new Column[D];
    for (int j = 0; j < D; j++) {
      x[j] = pmod(xxhash64(col("id"), lit(j)), lit(2001)).minus(1000).divide(1000.0);
    }
    java.util.Random r = new java.util.Random(5);
    Column[] scores = new Column[K];
    for (int k = 0; k < K; k++) {
      Column s = lit(0.0);
      for (int j = 0; j < D; j++) {
        s = s.plus(col("features").getItem(j).multiply(r.nextGaussian()));
      }
      scores[k] = s;
    }
    Column label = array_position(array(scores), array_max(array(scores))).minus(1).cast("double");
    return spark.range(0, n, 1, 2).select(array(x).as("features")).select(col("features"), label.as("label"));
  }

  /** {@code TrainingBlocks.cache} of the rows; its seconds go to {@code seconds[0]}. */
  private static TrainingBlocks timedCache(Dataset<Row> rows, String spec, double[] seconds) {
    long t0 = System.nanoTime();
    TrainingBlocks b = TrainingBlocks.cache(rows, spec, "features", "label");
    seconds[0] = (System.nanoTime() - t0) / 1e9;
    return b;
  }

  /**
   * Durations of the Spark jobs that run MLlib's loss-and-gradient pass (a {@code treeAggregate}
   * over its cached blocks of instances, one per evaluation of L-BFGS): the anchor measured
   * directly, not as a difference of two whole fits (whose first-fit costs moved that estimate
   * from 0.14 to 0.44 s between runs).
   */
  static final class GradientPasses extends org.apache.spark.scheduler.SparkListener {
    private final Map<Integer, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Double> seconds = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart job) {
      boolean pass = false;
      for (org.apache.spark.scheduler.StageInfo st : scala.jdk.javaapi.CollectionConverters.asJava(job.stageInfos())) {
        pass |= st.name().startsWith("treeAggregate");
      }
      if (pass) {
        started.put(job.jobId(), job.time());
      }
    }

    @Override
    public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd job) {
      Long t0 = started.remove(job.jobId());
      if (t0 != null) {
        seconds.add((job.time() - t0) / 1e3);
      }
    }

    /** {@code [best, median, count]} seconds of the last {@code k} passes (all, when fewer). */
    double[] secondsOfLast(int k) {
      List<Double> all;
      synchronized (seconds) {
        all = new ArrayList<>(seconds.subList(Math.max(0, seconds.size() - k), seconds.size()));
      }
      if (all.isEmpty()) {
        throw new IllegalStateException("no treeAggregate job seen during the MLlib fits");
      }
      java.util.Collections.sort(all);
      return new double[] {all.get(0), all.get(all.size() / 2), all.size()};
    }
  }

  /** Seconds of one fit; its iteration count goes to {@code iterations[slot]}. */
  private static double fitSeconds(Dataset<Row> ml, int maxIter, int[] iterations, int slot) {
    long t0 = System.nanoTime();
    LogisticRegressionModel m = new LogisticRegression().setFamily("multinomial").setMaxIter(maxIter).setTol(0)
        .setRegParam(0).fit(ml);
    double s = (System.nanoTime() - t0) / 1e9;
    iterations[slot] = m.summary().totalIterations();
    return s;
  }

  /**
   * The same rows generated on the driver into blocks of 4 MB of work (as the aggregate sizes
   * them), clipped and summed in one thread; {@code materialized}: by the reference route, the
   * per-sample gradients {@code f64[n,P]} then their clipped sum (the route before ghost clipping).
   */
  private static double engineSeconds(Model model, double[] theta, long n, boolean materialized) {
    PerSample ps = PerSample.of(model);
    int blockRows = (int) Math.min(8192, (4L << 20) / ps.gradSumBytesPerRow());
    Tensor t = Tensors.of(theta);
    Block block = new Block(D);
    double[] row = new double[D];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < blockRows; i++) {
      for (int j = 0; j < D; j++) {
        row[j] = r.nextDouble() * 2 - 1;
      }
      block.add(row, r.nextInt(K));
    }
    long blocks = (n + blockRows - 1) / blockRows;
    return seconds(() -> {
      double s = 0;
      for (long b = 0; b < blocks; b++) {
        Tensor sum = materialized ? PerSample.clippedSum(ps.grads(t, block), 1.0) : ps.clippedSum(t, block, 1.0);
        s += sum.sum().item();
      }
      return s;
    }) * n / ((double) blocks * blockRows);
  }

  private static double seconds(Supplier<?> work) {
    long t0 = System.nanoTime();
    Object sink = work.get();
    if (sink == null) {
      throw new IllegalStateException("no result");
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** {@code [best, median]} seconds of {@code reps} runs after one {@code warmUp}. */
  private static double[] time(int reps, Supplier<Double> run, Supplier<Double> warmUp) {
    warmUp.get();
    double[] s = new double[reps];
    for (int i = 0; i < reps; i++) {
      s[i] = run.get();
    }
    Arrays.sort(s);
    return new double[] {s[0], s[reps / 2]};
  }

  private static void row(List<String> table, String what, String model, long rows, double[] secs, double anchor) {
    double rate = rows / secs[0];
    table.add(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.0f | %.2f |", what, model, secs[0], secs[1], rate, rate / anchor));
    System.err.println(table.get(table.size() - 1));
  }
}
