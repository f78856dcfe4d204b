package io.sparkfunc.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Differential tests of the SIMD kernels against {@link ScalarKernels}: every kernel method, f32
 * and f64, on odd run lengths with non-zero offsets, every increment combination, and special
 * values (NaN, ±inf, ±0, subnormals, large |x|).
 *
 * <p>Tolerances, per op, in units in the last place of the scalar result (plus an absolute floor
 * for results near a zero of the function, e.g. sin near a multiple of pi): exact for NEG, ABS,
 * SIGN, SQRT, ADD, SUB, MUL, DIV, MAX, MIN, compare and select; 1 ulp for f32 RSQRT; {@link
 * #ulps} for the transcendental ops (the JDK's SVML-based vector math: measured at most 1 ulp,
 * 2 for TANH and LOGISTIC, over 65536 values in [-20, 20] and ±e^[-20, 20]); sums relative to
 * sum|x|.
 *
 * <p>The Vector API runs lane by lane in Java until C2 compiles a loop, and only compiled code
 * calls SVML. The {@code compiled...} tests therefore warm each loop up before they compare.
 */
@Tag("simd")
class VectorKernelsTest {
  static final int[] SIZES = {0, 1, 3, 7, 17, 64, 65, 1023};
  private static final int XO = 3;
  private static final int YO = 5;
  private static Kernels simd;
  private static final Kernels REF = ScalarKernels.INSTANCE;

  @BeforeAll
  static void load() {
    simd = KernelProvider.simdOrNull();
  }

  private static void requireSimd() {
    assumeTrue(simd != null, "jdk.incubator.vector not available");
  }

  /** Specials first (so short runs see them), then random values of varied magnitude. */
  static double[] data(int n, long seed, boolean positive) {
    double[] specials = {
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1.0, -1.0,
      1e-40, -1e-40, 88.5, -88.5, 89.0, -104.0, 709.0, 711.0, -745.5, 20.0, -20.0, 1e30, -1e30,
      0.5, 3.0, 1e-8, -1e-8
    };
    Random r = new Random(seed);
    double[] v = new double[n + XO];
    for (int i = 0; i < v.length; i++) {
      int j = i - XO;
      double x;
      if (j >= 0 && j < specials.length && j % 2 == (int) (seed & 1)) {
        x = specials[j];
      } else if (r.nextBoolean()) {
        x = r.nextDouble() * 20 - 10;
      } else {
        x = Math.exp(r.nextDouble() * 20 - 10) * (r.nextBoolean() ? 1 : -1);
      }
      v[i] = positive && !Double.isNaN(x) ? Math.abs(x) : x;
    }
    return v;
  }

