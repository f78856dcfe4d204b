package io.sparkfunc.engine.prim;

import static io.sparkfunc.engine.prim.Ref.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.prim.Ref.Layout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code dot_general}, {@code matmul} and {@code outer} against naive f64 loops: every
 * torch.matmul shape rule, general contracting/batch axes, empty extents, every memory layout of
 * the operands (transposed, strided, expanded, offset, off-heap), f32, f64 and mixed, and the
 * error messages.
 */
class LinearAlgebraTest {

  /**
   * Naive {@code dot_general} over row-major f64 data: output index = (batch, lhs free, rhs free),
   * summing over every contracting multi-index.
   */
  static double[] naiveDotGeneral(double[] l, int[] ls, double[] r, int[] rs, int[] lc, int[] rc,
      int[] lb, int[] rb) {
    int[] lf = LinearAlgebra.freeAxes(ls.length, lc, lb);
    int[] rf = LinearAlgebra.freeAxes(rs.length, rc, rb);
    int[] cShape = Arrays.stream(lc).map(a -> ls[a]).toArray();
    int[] outShape = concat(Arrays.stream(lb).map(a -> ls[a]).toArray(),
        concat(Arrays.stream(lf).map(a -> ls[a]).toArray(), Arrays.stream(rf).map(a -> rs[a]).toArray()));
    double[] out = new double[(int) Shape.numel(outShape)];
    int kn = (int) Shape.numel(cShape);
    for (int o = 0; o < out.length; o++) {
      int[] oi = Ref.unravel(o, outShape);
      int[] li = new int[ls.length];
      int[] ri = new int[rs.length];
      for (int i = 0; i < lb.length; i++) {
        li[lb[i]] = oi[i];
        ri[rb[i]] = oi[i];
      }
      for (int i = 0; i < lf.length; i++) {
        li[lf[i]] = oi[lb.length + i];
      }
      for (int i = 0; i < rf.length; i++) {
        ri[rf[i]] = oi[lb.length + lf.length + i];
      }
      double s = 0;
      for (int p = 0; p < kn; p++) {
        int[] pi = Ref.unravel(p, cShape);
        for (int i = 0; i < lc.length; i++) {
          li[lc[i]] = pi[i];
          ri[rc[i]] = pi[i];
        }
        s += l[Ref.ravel(li, ls)] * r[Ref.ravel(ri, rs)];
      }
      out[o] = s;
    }
    return out;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * torch.matmul by its written rules, independently of the implementation: 1-D operands become
   * [1,k] / [k,1], batch axes broadcast right-aligned (extent 1 reads index 0), the added axis is
   * dropped at the end.
   */
  static double[] naiveMatmul(double[] a, int[] as, double[] b, int[] bs, int[] outShape) {
    int[] a2 = as.length == 1 ? new int[] {1, as[0]} : as;
    int[] b2 = bs.length == 1 ? new int[] {bs[0], 1} : bs;
    int m = a2[a2.length - 2];
    int k = a2[a2.length - 1];
    int n = b2[b2.length - 1];
    int nb = Math.max(a2.length, b2.length) - 2;
    double[] out = new double[(int) Shape.numel(outShape)];
    int batches = out.length / Math.max(1, m * n);
    for (int q = 0; q < batches && m * n > 0; q++) {
      int[] bi = Ref.unravel(q, batchOf(a2, b2, nb));
      int ao = batchOffset(bi, a2) * m * k;
      int bo = batchOffset(bi, b2) * k * n;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += a[ao + i * k + p] * b[bo + p * n + j];
          }
          out[q * m * n + i * n + j] = s;
        }
      }
    }
    return out;
  }

  private static int[] batchOf(int[] a2, int[] b2, int nb) {
    int[] shape = new int[nb];
    for (int i = 0; i < nb; i++) {
      int da = extentFromRight(a2, nb - i + 2);
      int db = extentFromRight(b2, nb - i + 2);
      shape[i] = Math.max(da, db);
    }
    return shape;
  }

  private static int extentFromRight(int[] s, int fromRight) {
    return fromRight <= s.length ? s[s.length - fromRight] : 1;
  }

  /** Row-major index of the operand's own batch block for broadcast batch index {@code bi}. */
  private static int batchOffset(int[] bi, int[] s) {
    int own = s.length - 2;
    int off = 0;
    for (int i = 0; i < own; i++) {
      int idx = bi[bi.length - own + i];
      off = off * s[i] + (s[i] == 1 ? 0 : idx);
    }
    return off;
  }

  static double[] values(Tensor t) {
    return t.toDoubleArray();
  }

  /** Tolerance for a product of k-term sums of values in [-1, 1]. */
  static double tol(DType t, int k) {
    return (k + 2) * (t == DType.F32 ? 0x1p-23 : 0x1p-51);
  }

  static void assertMatmul(int[] as, int[] bs, int[] outShape, DType ta, DType tb, Layout la, Layout lb) {
    Tensor a = Ref.make(as, ta, la, false, 1);
    Tensor b = Ref.make(bs, tb, lb, false, 2);
    Tensor c = a.matmul(b);
    String what = a.type() + " @ " + b.type() + " (" + la + ", " + lb + ")";
    assertArrayEquals(outShape, c.shape(), what + ": shape");
    assertEquals(ta.promote(tb), c.dtype(), what + ": dtype");
    double[] want = naiveMatmul(values(a), as, values(b), bs, outShape);
    double[] got = values(c);
    double t = tol(c.dtype(), as[as.length - 1]);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], t, what + ": element " + i);
    }
  }

  /** {a shape, b shape, out shape} for every torch.matmul rule. */
  static final int[][][] MATMUL_CASES = {
    {{5}, {5}, {}},
    {{3, 5}, {5}, {3}},
    {{5}, {5, 4}, {4}},
    {{3, 5}, {5, 4}, {3, 4}},
    {{2, 3, 5}, {2, 5, 4}, {2, 3, 4}},
    {{2, 3, 5}, {5, 4}, {2, 3, 4}},
    {{3, 5}, {2, 5, 4}, {2, 3, 4}},
    {{5}, {2, 5, 4}, {2, 4}},
    {{2, 3, 5}, {5}, {2, 3}},
    {{2, 1, 3, 5}, {4, 5, 6}, {2, 4, 3, 6}},
    {{1, 3, 5}, {7, 5, 2}, {7, 3, 2}},
    {{0, 5}, {5, 4}, {0, 4}},
    {{3, 0}, {0, 4}, {3, 4}},
    {{2, 0, 5}, {5, 3}, {2, 0, 3}},
    {{2, 3, 0}, {2, 0, 4}, {2, 3, 4}},
    {{0}, {0}, {}},
    {{17, 65}, {65, 33}, {17, 33}},
    {{4, 9, 70}, {4, 70, 1}, {4, 9, 1}},
    {{1, 40}, {40, 70}, {1, 70}},
  };

  @ParameterizedTest
  @EnumSource(value = Layout.class)
  void matmulFollowsTorchRulesInEveryLayout(Layout layout) {
    for (int[][] c : MATMUL_CASES) {
      if (layout.applies(c[0]) && layout.applies(c[1]) && !(layout == Layout.EXPANDED && hasZero(c))) {
        assertMatmul(c[0], c[1], c[2], DType.F32, DType.F32, layout, Layout.CONTIGUOUS);
        assertMatmul(c[0], c[1], c[2], DType.F64, DType.F64, Layout.CONTIGUOUS, layout);
        assertMatmul(c[0], c[1], c[2], DType.F64, DType.F32, layout, layout);
      }
    }
  }

  private static boolean hasZero(int[][] c) {
    return Arrays.stream(c[0]).anyMatch(d -> d == 0) || Arrays.stream(c[1]).anyMatch(d -> d == 0);
  }

  @Test
  void matmulKnownValues() {
    Tensor a = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor b = Tensors.of(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
    assertArrayEquals(new float[] {58, 64, 139, 154}, a.matmul(b).toFloatArray());
    assertArrayEquals(new float[] {14, 32}, a.matmul(Tensors.of(new float[] {1, 2, 3})).toFloatArray());
    assertEquals(32.0, Tensors.of(new double[] {1, 2, 3}).matmul(Tensors.of(new double[] {4, 5, 6})).item());
    assertArrayEquals(new float[] {14, 32, 32, 77}, a.matmul(a.mT()).toFloatArray());
    Tensor zeros = Tensors.ones(DType.F32, 3, 0).matmul(Tensors.ones(DType.F32, 0, 2));
    assertArrayEquals(new float[6], zeros.toFloatArray());
  }

  @Test
  void nonContiguousInputsEqualContiguousCopies() {
    Tensor base = Ref.make(new int[] {6, 10}, DType.F64, Layout.CONTIGUOUS, false, 3);
    Tensor sliced = base.slice(0, 1, 6, 2).slice(1, 2, 9, 1);      // [3,7], offset, row stride 20
    Tensor w = Ref.make(new int[] {4, 7}, DType.F64, Layout.CONTIGUOUS, false, 4).mT();  // [7,4]
    double[] want = sliced.copy().matmul(w.copy()).toDoubleArray();
    double[] got = sliced.matmul(w).toDoubleArray();
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-14, "element " + i);
    }
    Tensor batched = Ref.make(new int[] {5, 3, 7}, DType.F32, Layout.TRANSPOSED, false, 5);
    float[] bw = batched.copy().matmul(w.to(DType.F32)).toFloatArray();
    float[] bg = batched.matmul(w.to(DType.F32)).toFloatArray();
    for (int i = 0; i < bw.length; i++) {
      assertEquals(bw[i], bg[i], 1e-5, "batched element " + i);
    }
  }

  /** {lhs shape, rhs shape, lhs contracting, rhs contracting, lhs batch, rhs batch}. */
  static final int[][][] DOT_GENERAL_CASES = {
    {{2, 3, 4, 5}, {5, 2, 4, 6}, {3, 2}, {0, 2}, {0}, {1}},
    {{3, 4}, {4, 5}, {1}, {0}, {}, {}},
    {{4, 3}, {5, 4}, {0}, {1}, {}, {}},
    {{3}, {4}, {}, {}, {}, {}},
    {{2, 3, 4}, {2, 3, 4}, {1, 2}, {1, 2}, {0}, {0}},
    {{2, 3, 4}, {4, 3, 2}, {}, {}, {0, 1}, {2, 1}},
    {{6, 2, 5}, {5, 7, 2}, {2}, {0}, {1}, {2}},
    {{3, 0, 2}, {2, 4}, {2}, {0}, {}, {}},
    {{3, 5, 2}, {5, 2, 4}, {1, 2}, {0, 1}, {}, {}},
    {{3, 5, 2}, {2, 5, 4}, {1, 2}, {1, 0}, {}, {}},
  };

  @ParameterizedTest
  @EnumSource(value = Layout.class)
  void dotGeneralMatchesNaiveLoops(Layout layout) {
    for (int[][] c : DOT_GENERAL_CASES) {
      for (DType t : new DType[] {DType.F32, DType.F64}) {
        Layout la = layout.applies(c[0]) && !(layout == Layout.EXPANDED && hasZero(c)) ? layout : Layout.CONTIGUOUS;
        Tensor l = Ref.make(c[0], t, la, false, 7);
        Tensor r = Ref.make(c[1], DType.F64, Layout.CONTIGUOUS, false, 8);
        Tensor out = LinearAlgebra.dotGeneral(l, r, c[2], c[3], c[4], c[5]);
        double[] want = naiveDotGeneral(values(l), c[0], values(r), c[1], c[2], c[3], c[4], c[5]);
        double[] got = values(out);
        String what = "dot_general " + l.type() + ", " + r.type() + " " + la + " " + Arrays.deepToString(c);
        assertEquals(DType.F64, out.dtype(), what);
        assertEquals(want.length, got.length, what);
        int k = Arrays.stream(c[2]).map(a -> c[0][a]).reduce(1, (x, y) -> x * y);
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], tol(t, k), what + ": element " + i);
        }
      }
    }
  }

  @Test
  void dotGeneralOutputOrderIsBatchThenLhsFreeThenRhsFree() {
    Tensor l = Tensors.zeros(DType.F32, 2, 3, 4, 5);
    Tensor r = Tensors.zeros(DType.F32, 5, 2, 4, 6);
    Tensor out = LinearAlgebra.dotGeneral(l, r, new int[] {-1, 2}, new int[] {0, 2}, new int[] {0}, new int[] {1});
    assertArrayEquals(new int[] {2, 3, 6}, out.shape());
  }

  @Test
  void outerProduct() {
    Tensor a = Tensors.of(new float[] {1, 2, 3});
    Tensor b = Tensors.of(new double[] {10, 20});
    Tensor o = a.outer(b);
    assertEquals(DType.F64, o.dtype());
    assertArrayEquals(new int[] {3, 2}, o.shape());
    assertArrayEquals(new double[] {10, 20, 20, 40, 30, 60}, o.toDoubleArray());
    Tensor big = Ref.make(new int[] {70}, DType.F32, Layout.STRIDED, false, 9);
    Tensor v = Ref.make(new int[] {45}, DType.F32, Layout.OFFSET, false, 10);
    float[] got = big.outer(v).toFloatArray();
    float[] x = big.toFloatArray();
    float[] y = v.toFloatArray();
    for (int i = 0; i < 70; i++) {
      for (int j = 0; j < 45; j++) {
        assertEquals(x[i] * y[j], got[i * 45 + j], 0f, "outer[" + i + "," + j + "]");
      }
    }
  }

  // ---- errors ----

  @Test
  void matmulErrorsNameTheOpTypesAndAFix() {
    Tensor a = Tensors.zeros(DType.F32, 3, 4);
    assertError(() -> a.matmul(Tensors.zeros(DType.F32, 5, 6)), "matmul", "f32[3,4]", "f32[5,6]", "4 vs 5");
    assertError(() -> a.matmul(Tensors.zeros(DType.F32, 5)), "matmul", "f32[3,4]", "f32[5]");
    assertError(() -> Tensors.zeros(DType.F32, 2, 3, 4).matmul(Tensors.zeros(DType.F32, 5, 4, 2)),
        "matmul", "batch", "f32[2,3,4]", "f32[5,4,2]");
    assertError(() -> a.matmul(Tensors.scalar(2, DType.F32)), "matmul", "rank", "f32[]");
    assertError(() -> a.matmul(Tensors.zeros(DType.I64, 4, 2)), "matmul", "floating", "i64[4,2]");
    assertError(() -> Tensors.zeros(DType.BOOL, 4).matmul(Tensors.zeros(DType.F64, 4)), "matmul", "bool[4]");
  }

  @Test
  void dotGeneralErrorsNameTheOpTypesAndAFix() {
    Tensor l = Tensors.zeros(DType.F32, 3, 4);
    Tensor r = Tensors.zeros(DType.F64, 5, 6);
    int[] none = {};
    assertError(() -> LinearAlgebra.dotGeneral(l, r, new int[] {1}, new int[] {0}, none, none),
        "dot_general", "f32[3,4]", "f64[5,6]", "(4)", "(5)");
    assertError(() -> LinearAlgebra.dotGeneral(l, r, new int[] {2}, new int[] {0}, none, none),
        "dot_general", "lhs axis 2", "f32[3,4]");
    assertError(() -> LinearAlgebra.dotGeneral(l, r, new int[] {1, 1}, new int[] {0, 1}, none, none),
        "dot_general", "distinct", "f32[3,4]");
    assertError(() -> LinearAlgebra.dotGeneral(l, r, new int[] {1}, none, none, none),
        "dot_general", "as many", "f32[3,4]", "f64[5,6]");
    assertError(() -> LinearAlgebra.dotGeneral(l, r, none, none, new int[] {0}, new int[] {0}),
        "dot_general", "batch", "(3)", "(5)");
    assertError(() -> LinearAlgebra.dotGeneral(Tensors.zeros(DType.I64, 3), l, none, none, none, none),
        "dot_general", "floating", "i64[3]", "to(DType.F32)");
    assertError(() -> Tensors.zeros(DType.F32, 2, 2).outer(Tensors.zeros(DType.F32, 2)),
        "outer", "1-D", "f32[2,2]");
  }
}
