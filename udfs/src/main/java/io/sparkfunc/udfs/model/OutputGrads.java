package io.sparkfunc.udfs.model;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.storage.HeapStorage;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.udfs.model.LayerModel.Loss;

/**
 * Each sample's gradient of its loss with respect to the last layer's output, in closed form:
 * {@code out: f64[n,k], y: f64[n] or i64[n] -> f64[n,k]}, row i being {@code dL_i/dout_i}.
 *
 * <p>NOTE [closed-form output gradients]. Squared error {@code (z - y)^2} gives {@code 2(z - y)},
 * binary cross-entropy on the logit gives {@code sigmoid(z) - y}, softmax cross-entropy gives
 * {@code softmax(z) - onehot(y)}. These equal what reverse mode through {@link LayerModel}'s loss
 * computes (GhostClippingTest compares against {@code vmap(grad)} within 1e-10), at a fraction of
 * its cost: the traced softmax cross-entropy backward is some twenty passes over {@code [n,k]}
 * (logsumexp's max and its tie mask, gather, scatter, broadcasts), the closed form three.
 */
final class OutputGrads {
  private OutputGrads() {}

  static Tensor of(Loss loss, Tensor out, Tensor y) {
    switch (loss) {
      case SQUARED_ERROR:
        return out.sub(y.unsqueeze(1)).mul(2);
      case BINARY_CROSS_ENTROPY:
        return out.sigmoid().sub(y.unsqueeze(1));
      default:
        return softmaxMinusOneHot(out, y);
    }
  }

  /**
   * {@code softmax(z_i) - onehot(y_i)} per row, shifted by the row max; exp runs in the engine.
   * The row arrays are wrapped, not copied, on the way into and out of the engine.
   */
  private static Tensor softmaxMinusOneHot(Tensor out, Tensor y) {
    int n = out.size(0);
    int k = out.size(1);
    double[] z = out.toDoubleArray();
    for (int i = 0, r = 0; i < n; i++, r += k) {
      double max = z[r];
      for (int j = 1; j < k; j++) {
        max = z[r + j] > max ? z[r + j] : max; // a NaN row stays NaN through exp below
      }
      double shift = Double.isInfinite(max) ? 0 : max;
      for (int j = 0; j < k; j++) {
        z[r + j] -= shift;
      }
    }
    double[] e = wrap(z, n, k).exp().toDoubleArray();
    long[] labels = y.toLongArray();
    for (int i = 0, r = 0; i < n; i++, r += k) {
      double s = 0;
      for (int j = 0; j < k; j++) {
        s += e[r + j];
      }
      for (int j = 0; j < k; j++) {
        e[r + j] /= s;
      }
      long c = labels[i];
      if (c < 0 || c >= k) {
        throw new EngineException("crossEntropy", "class labels in [0, " + k + ")",
            "label " + c + " at row " + i, "encode the classes as 0.." + (k - 1));
      }
      e[r + (int) c] -= 1;
    }
    return wrap(e, n, k);
  }

  private static Tensor wrap(double[] values, int n, int k) {
    return DenseTensor.contiguous(HeapStorage.of(values), n, k);
  }
}
