package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import java.util.Random;

/** Seeded test inputs and value comparisons for the transform tests. */
final class TestData {
  private TestData() {}

  static Tensor randn(long seed, DType dtype, int... shape) {
    Random r = new Random(seed);
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = r.nextGaussian();
    }
    Tensor t = Tensors.of(d, shape);
    return dtype == DType.F64 ? t : t.to(dtype);
  }

  static void assertClose(Tensor want, Tensor got, double tol) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(want.shape(), got.shape(), "shape");
    double[] w = want.toDoubleArray();
    double[] g = got.toDoubleArray();
    for (int i = 0; i < w.length; i++) {
      if (Math.abs(w[i] - g[i]) > tol * (1 + Math.abs(w[i]))) {
        org.junit.jupiter.api.Assertions.fail(
            "element " + i + ": got " + g[i] + ", want " + w[i] + " (tol " + tol + ")\nwant " + want + "\ngot  " + got);
      }
    }
  }

  static void assertClose(double[] want, Tensor got, double tol) {
    assertClose(Tensors.of(want, got.shape()), got, tol);
  }
}
