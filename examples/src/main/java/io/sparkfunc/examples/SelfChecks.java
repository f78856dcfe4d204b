package io.sparkfunc.examples;

import java.util.Arrays;

/**
 * Self-checks for the examples: each check prints one line, PASS or FAIL, and the example exits
 * non-zero if any failed ({@link #exitCode(String)}). Tolerances are absolute plus relative:
 * {@code |got - want| <= atol + rtol * |want|}, as {@code torch.allclose}.
 */
final class SelfChecks {
  private int passed;
  private int failed;

  /** Checks {@code got} against {@code want} element by element. */
  void close(String what, double[] want, double[] got, double rtol, double atol) {
    boolean ok = want.length == got.length;
    double worst = 0;
    for (int i = 0; ok && i < want.length; i++) {
      double err = Math.abs(got[i] - want[i]);
      worst = Math.max(worst, err);
      ok = err <= atol + rtol * Math.abs(want[i]); // NaN fails too
    }
    record(ok, what, "max |err| " + worst + (ok ? "" : "; want " + show(want) + ", got " + show(got)));
  }

  /** Checks two tensors of one shape within {@code |got - want| <= tol * (1 + |want|)}. */
  void close(String what, io.sparkfunc.engine.Tensor want, io.sparkfunc.engine.Tensor got, double tol) {
    boolean shapes = java.util.Arrays.equals(want.shape(), got.shape());
    double[] w = want.toDoubleArray();
    double[] g = got.toDoubleArray();
    double worst = 0;
    boolean ok = shapes;
    for (int i = 0; ok && i < w.length; i++) {
      double err = Math.abs(g[i] - w[i]);
      worst = Math.max(worst, err);
      ok = err <= tol * (1 + Math.abs(w[i]));
    }
    record(ok, what, shapes ? "max |err| " + worst : "shape " + got.type() + " vs " + want.type());
  }

  private void record(boolean ok, String what, String detail) {
    if (ok) {
      passed++;
    } else {
      failed++;
    }
    System.out.printf("  %s  %s (%s)%n", ok ? "PASS" : "FAIL", what, detail);
  }

  /** 0 when every check passed, else 1. Prints one summary line naming {@code example}. */
  int exitCode(String example) {
    int total = passed + failed;
    System.out.println(failed == 0
        ? example + ": all " + total + " checks passed"
        : example + ": " + failed + " of " + total + " checks FAILED");
    return failed == 0 ? 0 : 1;
  }

  static String show(double[] v) {
    return v.length <= 8 ? Arrays.toString(v) : Arrays.toString(Arrays.copyOf(v, 8)) + "...";
  }

  /** float[] to double[], for comparing f32 results. */
  static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
