package io.sparkfunc.spark.df;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.EnsembleStatsState;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A Bayesian (or deep) ensemble's predictions as DataFrame columns: {@code S} weight samples of
 * one model predict every row, and each row gets the mean and the population variance over the
 * samples of each output unit (the predictive mean and the epistemic variance), computed per
 * partition in chunks through {@code vmap(vmap(predict))} over (samples, rows).
 *
 * <p>Shapes: {@code paramSamples: f64[S][P]}, {@code features: array<float|double>[d]}; appends
 * {@code meanCol, varCol: array<double>[k]}. Equal, row by row, to {@code
 * sparkfunc.ensemble_predict(model, param_samples, features)}.
 *
 * <pre>{@code
 * Dataset<Row> p = Ensemble.of("mlp(64,32,10;act=tanh)").predict(df, samples, "features");
 * // + prediction_mean, prediction_var
 * }</pre>
 */
public final class Ensemble {
  private static final String WHERE = "Ensemble.predict";

  /** Default name of the appended mean column. */
  public static final String MEAN_COL = "prediction_mean";
  /** Default name of the appended variance column. */
  public static final String VAR_COL = "prediction_var";

  private final Model model;
  private final int chunkRows;

  private Ensemble(Model model, int chunkRows) {
    this.model = model;
    this.chunkRows = chunkRows;
  }

  /** For the model named by {@code spec}. */
  public static Ensemble of(String spec) {
    return of(ChunkedColumns.model(WHERE, spec));
  }

  /** For {@code model}; it travels to the executors as its {@link Model#spec()}. */
  public static Ensemble of(Model model) {
    return new Ensemble(ChunkedColumns.model(WHERE, model.spec()), 0);
  }

  /**
   * The same ensemble with at most {@code rows} rows per engine call (default: the session's
   * {@code spark.sparkfunc.block.bytes}, 4 MB, of work: {@code 8 (d + S (d + k))} bytes a row).
   */
  public Ensemble chunkRows(int rows) {
    return new Ensemble(model, ChunkedColumns.checkChunkRows(WHERE, rows));
  }

  /** {@link #predict(Dataset, double[][], String, String, String)} into {@link #MEAN_COL} and {@link #VAR_COL}. */
  public Dataset<Row> predict(Dataset<Row> df, double[][] paramSamples, String featuresCol) {
    return predict(df, paramSamples, featuresCol, MEAN_COL, VAR_COL);
  }

  /**
   * {@code df} with {@code meanCol} and {@code varCol} ({@code array<double>[k]} each) appended:
   * for each row, the mean and population variance over the {@code S} samples of their
   * predictions. Rows keep their order and columns; a bad row fails the job naming the column and
   * the row.
   */
  public Dataset<Row> predict(Dataset<Row> df, double[][] paramSamples, String featuresCol, String meanCol, String varCol) {
    double[] flat;
    try {
      flat = Inputs.checkSamples(WHERE, model, paramSamples);
    } catch (BadInput e) {
      throw new EngineException(e.where() + " (paramSamples)", e.expected(), e.got(), e.fix());
    }
    int samples = paramSamples.length;
    int p = model.numParams();
    int rows = ChunkedColumns.chunkRows(chunkRows, df, EnsembleStatsState.bytesPerRow(model, samples));
    ChunkedColumns chunks = new ChunkedColumns(WHERE, model, featuresCol, null, rows);
    StructField[] out = {
        DataTypes.createStructField(meanCol, DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        DataTypes.createStructField(varCol, DataTypes.createArrayType(DataTypes.DoubleType, false), false)};
    return chunks.append(df, out, (m, block) -> {
      Tensor preds = PerSample.of(m).ensemblePredictions(Tensors.of(flat, samples, p), block);
      Tensor[] moments = PerSample.momentsOverSamples(preds);
      Object[][] values = new Object[block.size()][];
      for (int i = 0; i < values.length; i++) {
        values[i] = new Object[] {moments[0].select(0, i).toDoubleArray(), moments[1].select(0, i).toDoubleArray()};
      }
      return values;
    });
  }
}
