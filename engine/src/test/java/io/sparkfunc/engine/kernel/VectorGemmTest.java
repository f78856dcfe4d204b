package io.sparkfunc.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD gemm against a naive f64 reference, for every path ({@code GemmPath}): empty and k=0,
 * outer product, matrix-vector both ways, and the packed kernel across block edges (m > MC=128,
 * k > KC=256, n > NC=2048), for operands stored row-major (N), column-major (T) or with no unit
 * stride (S), with offsets, a padded ldc, and accumulate on and off.
 *
 * <p>Tolerance per output: {@code (k + 2) * eps * (sum_p |A[i,p] B[p,j]| + |C0[i,j]|)}, eps =
 * 2^-24 (f32) or 2^-53 (f64): the forward-error bound of any summation order.
 */
@Tag("simd")
class VectorGemmTest {
  private static Kernels simd;

  @BeforeAll
  static void load() {
    simd = KernelProvider.simdOrNull();
  }

  /** How an operand of shape [rows, cols] lies in memory. */
  enum Layout {
    /** Row-major: X[i,j] at i*cols + j. */
    N,
    /** Column-major (a transposed view): X[i,j] at i + j*rows. */
    T,
    /** Neither stride is 1: X[i,j] at 2*i*(2*cols+1) + 2*j, as a strided slice of a bigger buffer. */
    S;

    int rowStride(int rows, int cols) {
      return this == N ? cols : this == T ? 1 : 2 * (2 * cols + 1);
    }

    int colStride(int rows, int cols) {
      return this == N ? 1 : this == T ? rows : 2;
    }

    int span(int rows, int cols) {
      return rows == 0 || cols == 0 ? 0
          : (rows - 1) * rowStride(rows, cols) + (cols - 1) * colStride(rows, cols) + 1;
    }
  }

  /** One case: extents, layouts of A and B, accumulate. */
  record Case(int m, int n, int k, Layout la, Layout lb, boolean acc) {
    @Override
    public String toString() {
      return m + "x" + n + "x" + k + " A:" + la + " B:" + lb + (acc ? " +=" : "");
    }
  }

  static final int[] SIZES = {0, 1, 3, 17, 64, 65, 127, 257};

  /** All layouts and accumulate modes for a spread of (m, n, k) from SIZES, plus block edges. */
  static Stream<Case> cases() {
    List<int[]> dims = new ArrayList<>();
    Random r = new Random(11);
    for (int m : SIZES) {
      for (int n : SIZES) {
        dims.add(new int[] {m, n, SIZES[r.nextInt(SIZES.length)]});
      }
    }
    for (int k : SIZES) {
      dims.add(new int[] {1, 1, k});
      dims.add(new int[] {3, 17, k});
    }
    dims.add(new int[] {129, 33, 513});
    dims.add(new int[] {9, 2100, 5});
    dims.add(new int[] {2, 40, 300});
    List<Case> out = new ArrayList<>();
    for (int[] d : dims) {
      if ((long) d[0] * d[1] * d[2] > 2_000_000 && r.nextInt(3) > 0) {
        continue;
      }
      for (Layout la : Layout.values()) {
        for (Layout lb : Layout.values()) {
          out.add(new Case(d[0], d[1], d[2], la, lb, (d[0] + d[1] + d[2] + la.ordinal() + lb.ordinal()) % 2 == 0));
        }
      }
    }
    return out.stream();
  }

  /**
   * Skinny products (NOTE [Skinny GEMM]): every n (then m) from 1 to 17, around the vector
   * width and the MR x NR tile, against a tall (m = 9, 130) or wide (n = 40) other extent, k
   * from short to past one KC block, in every layout.
   */
  static Stream<Case> skinny() {
    List<int[]> dims = new ArrayList<>();
    for (int s = 1; s <= 17; s++) {
      for (int k : new int[] {5, 64, 300}) {
        dims.add(new int[] {130, s, k});
        dims.add(new int[] {9, s, k});
      }
      dims.add(new int[] {s, 40, 300});
    }
    List<Case> out = new ArrayList<>();
    for (int[] d : dims) {
      for (Layout la : Layout.values()) {
        for (Layout lb : Layout.values()) {
          out.add(new Case(d[0], d[1], d[2], la, lb, (d[0] + d[1] + la.ordinal() + 2 * lb.ordinal()) % 3 == 0));
        }
      }
    }
    return out.stream();
  }

  private static final int AO = 3;
  private static final int BO = 5;
  private static final int CO = 7;