  static float[] f32(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /** Allowed error in ulps of the scalar result for each unary op (0 = bit-identical). */
  static double ulps(UnaryOp op, boolean f32) {
    switch (op) {
      case NEG: case ABS: case SIGN: case SQRT:
        return 0;
      case RSQRT:
        return f32 ? 1 : 0;
      case TANH: case LOGISTIC:
        return 3;
      default:
        return 2;
    }
  }

  /**
   * Checks {@code got} against {@code want}: both NaN, or equal infinities/signed zeros when
   * {@code ulps == 0}, else within {@code ulps} ulps of want plus {@code abs}.
   */
  static void check(String what, double want, double got, double ulps, double abs, boolean f32) {
    if (Double.isNaN(want) || Double.isNaN(got)) {
      if (Double.isNaN(want) != Double.isNaN(got)) {
        fail(what + ": want " + want + ", got " + got);
      }
      return;
    }
    if (ulps == 0 || Double.isInfinite(want) || Double.isInfinite(got)) {
      if (Double.compare(want, got) != 0 && !(ulps > 0 && want == got)) {
        fail(what + ": want " + want + ", got " + got + " (exact)");
      }
      return;
    }
    double ulp = f32 ? Math.ulp((float) want) : Math.ulp(want);
    if (Math.abs(want - got) > ulps * ulp + abs) {
      fail(what + ": want " + want + ", got " + got + ", error "
          + Math.abs(want - got) / ulp + " ulp > " + ulps);
    }
  }

  /** Absolute floor: results of sin/cos/expm1/log1p/tanh near 0 are judged against the scale of x. */
  static double absFloor(UnaryOp op, double x, boolean f32) {
    double eps = f32 ? 0x1p-24 : 0x1p-53;
    switch (op) {
      case SIN: case COS:
        return 4 * eps * Math.max(1, Math.abs(x));
      default:
        return 0;
    }
  }

  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void unaryMatchesScalar(UnaryOp op) {
    requireSimd();
    boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT;
    for (int n : SIZES) {
      for (boolean halfPositive : new boolean[] {false, positive}) {
        double[] x = data(n, n * 31L + op.ordinal(), halfPositive);
        double[] yd = new double[n + YO];
        double[] rd = new double[n + YO];
        simd.unary(op, x, XO, yd, YO, n);
        REF.unary(op, x, XO, rd, YO, n);
        float[] xf = f32(x);
        float[] yf = new float[n + YO];
        float[] rf = new float[n + YO];
        simd.unary(op, xf, XO, yf, YO, n);
        REF.unary(op, xf, XO, rf, YO, n);
        for (int i = 0; i < n; i++) {
          String at = op + " n=" + n + " x=" + x[XO + i];
          check(at + " f64", rd[YO + i], yd[YO + i], ulps(op, false), absFloor(op, x[XO + i], false), false);
          check(at + " f32", rf[YO + i], yf[YO + i], ulps(op, true), absFloor(op, xf[XO + i], true), true);
        }
        assertUntouched(yd, YO, n);
      }
    }
  }

  /** The output run must not spill: elements before {@code yo} stay zero. */
  static void assertUntouched(double[] y, int yo, int n) {
    for (int i = 0; i < yo; i++) {
      assertEquals(0.0, y[i], "element " + i + " before the output run was written");
    }
  }

  @Test
  void logisticIsSafeForLargeMagnitudes() {
    requireSimd();
    double[] x = {-1e30, -1000, -104, -89, -50, 0, 50, 89, 104, 1000, 1e30, -0.0, 0.0, 1e-30, -745, 745, 3};
    double[] y = new double[x.length];
    simd.unary(UnaryOp.LOGISTIC, x, 0, y, 0, x.length);
    float[] yf = new float[x.length];
    simd.unary(UnaryOp.LOGISTIC, f32(x), 0, yf, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      double want = ScalarMath.unary(UnaryOp.LOGISTIC, x[i]);
      check("logistic(" + x[i] + ")", want, y[i], 4, 0, false);
      check("logistic(" + x[i] + ") f32", (float) want, yf[i], 4, 0, true);
      assertTrue(y[i] >= 0 && y[i] <= 1 && yf[i] >= 0 && yf[i] <= 1, "in [0,1]");
    }
    assertEquals(0.0, y[0]);
    assertEquals(1.0, y[10]);
    assertEquals(0.5, y[5]);
  }

  @Test
  void tanhAndExpSaturate() {
    requireSimd();
    double[] x = {-1e30, -50, 50, 1e30, 1000, -1000};
    double[] t = new double[x.length];
    double[] e = new double[x.length];
    simd.unary(UnaryOp.TANH, x, 0, t, 0, x.length);
    simd.unary(UnaryOp.EXP, x, 0, e, 0, x.length);
    assertEquals(-1.0, t[0]);
    assertEquals(1.0, t[3]);
    assertEquals(0.0, e[0]);
    assertEquals(Double.POSITIVE_INFINITY, e[3]);
    float[] ef = new float[2];
    simd.unary(UnaryOp.EXP, new float[] {89f, -104f}, 0, ef, 0, 2);
    assertEquals(Float.POSITIVE_INFINITY, ef[0]);
    assertEquals(0f, ef[1]);
  }

  /** Warms an op's loop until C2 has compiled it, so that SVML (not the Java fallback) is checked. */
  static void warm(Runnable r) {
    for (int i = 0; i < 3000; i++) {
      r.run();
    }
  }

  @ParameterizedTest
  @EnumSource(UnaryOp.class)
  void compiledUnaryMatchesScalar(UnaryOp op) {
    requireSimd();
    int n = 1 << 14;
    double[] x = data(n, 99, false);
    float[] xf = f32(x);
    double[] y = new double[n];
    float[] yf = new float[n];
    warm(() -> simd.unary(op, x, 0, y, 0, 1024));
    warm(() -> simd.unary(op, xf, 0, yf, 0, 1024));
    simd.unary(op, x, XO, y, 0, n);
    simd.unary(op, xf, XO, yf, 0, n);
    for (int i = 0; i < n; i++) {
      double xi = x[XO + i];
      check(op + "(" + xi + ")", ScalarMath.unary(op, xi), y[i], ulps(op, false), absFloor(op, xi, false), false);
      check(op + "(" + xf[XO + i] + ") f32", (float) ScalarMath.unary(op, xf[XO + i]), yf[i],
          ulps(op, true), absFloor(op, xf[XO + i], true), true);
    }
  }

  // ---- binary ----

  /** Increment pairs (a, b): both runs, either broadcast, both broadcast. */
  static final int[][] INCS = {{1, 1}, {1, 0}, {0, 1}, {0, 0}};

  @ParameterizedTest
  @EnumSource(BinaryOp.class)
  void binaryMatchesScalar(BinaryOp op) {
    requireSimd();
    double tol = op == BinaryOp.POW ? 2 : 0;
    for (int n : SIZES) {
      for (int[] inc : INCS) {
        double[] a = data(n, n + 7L * op.ordinal(), false);
        double[] b = data(n, n + 13L * op.ordinal() + 1, op == BinaryOp.POW && n % 2 == 1);
        double[] y = new double[n + YO];
        double[] r = new double[n + YO];
        simd.binary(op, a, XO, inc[0], b, XO, inc[1], y, YO, n);
        REF.binary(op, a, XO, inc[0], b, XO, inc[1], r, YO, n);
        float[] af = f32(a);
        float[] bf = f32(b);
        float[] yf = new float[n + YO];
        float[] rf = new float[n + YO];
        simd.binary(op, af, XO, inc[0], bf, XO, inc[1], yf, YO, n);
        REF.binary(op, af, XO, inc[0], bf, XO, inc[1], rf, YO, n);
        for (int i = 0; i < n; i++) {
          String at = op + " n=" + n + " inc=" + inc[0] + "," + inc[1] + " i=" + i;
          check(at, r[YO + i], y[YO + i], tol, 0, false);
          check(at + " f32", rf[YO + i], yf[YO + i], tol, 0, true);
        }
        assertUntouched(y, YO, n);
      }
    }
  }

  @Test
  void binaryWritesInPlace() {
    requireSimd();
    double[] a = data(65, 5, false);
    double[] want = new double[65];
    REF.binary(BinaryOp.MUL, a, XO, 1, a, XO, 1, want, 0, 65 - XO);
    simd.binary(BinaryOp.MUL, a, XO, 1, a, XO, 1, a, XO, 65 - XO);
    for (int i = 0; i < 65 - XO; i++) {
      check("in place", want[i], a[XO + i], 0, 0, false);
    }
  }

  @Test
  void compiledMaxMinPropagateNaNAndOrderZeros() {
    requireSimd();
    int n = 1024;
    double[] a = new double[n];
    double[] b = new double[n];
    double[][] pairs = {{Double.NaN, 1}, {1, Double.NaN}, {0.0, -0.0}, {-0.0, 0.0}, {2, 3}, {-5, -7}};
    for (int i = 0; i < n; i++) {
      a[i] = pairs[i % pairs.length][0];
      b[i] = pairs[i % pairs.length][1];
    }
    float[] af = f32(a);
    float[] bf = f32(b);
    for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
      double[] y = new double[n];
      float[] yf = new float[n];
      warm(() -> simd.binary(op, a, 0, 1, b, 0, 1, y, 0, n));
      warm(() -> simd.binary(op, af, 0, 1, bf, 0, 1, yf, 0, n));
      for (int i = 0; i < n; i++) {
        double want = ScalarMath.binary(op, a[i], b[i]);
        check(op + "(" + a[i] + ", " + b[i] + ")", want, y[i], 0, 0, false);
        check(op + "(" + a[i] + ", " + b[i] + ") f32", (float) want, yf[i], 0, 0, true);
      }
    }
  }

