package io.sparkfunc.spark.jobs;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.spark.df.RowBlocks;
import io.sparkfunc.spark.df.TrainingBlocks;
import io.sparkfunc.spark.df.TrainingBlocks.StepSum;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One DP-SGD step's gradient pass over the cached training set: {@code (params f64[P], clip (+inf:
 * no clipping), q, sampleSeed) -> the sum over the step's Poisson sample f64[P] and its count}.
 * Two ways, chosen by {@code --step}, giving the same samples and the same sums (within
 * rounding; {@code DpSgdAccuracyTest} trains the same model both ways):
 *
 * <ul>
 *   <li>{@code blocks} (default): {@link TrainingBlocks}, the blocks cached as Java objects and the
 *       aggregate's state run over them per partition;
 *   <li>{@code sql}: the blocks cached as a DataFrame ({@link RowBlocks}) and each step one SQL
 *       aggregate, {@code dp_clipped_grad_sum_blocks} (or {@code grad_sum_blocks}), called
 *       unprefixed through the session extension with the parameters as a literal.
 * </ul>
 */
interface GradientPass extends AutoCloseable {
  /** The step's sum and count. */
  StepSum sum(double[] params, double clip, double q, long sampleSeed);

  /** Drops the cached blocks. */
  @Override
  void close();

  /** The pass named by {@code --step} over {@code train}'s {@code (features, label)} rows, cached now. */
  static GradientPass of(String step, Dataset<Row> train, String spec) {
    switch (step) {
      case "blocks": {
        TrainingBlocks blocks = TrainingBlocks.cache(train, spec, "features", "label");
        return new GradientPass() {
          @Override
          public StepSum sum(double[] params, double clip, double q, long sampleSeed) {
            return Double.isInfinite(clip) ? blocks.gradSum(params, q, sampleSeed)
                : blocks.clippedGradSum(params, clip, q, sampleSeed);
          }

          @Override
          public void close() {
            blocks.close();
          }
        };
      }
      case "sql": {
        Dataset<Row> blocks = RowBlocks.build(train, spec, "features", "label").cache();
        blocks.count();
        return new GradientPass() {
          @Override
          public StepSum sum(double[] params, double clip, double q, long sampleSeed) {
            boolean clipped = !Double.isInfinite(clip);
            List<Column> args = new ArrayList<>(List.of(lit(spec), lit(params), col("features"), col("labels"), col("block_id")));
            if (clipped) {
              args.add(lit(clip));
            }
            args.add(lit(q));
            args.add(lit((double) sampleSeed));
            Row r = blocks.agg(call_function(clipped ? "dp_clipped_grad_sum_blocks" : "grad_sum_blocks",
                args.toArray(new Column[0]))).first().getStruct(0);
            return new StepSum(r.getLong(1), r.isNullAt(0) ? null
                : r.<Double>getList(0).stream().mapToDouble(Double::doubleValue).toArray());
          }

          @Override
          public void close() {
            blocks.unpersist();
          }
        };
      }
      default:
        throw new EngineException("DpSgdTrain", "--step blocks or --step sql", "--step " + step, "usage:\n" + TrainOptions.USAGE);
    }
  }
}