  static double[] random(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble() * 2 - 1;
    }
    return v;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void gemmMatchesReference(Case c) {
    assumeTrue(simd != null, "jdk.incubator.vector not available");
    run(c, true);
    run(c, false);
  }

  @ParameterizedTest
  @MethodSource("skinny")
  void skinnyGemmMatchesReference(Case c) {
    assumeTrue(simd != null, "jdk.incubator.vector not available");
    run(c, true);
    run(c, false);
  }

  /** Runs one case in f32 or f64 and checks C inside and outside the m x n window. */
  private static void run(Case c, boolean f32) {
    int aRow = c.la.rowStride(c.m, c.k);
    int aCol = c.la.colStride(c.m, c.k);
    int bRow = c.lb.rowStride(c.k, c.n);
    int bCol = c.lb.colStride(c.k, c.n);
    int ldc = c.n + 2;
    double[] a = random(AO + c.la.span(c.m, c.k), c.m * 31L + c.k);
    double[] b = random(BO + c.lb.span(c.k, c.n), c.n * 17L + c.k);
    double[] c0 = random(CO + c.m * ldc, c.m + c.n);
    if (f32) {
      a = widen(VectorKernelsTest.f32(a));
      b = widen(VectorKernelsTest.f32(b));
      c0 = widen(VectorKernelsTest.f32(c0));
    }
    double[] got;
    if (f32) {
      float[] cf = VectorKernelsTest.f32(c0);
      simd.gemm(c.m, c.n, c.k, VectorKernelsTest.f32(a), AO, aRow, aCol, VectorKernelsTest.f32(b), BO, bRow, bCol, cf, CO, ldc, c.acc);
      got = widen(cf);
    } else {
      got = c0.clone();
      simd.gemm(c.m, c.n, c.k, a, AO, aRow, aCol, b, BO, bRow, bCol, got, CO, ldc, c.acc);
    }
    double eps = f32 ? 0x1p-24 : 0x1p-53;
    for (int i = 0; i < c.m; i++) {
      for (int j = 0; j < c.n; j++) {
        double s = 0;
        double mag = 0;
        for (int p = 0; p < c.k; p++) {
          double t = a[AO + i * aRow + p * aCol] * b[BO + p * bRow + j * bCol];
          s += t;
          mag += Math.abs(t);
        }
        double before = c0[CO + i * ldc + j];
        double want = c.acc ? before + s : s;
        double tol = (c.k + 2) * eps * (mag + (c.acc ? Math.abs(before) : 0));
        double g = got[CO + i * ldc + j];
        if (!(Math.abs(g - want) <= tol)) {
          fail(c + (f32 ? " f32" : " f64") + " C[" + i + "," + j + "]: want " + want + ", got " + g);
        }
      }
    }
    assertOutsideUntouched(c, c0, got, ldc);
  }

  /** The offset prefix and the ldc padding columns must keep their values. */
  private static void assertOutsideUntouched(Case c, double[] before, double[] after, int ldc) {
    for (int i = 0; i < CO; i++) {
      assertEquals(before[i], after[i], c + " wrote before the C offset");
    }
    for (int i = 0; i < c.m; i++) {
      for (int j = c.n; j < ldc && CO + i * ldc + j < before.length; j++) {
        assertEquals(before[CO + i * ldc + j], after[CO + i * ldc + j], c + " wrote ldc padding");
      }
    }
  }

  static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void zeroDepthClearsOrKeepsC() {
    assumeTrue(simd != null);
    float[] c = {1, 2, 3, 4, 5, 6};
    simd.gemm(2, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 2, 1, c, 1, 3, true);
    assertEquals(2f, c[1]);
    simd.gemm(2, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 2, 1, c, 1, 3, false);
    assertEquals(0f, c[1]);
    assertEquals(0f, c[5]);
    assertEquals(4f, c[3]);
    assertEquals(1f, c[0]);
  }

  @Test
  void compiledPackedKernelMatchesScalar() {
    assumeTrue(simd != null);
    int m = 67;
    int n = 45;
    int k = 300;
    double[] a = random(m * k, 1);
    double[] b = random(k * n, 2);
    double[] c = new double[m * n];
    double[] want = new double[m * n];
    for (int w = 0; w < 200; w++) {
      simd.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
    }
    ScalarKernels.INSTANCE.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, want, 0, n, false);
    for (int i = 0; i < m * n; i++) {
      assertEquals(want[i], c[i], 1e-12, "C[" + i + "]");
    }
  }
}