  @Test
  void powScalarMatchesScalar() {
    requireSimd();
    double[] exps = {0, 1, 2, -1, 0.5, 3, 4, -2.5, 1.5};
    for (int n : SIZES) {
      for (double p : exps) {
        double[] x = data(n, n + 3, n % 2 == 0);
        double[] y = new double[n + YO];
        double[] r = new double[n + YO];
        simd.powScalar(x, XO, p, y, YO, n);
        REF.powScalar(x, XO, p, r, YO, n);
        float[] xf = f32(x);
        float[] yf = new float[n + YO];
        float[] rf = new float[n + YO];
        simd.powScalar(xf, XO, (float) p, yf, YO, n);
        REF.powScalar(xf, XO, (float) p, rf, YO, n);
        for (int i = 0; i < n; i++) {
          String at = "pow(" + x[XO + i] + ", " + p + ") n=" + n;
          check(at, r[YO + i], y[YO + i], 2, 0, false);
          check(at + " f32", rf[YO + i], yf[YO + i], 2, 0, true);
        }
      }
    }
  }

  // ---- compare and select ----

  /** Values with ties, NaN and signed zeros, so every comparison outcome occurs. */
  static double[] ties(int n, long seed) {
    double[] pool = {Double.NaN, 0.0, -0.0, 1, 2, -1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    Random r = new Random(seed);
    double[] v = new double[n + XO];
    for (int i = 0; i < v.length; i++) {
      v[i] = pool[r.nextInt(pool.length)];
    }
    return v;
  }

  @ParameterizedTest
  @EnumSource(CompareOp.class)
  void compareMatchesScalar(CompareOp op) {
    requireSimd();
    for (int n : SIZES) {
      for (int[] inc : INCS) {
        double[] a = ties(n, n + op.ordinal());
        double[] b = ties(n, n * 7L + op.ordinal());
        assertCompare(op, a, inc[0], b, inc[1], n);
      }
    }
  }

  private static void assertCompare(CompareOp op, double[] a, int ainc, double[] b, int binc, int n) {
    byte[] y = new byte[n + YO];
    byte[] r = new byte[n + YO];
    simd.compare(op, a, XO, ainc, b, XO, binc, y, YO, n);
    REF.compare(op, a, XO, ainc, b, XO, binc, r, YO, n);
    byte[] yf = new byte[n + YO];
    byte[] rf = new byte[n + YO];
    simd.compare(op, f32(a), XO, ainc, f32(b), XO, binc, yf, YO, n);
    REF.compare(op, f32(a), XO, ainc, f32(b), XO, binc, rf, YO, n);
    for (int i = 0; i < n + YO; i++) {
      String at = op + " n=" + n + " inc=" + ainc + "," + binc + " i=" + i;
      assertEquals(r[i], y[i], at);
      assertEquals(rf[i], yf[i], at + " f32");
    }
  }

  @Test
  void compiledCompareMatchesScalar() {
    requireSimd();
    int n = 1024;
    double[] a = ties(n, 1);
    double[] b = ties(n, 2);
    for (CompareOp op : CompareOp.values()) {
      byte[] y = new byte[n];
      warm(() -> simd.compare(op, a, XO, 1, b, XO, 1, y, 0, n - XO));
      float[] af = f32(a);
      float[] bf = f32(b);
      warm(() -> simd.compare(op, af, XO, 1, bf, XO, 0, y, 0, n - XO));
      assertCompare(op, a, 1, b, 1, n - XO);
      assertCompare(op, a, 1, b, 0, n - XO);
    }
  }

  @Test
  void selectMatchesScalar() {
    requireSimd();
    for (int n : SIZES) {
      for (int combo = 0; combo < 8; combo++) {
        int minc = combo & 1;
        int ainc = (combo >> 1) & 1;
        int binc = (combo >> 2) & 1;
        byte[] m = new byte[n + XO];
        Random r = new Random(n + combo);
        for (int i = 0; i < m.length; i++) {
          m[i] = (byte) r.nextInt(2);
        }
        double[] a = data(n, n + combo, false);
        double[] b = data(n, n * 3L + combo, false);
        double[] y = new double[n + YO];
        double[] want = new double[n + YO];
        simd.select(m, XO, minc, a, XO, ainc, b, XO, binc, y, YO, n);
        REF.select(m, XO, minc, a, XO, ainc, b, XO, binc, want, YO, n);
        float[] yf = new float[n + YO];
        float[] wf = new float[n + YO];
        simd.select(m, XO, minc, f32(a), XO, ainc, f32(b), XO, binc, yf, YO, n);
        REF.select(m, XO, minc, f32(a), XO, ainc, f32(b), XO, binc, wf, YO, n);
        for (int i = 0; i < n + YO; i++) {
          String at = "select n=" + n + " incs=" + minc + ainc + binc + " i=" + i;
          check(at, want[i], y[i], 0, 0, false);
          check(at + " f32", wf[i], yf[i], 0, 0, true);
        }
      }
    }
  }

  @Test
  void compiledSelectMatchesScalar() {
    requireSimd();
    int n = 1024;
    byte[] m = new byte[n];
    for (int i = 0; i < n; i++) {
      m[i] = (byte) (i % 3 == 0 ? 1 : 0);
    }
    double[] a = data(n, 1, false);
    double[] b = data(n, 2, false);
    float[] af = f32(a);
    float[] bf = f32(b);
    double[] y = new double[n];
    float[] yf = new float[n];
    warm(() -> simd.select(m, 0, 1, a, 0, 1, b, 0, 1, y, 0, n));
    warm(() -> simd.select(m, 0, 1, af, 0, 1, bf, 0, 1, yf, 0, n));
    for (int i = 0; i < n; i++) {
      check("select i=" + i, m[i] != 0 ? a[i] : b[i], y[i], 0, 0, false);
      check("select f32 i=" + i, m[i] != 0 ? af[i] : bf[i], yf[i], 0, 0, true);
    }
  }

  // ---- reductions ----

  @Test
  void sumMatchesScalarWithinLaneOrderError() {
    requireSimd();
    for (int n : new int[] {0, 1, 3, 7, 17, 64, 65, 1023, 100_000}) {
      double[] x = finite(n, n);
      float[] xf = f32(x);
      double scale = 0;
      for (int i = 0; i < n; i++) {
        scale += Math.abs(x[XO + i]);
      }
      double want = REF.sum(x, XO, n);
      assertEquals(want, simd.sum(x, XO, n), 4 * 0x1p-53 * scale + 1e-300, "f64 sum n=" + n);
      double wantF = REF.sum(xf, XO, n);
      assertEquals(wantF, simd.sum(xf, XO, n), (n / 64.0 + 2) * 0x1p-24 * scale + 1e-30, "f32 sum n=" + n);
    }
  }

  /** Random finite values of varied magnitude (no specials), with an XO prefix. */
  static double[] finite(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n + XO];
    for (int i = 0; i < v.length; i++) {
      v[i] = (r.nextDouble() * 2 - 1) * Math.exp(r.nextDouble() * 6 - 3);
    }
    return v;
  }

