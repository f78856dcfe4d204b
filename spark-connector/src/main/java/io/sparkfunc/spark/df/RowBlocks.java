package io.sparkfunc.spark.df;

import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.GradSumState;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.KeyedBlock;
import io.sparkfunc.udfs.model.Model;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Training rows regrouped into blocks, to cache once and aggregate every step with the block
 * aggregates ({@code dp_clipped_grad_sum_blocks}, {@code grad_mean_blocks}, {@code
 * grad_sum_blocks}), which sample rows inside each block: reading a block is one bulk copy of
 * its arrays instead of per-row decoding.
 *
 * <p>{@code (features array<number>[d], label number)} rows {@code ->} {@link #SCHEMA}: {@code
 * (block_id bigint, rows int, features array<double>[rows*d], labels array<double>[rows])}, the
 * block's rows in order, features row-major. Each partition's rows are cut into blocks of {@link
 * GradSumState#rowsPerBlock} rows for the model (the aggregate's own block size, session conf
 * {@link SparkfuncConf#BLOCK_BYTES}; the last block of a partition may be shorter; an empty
 * partition gives no block). {@code block_id = partition << 32 | index of the block's first row
 * within its partition}: unique, and the same for the same input partitioning, so a step's
 * sample (NOTE [sampling inside blocks] in {@code udfs.PoissonSample}) is reproducible. Every row
 * is checked on the way in as the aggregates check it (features non-null, {@code d} finite
 * values; a label that suits the model); a bad row fails with the column and the row within its
 * partition.
 *
 * <pre>{@code
 * Dataset<Row> blocks = RowBlocks.build(train, "softmax(64,10)", "features", "label").cache();
 * blocks.agg(call_function("dp_clipped_grad_sum_blocks", lit(spec), lit(theta), col("features"),
 *     col("labels"), col("block_id"), lit(clip), lit(q), lit(stepSeed)));
 * }</pre>
 */
public final class RowBlocks {
  private RowBlocks() {}

  /** The blocks' schema. */
  public static final StructType SCHEMA = new StructType()
      .add("block_id", DataTypes.LongType, false)
      .add("rows", DataTypes.IntegerType, false)
      .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("labels", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  /**
   * {@code data}'s rows as blocks for {@code spec} (see the class comment); lazy, like any
   * transformation: cache the result to build it once.
   *
   * @param data the rows
   * @param spec the model the blocks are sized and checked for, e.g. {@code softmax(64,10)}
   * @param featuresCol an {@code array<float|double>[d]} column
   * @param labelCol a numeric column
   */
  public static Dataset<Row> build(Dataset<Row> data, String spec, String featuresCol, String labelCol) {
    Cutter cut = new Cutter("RowBlocks.build", data, spec, featuresCol, labelCol);
    MapPartitionsFunction<Row, Row> perPartition = in -> {
      Iterator<KeyedBlock> blocks = cut.blocks(in);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return blocks.hasNext();
        }

        @Override
        public Row next() {
          KeyedBlock b = blocks.next();
          return RowFactory.create(b.id(), b.rows(), b.features(), b.labels());
        }
      };
    };
    return data.mapPartitions(perPartition, Encoders.row(SCHEMA));
  }

  /**
   * {@code data}'s rows as the blocks {@link #build} makes, as Java objects: what {@link
   * TrainingBlocks} caches deserialized, so that every step reads the blocks' arrays in place.
   */
  static JavaRDD<KeyedBlock> keyed(String where, Dataset<Row> data, String spec, String featuresCol, String labelCol) {
    Cutter cut = new Cutter(where, data, spec, featuresCol, labelCol);
    return data.javaRDD().mapPartitions(cut::blocks);
  }

  /** Cuts one partition's rows into checked blocks (serializable: it travels with the tasks). */
  private static final class Cutter implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ChunkedColumns columns;
    private final int features;
    private final int label;

    Cutter(String where, Dataset<Row> data, String spec, String featuresCol, String labelCol) {
      Model model = ChunkedColumns.model(where, spec);
      int rows = GradSumState.rowsPerBlock(model, SparkfuncConf.blockBytes(data.sparkSession()));
      columns = new ChunkedColumns(where, model, featuresCol, labelCol, rows);
      features = columns.column(data.schema(), featuresCol, "features", "an array<float> or array<double> column");
      label = columns.column(data.schema(), labelCol, "label", "a numeric column");
    }

    /** One partition's rows as blocks, read and emitted one block at a time. */
    Iterator<KeyedBlock> blocks(Iterator<Row> in) {
      Model model = columns.model();
      int d = model.numFeatures();
      long partition = TaskContext.get() == null ? 0 : TaskContext.get().partitionId();
      double[] x = new double[columns.chunkRows * d];
      double[] y = new double[columns.chunkRows];
      return new Iterator<>() {
        private long row;

        @Override
        public boolean hasNext() {
          return in.hasNext();
        }

        @Override
        public KeyedBlock next() {
          if (!in.hasNext()) {
            throw new NoSuchElementException();
          }
          long first = row;
          int n = 0;
          for (; n < columns.chunkRows && in.hasNext(); n++, row++) {
            Row r = in.next();
            try {
              double[] f = columns.features(r, features);
              Inputs.checkFeatures(columns.where, model, f);
              Double l = r.isNullAt(label) ? null : ((Number) r.get(label)).doubleValue();
              Inputs.checkLabel(columns.where, model, l);
              System.arraycopy(f, 0, x, n * d, d);
              y[n] = l;
            } catch (BadInput e) {
              throw columns.error(e, row);
            }
          }
          return new KeyedBlock(partition << 32 | first, Arrays.copyOf(x, n * d), Arrays.copyOf(y, n));
        }
      };
    }
  }
}
