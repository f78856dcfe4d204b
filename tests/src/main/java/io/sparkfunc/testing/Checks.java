package io.sparkfunc.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkfunc.engine.Tensor;

/** Value comparisons with a mixed tolerance, NaN and infinity aware, with readable failures. */
public final class Checks {
  private Checks() {}

  /**
   * Asserts that {@code got} has {@code want}'s shape and values: {@code |got - want| <= tol * (1 +
   * |want|)}, NaN where want is NaN, the same infinity where want is infinite.
   */
  public static void assertClose(Ref want, Tensor got, double tol, String what) {
    assertArrayEquals(want.shape, got.shape(), what + ": shape");
    double[] g = got.toDoubleArray();
    for (int i = 0; i < g.length; i++) {
      double w = want.data[i];
      boolean ok = Double.isNaN(w) ? Double.isNaN(g[i])
          : Double.isInfinite(w) ? g[i] == w
          : Math.abs(g[i] - w) <= tol * (1 + Math.abs(w));
      if (!ok) {
        fail(what + ": element " + i + " of " + got.type() + " is " + g[i] + ", want " + w
            + " (tol " + tol + ")");
      }
    }
  }
}
