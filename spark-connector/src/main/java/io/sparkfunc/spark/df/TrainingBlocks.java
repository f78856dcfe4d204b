package io.sparkfunc.spark.df;

import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.udfs.GradSumState;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.KeyedBlock;
import io.sparkfunc.udfs.PoissonSample;
import io.sparkfunc.udfs.model.Model;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * A training set cut into blocks once and cached as Java objects, for a training loop's per-step
 * gradient pass: each step samples rows inside the cached blocks and runs the gradient-sum
 * aggregate's own state ({@link GradSumState}, the state behind {@code dp_clipped_grad_sum} and
 * {@code grad_sum}) over each partition's blocks, the partial sums added with Spark's {@code
 * treeReduce}, as MLlib runs its iterations over cached blocks of instances.
 *
 * <p>{@code (features array<number>[d], label number)} rows are cut as {@link RowBlocks#build}
 * cuts them (same blocks, same ids, every row checked once, here) but kept deserialized ({@code
 * MEMORY_AND_DISK}, like MLlib's blocks: what does not fit in memory spills instead of being cut
 * again every step): a step reads each block's arrays in place, and a block whose rows are all in the
 * step's sample runs through the engine without a copy ({@code Block.view}). Against the same
 * blocks cached as a DataFrame and aggregated with {@code dp_clipped_grad_sum_blocks}, a step
 * skips SQL planning (30-50 ms a step) and the decoding of every block from Spark's row format
 * (BENCHMARKS.md section 4.7). The sample of a step is the same in both: {@link PoissonSample}
 * over {@code (sampleSeed, block id, row)}.
 *
 * <p>Shapes: {@code params: f64[P]} -> the sum over the step's sampled rows {@code f64[P]} and
 * their count ({@link StepSum}).
 *
 * <pre>{@code
 * try (TrainingBlocks blocks = TrainingBlocks.cache(train, "softmax(64,10)", "features", "label")) {
 *   StepSum s = blocks.clippedGradSum(theta, 1.0, 256.0 / blocks.rows(), PoissonSample.stepSeed(seed, step));
 *   double[] sum = s.sum();   // null when the sample is empty; s.count() rows
 * }
 * }</pre>
 */
public final class TrainingBlocks implements AutoCloseable {
  private static final String WHERE = "TrainingBlocks";

  private final JavaRDD<KeyedBlock> blocks;
  private final Model model;
  private final long blockBytes;
  private final long rows;

  private TrainingBlocks(JavaRDD<KeyedBlock> blocks, Model model, long blockBytes, long rows) {
    this.blocks = blocks;
    this.model = model;
    this.blockBytes = blockBytes;
    this.rows = rows;
  }

  /**
   * {@code data}'s rows cut into blocks for {@code spec}, cached and counted now (one pass over
   * {@code data}; a bad row fails here, naming the column and the row within its partition).
   *
   * @param data the training rows
   * @param spec the model, e.g. {@code softmax(64,10)}
   * @param featuresCol an {@code array<float|double>[d]} column
   * @param labelCol a numeric column
   */
  public static TrainingBlocks cache(Dataset<Row> data, String spec, String featuresCol, String labelCol) {
    Model model = ChunkedColumns.model(WHERE + ".cache", spec);
    JavaRDD<KeyedBlock> blocks = RowBlocks.keyed(WHERE + ".cache", data, spec, featuresCol, labelCol)
        .setName("sparkfunc training blocks: " + spec).persist(StorageLevel.MEMORY_AND_DISK());
    long rows = blocks.map(b -> (long) b.rows()).fold(0L, Long::sum);
    return new TrainingBlocks(blocks, model, SparkfuncConf.blockBytes(data.sparkSession()), rows);
  }

  /** Rows cached. */
  public long rows() {
    return rows;
  }

  /**
   * The sum of the sampled rows' per-sample gradients, each clipped to L2 norm {@code clip}
   * ({@code dp_clipped_grad_sum} of the sample), and their count.
   *
   * @param params the model's parameters {@code f64[P]}
   * @param clip the per-sample L2 bound {@code C > 0}
   * @param q each row's probability of being in the sample, in [0, 1]
   * @param sampleSeed the step's sample ({@link PoissonSample#stepSeed})
   */
  public StepSum clippedGradSum(double[] params, double clip, double q, long sampleSeed) {
    Inputs.checkClip(WHERE + ".clippedGradSum", clip);
    return sum(WHERE + ".clippedGradSum", params, clip, q, sampleSeed);
  }

  /** The plain sum of the sampled rows' gradients ({@code grad_sum} of the sample) and their count; arguments as {@link #clippedGradSum}. */
  public StepSum gradSum(double[] params, double q, long sampleSeed) {
    return sum(WHERE + ".gradSum", params, Double.POSITIVE_INFINITY, q, sampleSeed);
  }

  private StepSum sum(String where, double[] params, double clip, double q, long sampleSeed) {
    Inputs.checkParams(where, model, params);
    Inputs.checkSampleRate(where, q);
    String spec = model.spec();
    long bytes = blockBytes;
    // The parameters go out once per executor (a broadcast, as MLlib sends its coefficients), not
    // in every task's closure: an mlp's are megabytes.
    Broadcast<double[]> theta = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(params);
    try {
      // Each task returns {count, sum...} of its state, flushed: plain doubles travel through any
      // serializer (a state's pending rows are transient, and Kryo would not call writeReplace).
      double[] total = blocks.mapPartitions(in -> {
        GradSumState s = new GradSumState(where, bytes);
        double[] p = theta.value();
        while (in.hasNext()) {
          KeyedBlock b = in.next();
          s.addBlock(spec, p, b.features(), b.labels(), PoissonSample.rows(sampleSeed, b.id(), b.rows(), q), clip);
        }
        double[] sum = s.sum();
        double[] partial = new double[1 + (sum == null ? 0 : sum.length)];
        partial[0] = s.count();
        if (sum != null) {
          System.arraycopy(sum, 0, partial, 1, sum.length);
        }
        return List.of(partial).iterator();
      }).treeReduce(TrainingBlocks::add, 2);
      return new StepSum((long) total[0], total.length == 1 ? null : Arrays.copyOfRange(total, 1, total.length));
    } finally {
      theta.destroy();
    }
  }

  /** {@code {count, sum...}} partials added; a partial of an empty sample is {@code {0}}. */
  private static double[] add(double[] a, double[] b) {
    if (a.length == 1 || b.length == 1) {
      double[] out = (a.length == 1 ? b : a).clone();
      out[0] = a[0] + b[0];
      return out;
    }
    double[] out = a.clone();
    for (int i = 0; i < b.length; i++) {
      out[i] += b[i];
    }
    return out;
  }

  /**
   * The sum over a step's sampled rows and their count.
   *
   * @param count the rows in the sample
   * @param sum {@code f64[P]}, or null for an empty sample
   */
  public record StepSum(long count, double[] sum) {}

  /** Drops the cached blocks. */
  @Override
  public void close() {
    blocks.unpersist(false);
  }
}
