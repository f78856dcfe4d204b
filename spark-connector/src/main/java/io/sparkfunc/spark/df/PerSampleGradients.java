package io.sparkfunc.spark.df;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Per-sample gradients as a DataFrame column: for each row, the gradient of that row's loss with
 * respect to the parameters, computed per partition in chunks through {@code vmap(grad(loss))}.
 *
 * <p>Shapes: {@code params: f64[P]}, {@code features: array<float|double>[d]}, a numeric label;
 * appends {@code outCol: array<double>[P]}. Equal, row by row, to {@code
 * sparkfunc.per_sample_grad(model, params, features, label)}.
 *
 * <pre>{@code
 * Dataset<Row> g = PerSampleGradients.of("softmax(64,10)").transform(df, theta, "features", "label", "grad");
 * }</pre>
 */
public final class PerSampleGradients {
  private static final String WHERE = "PerSampleGradients.transform";

  private final Model model;
  private final int chunkRows;

  private PerSampleGradients(Model model, int chunkRows) {
    this.model = model;
    this.chunkRows = chunkRows;
  }

  /** For the model named by {@code spec} ({@code linreg(d)}, {@code softmax(d,k)}, {@code mlp(...)} or a class name). */
  public static PerSampleGradients of(String spec) {
    return of(ChunkedColumns.model(WHERE, spec));
  }

  /**
   * For {@code model}; it travels to the executors as its {@link Model#spec()}, so a Java model
   * must be on their classpath under that spec.
   */
  public static PerSampleGradients of(Model model) {
    return new PerSampleGradients(ChunkedColumns.model(WHERE, model.spec()), 0);
  }

  /**
   * The same transform with at most {@code rows} rows per engine call (default: the session's
   * {@code spark.sparkfunc.block.bytes}, 4 MB, of work: {@code 8 (2P + d)} bytes a row).
   */
  public PerSampleGradients chunkRows(int rows) {
    return new PerSampleGradients(model, ChunkedColumns.checkChunkRows(WHERE, rows));
  }

  /**
   * {@code df} with {@code outCol: array<double>[P]} appended: the gradient of each row's loss at
   * {@code params: f64[P]}. Rows keep their order and columns; a bad row fails the job naming the
   * column and the row.
   */
  public Dataset<Row> transform(Dataset<Row> df, double[] params, String featuresCol, String labelCol, String outCol) {
    try {
      Inputs.checkParams(WHERE, model, params);
    } catch (BadInput e) {
      throw new EngineException(WHERE + " (params)", e.expected(), e.got(), e.fix());
    }
    double[] theta = params.clone();
    long perRow = 8L * (2L * model.numParams() + model.numFeatures());
    ChunkedColumns chunks = new ChunkedColumns(WHERE, model, featuresCol, labelCol,
        ChunkedColumns.chunkRows(chunkRows, df, perRow));
    StructField out = DataTypes.createStructField(outCol, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    return chunks.append(df, new StructField[] {out}, (m, block) -> {
      Tensor g = PerSample.of(m).grads(Tensors.of(theta), block);
      Object[][] rows = new Object[block.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = new Object[] {g.select(0, i).toDoubleArray()};
      }
      return rows;
    });
  }
}
