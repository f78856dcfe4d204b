package io.sparkfunc.udfs;

import static io.sparkfunc.udfs.Rows.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Batched per-sample functions against hand derivatives and central differences. */
@Tag("unit")
class PerSampleTest {

  @Test
  void linregGradsAreTwiceTheResidualTimesTheInput() {
    Model m = Models.parse("linreg(3)");
    double[] theta = m.init(1).toDoubleArray();
    Rows rows = new Rows(m, 9, 2);
    double[] g = PerSample.of(m).grads(Tensors.of(theta), rows.block(0, 9)).toDoubleArray();
    for (int i = 0; i < 9; i++) {
      double r = theta[3] - rows.y[i];
      for (int j = 0; j < 3; j++) {
        r += theta[j] * rows.x[i][j];
      }
      for (int j = 0; j < 3; j++) {
        assertEquals(2 * r * rows.x[i][j], g[i * 4 + j], 1e-12);
      }
      assertEquals(2 * r, g[i * 4 + 3], 1e-12);
    }
  }

  @Test
  void softmaxGradsAreProbabilitiesMinusOneHotTimesTheInput() {
    Model m = Models.parse("softmax(4,3)");
    double[] theta = m.init(3).toDoubleArray();
    Rows rows = new Rows(m, 6, 4);
    PerSample ps = PerSample.of(m);
    double[] p = ps.predictions(Tensors.of(theta), rows.block(0, 6)).toDoubleArray();
    double[] g = ps.grads(Tensors.of(theta), rows.block(0, 6)).toDoubleArray();
    for (int i = 0; i < 6; i++) {
      assertEquals(1, p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2], 1e-12);
      for (int c = 0; c < 3; c++) {
        double e = p[i * 3 + c] - (rows.y[i] == c ? 1 : 0);
        for (int j = 0; j < 4; j++) {
          assertEquals(e * rows.x[i][j], g[i * 15 + c * 4 + j], 1e-12);
        }
        assertEquals(e, g[i * 15 + 12 + c], 1e-12);
      }
    }
  }

  @Test
  void logregAndMlpGradsMatchCentralDifferences() {
    for (String spec : new String[] {"logreg(5)", "mlp(5,4,3;act=tanh)", "mlp(5,4,3,3;act=gelu)"}) {
      Model m = Models.parse(spec);
      double[] theta = m.init(5).toDoubleArray();
      Rows rows = new Rows(m, 4, 6);
      PerSample ps = PerSample.of(m);
      double[] g = ps.grads(Tensors.of(theta), rows.block(0, 4)).toDoubleArray();
      int p = m.numParams();
      for (int i = 0; i < 4; i++) {
        for (int k = 0; k < p; k += 3) {
          double h = 1e-6;
          double up = lossAt(ps, theta, k, h, rows.block(i, i + 1));
          double down = lossAt(ps, theta, k, -h, rows.block(i, i + 1));
          assertEquals((up - down) / (2 * h), g[i * p + k], 1e-6, spec + " row " + i + " param " + k);
        }
      }
    }
  }

  @Test
  void gradSumAndClippedSumEqualTheRowLoop() {
    Model m = Models.parse("mlp(6,5,4;act=relu)");
    Tensor theta = m.init(8);
    Rows rows = new Rows(m, 20, 9);
    PerSample ps = PerSample.of(m);
    double[] g = ps.grads(theta, rows.block(0, 20)).toDoubleArray();
    int p = m.numParams();
    double clip = 0.8;
    double[] sum = new double[p];
    double[] clipped = new double[p];
    int clippedRows = 0;
    for (int i = 0; i < 20; i++) {
      double norm = 0;
      for (int k = 0; k < p; k++) {
        norm += g[i * p + k] * g[i * p + k];
      }
      norm = Math.sqrt(norm);
      clippedRows += norm > clip ? 1 : 0;
      for (int k = 0; k < p; k++) {
        sum[k] += g[i * p + k];
        clipped[k] += g[i * p + k] * Math.min(1, clip / norm);
      }
    }
    assertClose(sum, ps.gradSum(theta, rows.block(0, 20)).toDoubleArray(), 1e-12, "grad sum");
    assertClose(clipped, ps.clippedSum(theta, rows.block(0, 20), clip).toDoubleArray(), 1e-12, "clipped sum");
    assertEquals(true, clippedRows > 0 && clippedRows < 20, "the clip norm clips some rows, not all: " + clippedRows);
  }

  @Test
  void lossJvpIsTheGradientAlongTheDirectionAndHvpMatchesDifferencesOfGradients() {
    for (String spec : new String[] {"logreg(4)", "mlp(4,5,3;act=tanh)", "mlp(4,3,3;act=gelu)"}) {
      Model m = Models.parse(spec);
      Tensor theta = m.init(21);
      int p = m.numParams();
      java.util.Random r = new java.util.Random(22);
      double[] v = new double[p];
      for (int k = 0; k < p; k++) {
        v[k] = r.nextGaussian();
      }
      Rows rows = new Rows(m, 7, 23);
      PerSample ps = PerSample.of(m);
      double[] g = ps.grads(theta, rows.block(0, 7)).toDoubleArray();
      double[] jvp = ps.lossJvps(theta, rows.block(0, 7), Tensors.of(v)).toDoubleArray();
      double[] hvp = ps.lossHvps(theta, rows.block(0, 7), Tensors.of(v)).toDoubleArray();
      double h = 1e-5;
      double[] up = ps.grads(shifted(theta, v, h), rows.block(0, 7)).toDoubleArray();
      double[] down = ps.grads(shifted(theta, v, -h), rows.block(0, 7)).toDoubleArray();
      for (int i = 0; i < 7; i++) {
        double dot = 0;
        for (int k = 0; k < p; k++) {
          dot += g[i * p + k] * v[k];
          double fd = (up[i * p + k] - down[i * p + k]) / (2 * h);
          assertEquals(fd, hvp[i * p + k], 1e-6 * Math.max(1, Math.abs(fd)), spec + " hvp row " + i + " param " + k);
        }
        assertEquals(dot, jvp[i], 1e-12 * Math.max(1, Math.abs(dot)), spec + " jvp row " + i);
      }
    }
  }

  @Test
  void ensemblePredictionsAreEachSampleOnEachRowAndMomentsAreOverSamples() {
    Model m = Models.parse("mlp(3,4,2;act=relu)");
    Rows rows = new Rows(m, 5, 31);
    double[][] thetas = {m.init(1).toDoubleArray(), m.init(2).toDoubleArray(), m.init(3).toDoubleArray()};
    Tensor preds = PerSample.of(m).ensemblePredictions(Tensors.of(thetas), rows.block(0, 5));
    assertEquals(java.util.List.of(3, 5, 2), java.util.Arrays.stream(preds.shape()).boxed().toList());
    Tensor[] moments = PerSample.momentsOverSamples(preds);
    double[] mean = moments[0].toDoubleArray();
    double[] var = moments[1].toDoubleArray();
    for (int i = 0; i < 5; i++) {
      double[][] p = new double[3][];
      for (int s = 0; s < 3; s++) {
        p[s] = m.predict(Tensors.of(thetas[s]), Tensors.of(rows.x[i])).toDoubleArray();
        assertClose(p[s], preds.select(0, s).select(0, i).toDoubleArray(), 1e-14, "sample " + s + " row " + i);
      }
      for (int j = 0; j < 2; j++) {
        double mu = (p[0][j] + p[1][j] + p[2][j]) / 3;
        double sq = 0;
        for (int s = 0; s < 3; s++) {
          sq += (p[s][j] - mu) * (p[s][j] - mu);
        }
        assertEquals(mu, mean[i * 2 + j], 1e-14);
        assertEquals(sq / 3, var[i * 2 + j], 1e-14);
      }
    }
  }

  private static Tensor shifted(Tensor theta, double[] v, double h) {
    return theta.add(Tensors.of(v).mul(h));
  }

  private static double lossAt(PerSample ps, double[] theta, int k, double h, Block one) {
    double[] t = theta.clone();
    t[k] += h;
    return ps.losses(Tensors.of(t), one).toDoubleArray()[0];
  }
}
