package io.sparkfunc.spark.jobs;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import io.sparkfunc.spark.SparkfuncExtensions;
import io.sparkfunc.spark.df.TrainingBlocks;
import io.sparkfunc.spark.sql.SparkfuncCatalog;
import io.sparkfunc.udfs.PoissonSample;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import io.sparkfunc.udfs.privacy.RdpAccountant;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * DP-SGD training as a Spark job (Abadi et al. 2016, as Opacus runs it). The training rows are
 * cut into blocks and cached once as Java objects ({@link TrainingBlocks}). Each step samples
 * every training row independently with probability {@code q = batch / n} (Poisson sampling, the
 * distribution of Spark's {@code sample(false, q)}, drawn inside the cached blocks from {@code
 * (seed, step, block, row)}: {@link PoissonSample}), sums the sampled rows' per-sample gradients
 * clipped to L2 norm {@code C} with the {@code dp_clipped_grad_sum} aggregate's state
 * ({@code GradSumState}) over each partition's blocks, partial sums added by {@code treeReduce}, adds {@code N(0, (σC)^2)} noise
 * once on the driver, divides by the expected batch size {@code qn} and takes a step. The RDP
 * accountant reports ε for δ after every epoch; {@code --target-epsilon} picks σ for the planned
 * steps. {@code --no-dp} trains with the plain mean gradient of the sample instead. {@code --step
 * sql} runs each step as the SQL aggregate {@code dp_clipped_grad_sum_blocks} over the same
 * blocks cached as a DataFrame instead ({@link GradientPass}: the same samples and sums, slower).
 * The session
 * gets the sparkfunc catalog and extension, so the job's SQL functions are there for anything
 * else run in it.
 *
 * <p>Prints one progress line per epoch (loss, accuracy, ε), and writes {@code model.json} (spec
 * and parameters) and {@code metrics.csv} under {@code --out}. Runs under {@code spark-submit}
 * with any master; without one it uses {@code local[*]}. Options: {@link TrainOptions#USAGE}.
 */
public final class DpSgdTrain {
  private DpSgdTrain() {}

  /** Entry point for {@code spark-submit --class io.sparkfunc.spark.jobs.DpSgdTrain}. */
  public static void main(String[] args) throws IOException {
    TrainOptions o = TrainOptions.parse(args);
    SparkSession.Builder builder = SparkSession.builder().appName("sparkfunc-dpsgd")
        .config(SparkfuncCatalog.CONF_KEY, SparkfuncCatalog.class.getName());
    if (!new org.apache.spark.SparkConf().get(SparkfuncExtensions.CONF_KEY, "").contains(SparkfuncExtensions.class.getName())) {
      builder.withExtensions(new SparkfuncExtensions());
    }
    if (o.has("master") || !new org.apache.spark.SparkConf().contains("spark.master")) {
      builder.master(o.has("master") ? o.get("master") : "local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      train(spark, o);
    } finally {
      spark.stop();
    }
  }

  /**
   * Trains on {@code spark} (any session with the extension) and writes the outputs; returns
   * {@code [test accuracy, ε (infinite without DP), train accuracy]} after the last epoch.
   */
  static double[] train(SparkSession spark, TrainOptions o) throws IOException {
    long seed = (long) o.num("seed");
    Dataset<Row>[] split = TrainingData.load(spark, o).randomSplit(new double[] {1 - o.num("test-fraction"), o.num("test-fraction")}, seed);
    Dataset<Row> train = split[0].cache();
    Dataset<Row> test = split[1].cache();
    long n = train.count();
    int d = train.first().getList(0).size();
    Model model = Models.parse(o.has("model") ? o.get("model") : "softmax(" + d + ",10)");
    GradientPass blocks = GradientPass.of(o.get("step"), train, model.spec());
    double q = Math.min(1, o.num("batch") / n);
    int epochs = (int) o.num("epochs");
    long stepsPerEpoch = Math.max(1, Math.round(1 / q));
    double delta = o.num("delta");
    double clip = o.num("clip");
    double sigma = !o.dp ? 0 : o.has("noise") ? o.num("noise")
        : RdpAccountant.noiseForEpsilon(o.num("target-epsilon"), delta, q, epochs * stepsPerEpoch);
    System.out.printf(Locale.ROOT, "sparkfunc DP-SGD: %s, %d train / %d test rows, q=%.4f, %d epochs x %d steps, lr=%s, %s%n",
        model.spec(), n, test.count(), q, epochs, stepsPerEpoch, o.get("lr"),
        o.dp ? String.format(Locale.ROOT, "clip C=%s, noise sigma=%.4f, delta=%s", o.get("clip"), sigma, o.get("delta")) : "no DP");
    double[] theta = model.init(seed).toDoubleArray();
    Key noiseKey = Key.of(seed).foldIn(1);
    Path out = Path.of(o.get("out"));
    Files.createDirectories(out);
    double[] last = null;
    try (blocks; PrintWriter metrics = new PrintWriter(Files.newBufferedWriter(out.resolve("metrics.csv")))) {
      metrics.println("epoch,steps,train_loss,train_accuracy,test_loss,test_accuracy,epsilon,delta,sigma,seconds");
      long start = System.nanoTime();
      long step = 0;
      for (int epoch = 1; epoch <= epochs; epoch++) {
        for (long s = 0; s < stepsPerEpoch; s++, step++) {
          long sample = PoissonSample.stepSeed(seed, step);
          double[] g = o.dp ? noisyClippedMean(blocks, theta, clip, q, sample, sigma, q * n, noiseKey.foldIn(step))
              : meanGrad(blocks, theta, q, sample);
          for (int i = 0; i < theta.length && g != null; i++) {
            theta[i] -= o.num("lr") * g[i];
          }
        }
        double[] tr = BlockEvaluator.evaluate(train, model.spec(), theta);
        double[] te = BlockEvaluator.evaluate(test, model.spec(), theta);
        double eps = o.dp ? RdpAccountant.epsilon(q, sigma, step, delta) : Double.POSITIVE_INFINITY;
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "epoch %3d/%d  step %5d  train loss %.4f acc %.4f  test loss %.4f acc %.4f  eps %s  (%.1fs)%n",
            epoch, epochs, step, tr[0], tr[1], te[0], te[1], o.dp ? String.format(Locale.ROOT, "%.3f", eps) : "inf (no DP)", secs);
        metrics.printf(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%s,%s,%.6f,%.2f%n", epoch, step, tr[0], tr[1], te[0], te[1],
            o.dp ? String.format(Locale.ROOT, "%.6f", eps) : "inf", o.dp ? o.get("delta") : "", sigma, secs);
        last = new double[] {te[1], o.dp ? eps : Double.POSITIVE_INFINITY, tr[1]};
      }
    }
    writeModel(out.resolve("model.json"), model, theta);
    System.out.println("wrote " + out.resolve("model.json") + " and " + out.resolve("metrics.csv"));
    return last;
  }

  /** {@code (clipped sum of the sample + N(0, (σC)^2)) / (qn)}: the DP-SGD update direction. */
  private static double[] noisyClippedMean(GradientPass blocks, double[] theta, double clip, double q,
      long sample, double sigma, double expectedBatch, Key key) {
    double[] sum = blocks.sum(theta, clip, q, sample).sum();
    double[] noise = Random.normal(key, 0, sigma * clip, DType.F64, theta.length).toDoubleArray();
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (noise[i] + (sum == null ? 0 : sum[i])) / expectedBatch;
    }
    return noise;
  }

  /** The plain mean gradient of the sample, or null for an empty sample. */
  private static double[] meanGrad(GradientPass blocks, double[] theta, double q, long sample) {
    TrainingBlocks.StepSum s = blocks.sum(theta, Double.POSITIVE_INFINITY, q, sample);
    double[] sum = s.sum();
    for (int i = 0; sum != null && i < sum.length; i++) {
      sum[i] /= s.count();
    }
    return sum;
  }

  private static void writeModel(Path file, Model model, double[] theta) throws IOException {
    String params = Arrays.stream(theta).mapToObj(v -> Double.toString(v)).collect(Collectors.joining(","));
    Files.writeString(file, "{\"spec\": \"" + model.spec() + "\", \"params\": [" + params + "]}\n");
  }
}