  @Test
  void sumPropagatesSpecials() {
    requireSimd();
    for (int n : new int[] {1, 17, 1023}) {
      for (int at : new int[] {0, n / 2, n - 1}) {
        double[] x = finite(n, at);
        x[XO + at] = Double.NaN;
        assertTrue(Double.isNaN(simd.sum(x, XO, n)), "NaN at " + at);
        assertTrue(Float.isNaN(simd.sum(f32(x), XO, n)), "f32 NaN at " + at);
        x[XO + at] = Double.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, simd.sum(x, XO, n));
        assertEquals(Float.POSITIVE_INFINITY, simd.sum(f32(x), XO, n));
      }
    }
  }

  @Test
  void maxMinAreExactAndPropagateNaN() {
    requireSimd();
    for (int n : new int[] {1, 3, 7, 17, 64, 65, 1023}) {
      double[] x = finite(n, n);
      float[] xf = f32(x);
      assertEquals(REF.max(x, XO, n), simd.max(x, XO, n), "max n=" + n);
      assertEquals(REF.min(x, XO, n), simd.min(x, XO, n), "min n=" + n);
      assertEquals(REF.max(xf, XO, n), simd.max(xf, XO, n), "f32 max n=" + n);
      assertEquals(REF.min(xf, XO, n), simd.min(xf, XO, n), "f32 min n=" + n);
      for (int at : new int[] {0, n / 2, n - 1}) {
        double[] y = x.clone();
        y[XO + at] = Double.NaN;
        assertTrue(Double.isNaN(simd.max(y, XO, n)) && Double.isNaN(simd.min(y, XO, n)), "NaN at " + at);
        assertTrue(Float.isNaN(simd.max(f32(y), XO, n)) && Float.isNaN(simd.min(f32(y), XO, n)));
      }
    }
    double[] zeros = {-0.0, 0.0, -0.0};
    assertEquals(0.0, simd.max(zeros, 0, 3));
    assertEquals(-0.0, simd.min(new double[] {0.0, -0.0, 0.0}, 0, 3));
  }

  @Test
  void compiledReductionsMatchScalar() {
    requireSimd();
    int n = 4099;
    double[] x = finite(n, 42);
    float[] xf = f32(x);
    warm(() -> simd.sum(x, 0, 1024));
    warm(() -> simd.max(xf, 0, 1024));
    warm(() -> simd.min(x, 0, 1024));
    warm(() -> simd.sum(xf, 0, 1024));
    warm(() -> simd.max(x, 0, 1024));
    warm(() -> simd.min(xf, 0, 1024));
    assertEquals(REF.max(x, XO, n), simd.max(x, XO, n));
    assertEquals(REF.min(xf, XO, n), simd.min(xf, XO, n));
    double[] y = x.clone();
    y[XO + 2000] = Double.NaN;
    assertTrue(Double.isNaN(simd.max(y, XO, n)) && Double.isNaN(simd.min(y, XO, n)));
    assertTrue(Float.isNaN(simd.max(f32(y), XO, n)) && Float.isNaN(simd.min(f32(y), XO, n)));
    assertEquals(REF.sum(x, XO, n), simd.sum(x, XO, n), 1e-12 * n);
    assertEquals(REF.sum(xf, XO, n), simd.sum(xf, XO, n), 1e-4 * n / 64);
  }

  @Test
  void nameReportsVectorWidth() {
    requireSimd();
    assertTrue(simd.name().matches("simd-\\d+(\\+scalar-math)?(\\+scalar-gemm)?"), simd.name());
  }
}
