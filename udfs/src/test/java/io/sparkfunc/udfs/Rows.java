package io.sparkfunc.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.udfs.model.Model;

/** Seeded test rows for a model, and an element-wise array assert. */
final class Rows {
  final double[][] x;
  final double[] y;

  Rows(Model model, int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    x = new double[n][model.numFeatures()];
    y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = r.nextGaussian();
      }
      switch (model.labelKind()) {
        case CLASS:
          y[i] = r.nextInt(model.numOutputs());
          break;
        case BINARY:
          y[i] = r.nextInt(2);
          break;
        default:
          y[i] = r.nextGaussian();
      }
    }
  }

  Block block(int from, int to) {
    Block b = new Block(x[0].length);
    for (int i = from; i < to; i++) {
      b.add(x[i], y[i]);
    }
    return b;
  }

  static void assertClose(double[] want, double[] got, double tol, String what) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + " [" + i + "]");
    }
  }
}
