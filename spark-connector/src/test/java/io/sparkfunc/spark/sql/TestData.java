package io.sparkfunc.spark.sql;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import io.sparkfunc.udfs.model.Model;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Seeded rows {@code (id bigint, x array<float>[d], y int, k int = id % groups)} for a classifier,
 * and the row-at-a-time reference: {@code grad(loss)} of each row alone, straight on the engine.
 * Public for the DataFrame API tests.
 */
public final class TestData {
  public final Model model;
  public final double[] theta;
  public final double[][] x;
  public final int[] y;
  private final double[][] grads;

  public TestData(Model model, int n, long seed) {
    this.model = model;
    this.theta = model.init(seed).toDoubleArray();
    java.util.Random r = new java.util.Random(seed);
    x = new double[n][model.numFeatures()];
    y = new int[n];
    grads = new double[n][];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = (float) (2 * r.nextGaussian()); // exactly representable as the float column holds it
      }
      y[i] = r.nextInt(model.numOutputs());
    }
  }

  public Dataset<Row> frame(SparkSession spark, int groups) {
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("x", DataTypes.createArrayType(DataTypes.FloatType, false), true)
        .add("y", DataTypes.IntegerType, false)
        .add("k", DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      float[] f = new float[x[i].length];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) x[i][j];
      }
      rows.add(RowFactory.create((long) i, f, y[i], i % groups));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** The gradient of row i's loss alone: {@code -> f64[P]}. */
  public double[] grad(int i) {
    if (grads[i] == null) {
      grads[i] = computeGrad(i);
    }
    return grads[i];
  }

  private double[] computeGrad(int i) {
    return grad(x[i], y[i]);
  }

  /** The gradient of the loss of one row {@code (features, class label)} alone: {@code -> f64[P]}. */
  public double[] grad(double[] features, double label) {
    Fn loss = Fn.of(model::loss);
    Tensor l = Tensors.scalar((long) label).to(DType.I64);
    return Func.grad(loss, 0).tensor(Tensors.of(theta), Tensors.of(features), l).toDoubleArray();
  }

  /** {@code sum_i g_i * min(1, clip/||g_i||)} of the given gradients: {@code -> f64[P]}. */
  public double[] clippedSum(List<double[]> grads, double clip) {
    double[] sum = new double[model.numParams()];
    for (double[] g : grads) {
      double norm = Math.sqrt(java.util.Arrays.stream(g).map(v -> v * v).sum());
      double f = Math.min(1, clip / norm);
      for (int k = 0; k < g.length; k++) {
        sum[k] += f * g[k];
      }
    }
    return sum;
  }

  /** {@code count} weight samples for the model: {@code init(seed + 1 + s)}, {@code f64[count][P]}. */
  public double[][] samples(int count, long seed) {
    double[][] out = new double[count][];
    for (int s = 0; s < count; s++) {
      out[s] = model.init(seed + 1 + s).toDoubleArray();
    }
    return out;
  }

  /**
   * Over rows {@code i % groups == group} and every sample, two passes straight from {@code
   * predict}: {@code {mean, total var, mean over rows of the variance over samples}}, each {@code
   * f64[k]}.
   */
  public double[][] ensembleStats(double[][] samples, int groups, int group) {
    int k = model.numOutputs();
    List<double[][]> preds = new ArrayList<>();
    for (int i = group; i < x.length; i += groups) {
      double[][] row = new double[samples.length][];
      for (int s = 0; s < samples.length; s++) {
        row[s] = model.predict(Tensors.of(samples[s]), Tensors.of(x[i])).toDoubleArray();
      }
      preds.add(row);
    }
    double count = (double) preds.size() * samples.length;
    double[][] out = new double[3][k];
    for (double[][] row : preds) {
      for (double[] p : row) {
        for (int j = 0; j < k; j++) {
          out[0][j] += p[j] / count;
        }
      }
    }
    for (double[][] row : preds) {
      for (int j = 0; j < k; j++) {
        double rowMean = 0;
        for (double[] p : row) {
          rowMean += p[j] / row.length;
        }
        for (double[] p : row) {
          out[1][j] += (p[j] - out[0][j]) * (p[j] - out[0][j]) / count;
          out[2][j] += (p[j] - rowMean) * (p[j] - rowMean) / count;
        }
      }
    }
    return out;
  }

  /** The sum over rows {@code i} with {@code i % groups == group} of the gradients clipped to {@code clip}. */
  public double[] clippedSum(double clip, int groups, int group) {
    List<double[]> grads = new ArrayList<>();
    for (int i = group; i < x.length; i += groups) {
      grads.add(grad(i));
    }
    return clippedSum(grads, clip);
  }
}
