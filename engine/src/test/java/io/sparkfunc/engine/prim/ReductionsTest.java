package io.sparkfunc.engine.prim;

import static io.sparkfunc.engine.prim.Ref.assertClose;
import static io.sparkfunc.engine.prim.Ref.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.prim.Ref.Layout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReductionsTest {
  private static final DType[] DTYPES = {DType.F32, DType.F64, DType.I64};

  /** Reference results of one reduction: per output element sum, max, min and sum of |x|. */
  private record Expected(int[] shape, double[] sum, double[] max, double[] min, double[] sumAbs) {}

  private static Expected reference(double[] v, int[] shape, int[] axes) {
    boolean[] red = new boolean[shape.length];
    for (int a : axes) {
      red[a] = true;
    }
    int[] outShape = Arrays.stream(Structural.identity(shape.length)).filter(a -> !red[a]).map(a -> shape[a]).toArray();
    int n = (int) Shape.numel(outShape);
    Expected e = new Expected(outShape, new double[n], new double[n], new double[n], new double[n]);
    Arrays.fill(e.max, Double.NEGATIVE_INFINITY);
    Arrays.fill(e.min, Double.POSITIVE_INFINITY);
    for (int i = 0; i < v.length; i++) {
      int[] idx = Ref.unravel(i, shape);
      int[] kept = Arrays.stream(Structural.identity(shape.length)).filter(a -> !red[a]).map(a -> idx[a]).toArray();
      int o = Ref.ravel(kept, outShape);
      e.sum[o] += v[i];
      e.sumAbs[o] += Math.abs(v[i]);
      e.max[o] = Double.isNaN(v[i]) || Double.isNaN(e.max[o]) ? Double.NaN : Math.max(e.max[o], v[i]);
      e.min[o] = Double.isNaN(v[i]) || Double.isNaN(e.min[o]) ? Double.NaN : Math.min(e.min[o], v[i]);
    }
    return e;
  }

  private static double[] sumTolerance(DType t, double[] sumAbs) {
    double rel = t == DType.F32 ? 4e-6 : t == DType.F64 ? 1e-13 : 0;
    return Arrays.stream(sumAbs).map(s -> rel * s).toArray();
  }

  private static int[] keptShape(int[] shape, int[] axes) {
    int[] out = shape.clone();
    for (int a : axes) {
      out[a] = 1;
    }
    return out;
  }

  private static boolean anyEmpty(int[] shape, int[] axes) {
    return Arrays.stream(axes).anyMatch(a -> shape[a] == 0);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void sumMaxMinMatchScalarLoopsForEveryAxisSetAndKeepdim(Layout layout) {
    Ref.forEachInput(layout, DTYPES, dtype -> dtype == DType.I64, 1, (dtype, shape, x, v) -> {
      for (int[] axes : Ref.axisSubsets(shape.length)) {
        // no axes means all axes
        int[] reduced = axes.length == 0 ? Structural.identity(shape.length) : axes;
        Expected e = reference(v, shape, reduced);
        for (boolean keepdim : new boolean[] {false, true}) {
          String what = dtype + Shape.str(shape) + " " + layout + " axes=" + Arrays.toString(axes) + " keepdim=" + keepdim;
          int[] wantShape = keepdim ? keptShape(shape, reduced) : e.shape;
          Tensor s = x.sum(keepdim, axes);
          assertEquals(dtype, s.dtype(), what);
          assertArrayEquals(wantShape, s.shape(), what);
          assertClose(e.sum, s.toDoubleArray(), sumTolerance(dtype, e.sumAbs), "sum " + what);
          if (anyEmpty(shape, reduced)) {
            continue;
          }
          double[] exact = new double[e.sum.length];
          Tensor mx = x.max(keepdim, axes);
          assertArrayEquals(wantShape, mx.shape(), what);
          assertClose(e.max, mx.toDoubleArray(), exact, "max " + what);
          assertClose(e.min, x.min(keepdim, axes).toDoubleArray(), exact, "min " + what);
        }
      }
    });
  }

  @Test
  void negativeAxesCountFromTheEnd() {
    Tensor x = Ref.make(new int[] {3, 4, 5}, DType.F64, Layout.CONTIGUOUS, false, 7);
    assertArrayEquals(x.sum(false, 0, 2).toDoubleArray(), x.sum(false, -1, -3).toDoubleArray());
    assertArrayEquals(x.max(true, 1).toDoubleArray(), x.max(true, -2).toDoubleArray());
    assertArrayEquals(new int[] {3, 4, 1}, x.min(true, -1).shape());
  }

  @Test
  void wholeTensorReductionsGiveScalars() {
    Tensor x = Tensors.of(new float[] {3, -1, 4, 1, -5, 9}, 2, 3);
    assertArrayEquals(new int[0], x.sum().shape());
    assertEquals(11, x.sum().item());
    assertEquals(9, x.max().item());
    assertEquals(-5, x.min().item());
    assertArrayEquals(new int[] {1, 1}, x.sum(true).shape());
    Tensor s = Tensors.scalar(2.5, DType.F64);
    assertEquals(2.5, s.sum().item());
    assertEquals(2.5, s.sum(false, 0).item());
    assertEquals(2.5, s.max(true, -1).item());
    assertArrayEquals(new int[0], s.sum(true, 0).shape());
  }

  @Test
  void emptySumIsZeroAndKeepsTheOtherAxes() {
    assertEquals(0, Tensors.zeros(DType.F32, 0).sum().item());
    Tensor z = Tensors.ones(DType.F64, 2, 0, 3).sum(false, 1);
    assertArrayEquals(new int[] {2, 3}, z.shape());
    assertArrayEquals(new double[6], z.toDoubleArray());
    Tensor e = Tensors.ones(DType.F32, 0, 3).max(false, 1);
    assertArrayEquals(new int[] {0}, e.shape());
  }

  @Test
  void boolSumCountsAsI64AndBoolMaxIsAny() {
    Tensor m = Tensors.of(new boolean[] {true, false, true, true, false, false}, 2, 3);
    Tensor c = m.sum(false, 1);
    assertEquals(DType.I64, c.dtype());
    assertArrayEquals(new long[] {2, 1}, c.toLongArray());
    assertEquals(DType.I64, m.sum().dtype());
    assertEquals(3, m.sum().item());
    Tensor any = m.max(false, 0);
    assertEquals(DType.BOOL, any.dtype());
    assertArrayEquals(new boolean[] {true, false, true}, any.toBooleanArray());
    assertArrayEquals(new boolean[] {true, false, false}, m.min(false, 0).toBooleanArray());
  }

  @Test
  void i64SumIsExactBeyondDoublePrecision() {
    long big = (1L << 60) + 1;
    Tensor x = Tensors.of(new long[] {big, 1, big, 1}, 2, 2);
    assertArrayEquals(new long[] {big + 1, big + 1}, x.sum(false, 1).toLongArray());
    assertArrayEquals(new long[] {2 * big, 2}, x.sum(false, 0).toLongArray());
    assertEquals(big, x.max().toLongArray()[0]);
  }

  @Test
  void maxAndMinPropagateNaN() {
    Tensor x = Tensors.of(new float[] {1, Float.NaN, 3, 4, 5, 6}, 2, 3);
    assertTrue(Double.isNaN(x.max().item()));
    assertTrue(Double.isNaN(x.min().item()));
    float[] colMax = x.max(false, 0).toFloatArray();
    assertArrayEquals(new float[] {4, Float.NaN, 6}, colMax);
    assertArrayEquals(new float[] {Float.NaN, 4}, x.min(false, 1).toFloatArray());
  }

  /** Rows of up to {@link ReduceDriver#SHORT_RUN} take the plain loops (sums of 1-4 their own), longer ones the kernels. */
  @Test
  void shortRowsAgreeWithTheKernelPathIncludingNaNAndSignedZeros() {
    double[] pool = {1.5, -2.25, 0.0, -0.0, Double.NaN, 3, -7, 0.125};
    for (int r : new int[] {1, 2, 3, 4, 5, 16, 17}) {
      double[] v = new double[500 * r];
      for (int i = 0; i < v.length; i++) {
        v[i] = pool[(i * 7 + i / 3) % pool.length];
      }
      Tensor x = Tensors.of(v, 500, r);
      double[] sum = x.sum(false, 1).toDoubleArray();
      double[] max = x.max(false, 1).toDoubleArray();
      double[] min = x.min(false, 1).toDoubleArray();
      for (int i = 0; i < 500; i++) {
        double s = v[i * r];
        double hi = s;
        double lo = s;
        for (int j = 1; j < r; j++) {
          s += v[i * r + j];
          hi = Math.max(hi, v[i * r + j]);
          lo = Math.min(lo, v[i * r + j]);
        }
        assertEquals(s, sum[i], 1e-12, "sum of row " + i + ", r=" + r);
        assertEquals(hi, max[i], "max of row " + i + ", r=" + r);
        assertEquals(lo, min[i], "min of row " + i + ", r=" + r);
      }
      float[] f32 = x.to(DType.F32).sum(false, 1).toFloatArray();
      for (int i = 0; i < 500; i++) {
        assertEquals((float) sum[i], f32[i], 1e-5, "f32 sum of row " + i + ", r=" + r);
      }
    }
  }

  @Test
  void longF32SumsStayAccurate() {
    int n = 1_000_000;
    float[] a = new float[n];
    Arrays.fill(a, 0.1f);
    double want = n * (double) 0.1f;
    double run = Tensors.of(a).sum().item();
    assertEquals(want, run, want * 1e-6, "one long run");
    Tensor rows = Tensors.of(a, n / 2, 2).sum(false, 0);
    for (float r : rows.toFloatArray()) {
      assertEquals(want / 2, r, want * 1e-6, "rows combined along axis 0");
    }
    Tensor cols = Tensors.of(a, 2, n / 2).transpose(0, 1).sum(false, 0);
    assertEquals(want / 2, cols.toFloatArray()[0], want * 1e-6, "transposed view");
  }

  // ---- argmax / argmin ----

  @ParameterizedTest
  @EnumSource(Layout.class)
  void argmaxArgminMatchScalarLoopsFirstOnTies(Layout layout) {
    Ref.forEachInput(layout, DTYPES, dtype -> true, 100, (dtype, shape, x, v) -> {
      for (int axis = 0; axis < shape.length; axis++) {
        String what = dtype + Shape.str(shape) + " " + layout + " axis=" + axis;
        if (shape[axis] == 0) {
          int a = axis;
          assertError(() -> x.argmax(a, false), "argmax", x.type().toString());
          continue;
        }
        long[][] want = argReference(v, shape, axis);
        for (boolean keepdim : new boolean[] {false, true}) {
          Tensor am = x.argmax(axis - (keepdim ? shape.length : 0), keepdim);
          assertEquals(DType.I64, am.dtype(), what);
          int[] wantShape = keepdim ? keptShape(shape, new int[] {axis}) : dropAxis(shape, axis);
          assertArrayEquals(wantShape, am.shape(), what);
          assertArrayEquals(want[0], am.toLongArray(), "argmax " + what);
          assertArrayEquals(want[1], x.argmin(axis, keepdim).toLongArray(), "argmin " + what);
        }
      }
    });
  }

  private static int[] dropAxis(int[] shape, int axis) {
    return Arrays.stream(Structural.identity(shape.length)).filter(a -> a != axis).map(a -> shape[a]).toArray();
  }

  /** First index of the max and of the min along axis (NaN wins), per output element. */
  private static long[][] argReference(double[] v, int[] shape, int axis) {
    int[] outShape = dropAxis(shape, axis);
    int n = (int) Shape.numel(outShape);
    long[][] best = new long[2][n];
    double[][] val = new double[2][n];
    boolean[] seen = new boolean[n];
    for (int i = 0; i < v.length; i++) {
      int[] idx = Ref.unravel(i, shape);
      int o = Ref.ravel(Arrays.stream(Structural.identity(shape.length)).filter(a -> a != axis).map(a -> idx[a]).toArray(), outShape);
      for (int k = 0; k < 2; k++) {
        double b = val[k][o];
        boolean better = !seen[o] || (!Double.isNaN(b) && (Double.isNaN(v[i]) || (k == 0 ? v[i] > b : v[i] < b)));
        if (better) {
          val[k][o] = v[i];
          best[k][o] = idx[axis];
        }
      }
      seen[o] = true;
    }
    return best;
  }

  @Test
  void argmaxTakesTheFirstNaNAndFlattensWithoutAxis() {
    Tensor x = Tensors.of(new double[] {1, Double.NaN, 7, Double.NaN, 0, 2}, 2, 3);
    assertArrayEquals(new long[] {1, 0}, x.argmax(1, false).toLongArray());
    assertArrayEquals(new long[] {1, 0}, x.argmin(1, false).toLongArray());
    assertArrayEquals(new long[] {1, 0, 0}, x.argmax(0, false).toLongArray());
    assertEquals(1, x.argmax().item());
    assertArrayEquals(new int[0], x.argmax().shape());
    Tensor y = Tensors.of(new float[] {3, 9, 9, -2, 9, -2}, 2, 3);
    assertEquals(1, y.argmax().item());
    assertEquals(3, y.argmin().item());
    Tensor s = Tensors.scalar(4, DType.F32);
    assertEquals(0, s.argmax(0, true).item());
    assertArrayEquals(new int[0], s.argmin(-1, false).shape());
  }

  // ---- cumsum ----

  @ParameterizedTest
  @EnumSource(Layout.class)
  void cumsumMatchesRunningSumsAlongEveryAxis(Layout layout) {
    Ref.forEachInput(layout, DTYPES, dtype -> dtype == DType.I64, 200, (dtype, shape, x, v) -> {
      for (int axis = 0; axis < shape.length; axis++) {
        String what = dtype + Shape.str(shape) + " " + layout + " axis=" + axis;
        Tensor c = x.cumsum(axis - (axis % 2) * shape.length);
        assertEquals(dtype, c.dtype(), what);
        assertArrayEquals(shape, c.shape(), what);
        double[] want = cumsumReference(v, shape, axis);
        if (dtype == DType.F32) {
          // f64 accumulation rounded once per output, as PyTorch's CPU cumsum
          for (int i = 0; i < want.length; i++) {
            want[i] = (float) want[i];
          }
        }
        assertArrayEquals(want, c.toDoubleArray(), what);
      }
    });
  }

  private static double[] cumsumReference(double[] v, int[] shape, int axis) {
    double[] out = new double[v.length];
    int stride = Shape.contiguousStrides(shape)[axis];
    for (int i = 0; i < v.length; i++) {
      int pos = Ref.unravel(i, shape)[axis];
      out[i] = pos == 0 ? v[i] : out[i - stride] + v[i];
    }
    return out;
  }

  @Test
  void cumsumOfBoolCountsAndOfScalarIsItself() {
    Tensor m = Tensors.of(new boolean[] {true, false, true, true});
    Tensor c = m.cumsum(0);
    assertEquals(DType.I64, c.dtype());
    assertArrayEquals(new long[] {1, 1, 2, 3}, c.toLongArray());
    Tensor s = Tensors.scalar(2, DType.F64).cumsum(-1);
    assertArrayEquals(new int[0], s.shape());
    assertEquals(2, s.item());
  }

  // ---- errors ----

  @Test
  void errorsNameTheOpTheTypeAndAFix() {
    Tensor x = Tensors.zeros(DType.F32, 3, 4);
    assertError(() -> x.sum(false, 2), "sum", "f32[3,4]", "dim=2");
    assertError(() -> x.max(true, -3), "max", "f32[3,4]");
    assertError(() -> x.sum(false, 1, -1), "sum", "f32[3,4]", "appears more than once");
    assertError(() -> x.min(false, 0, 0), "min", "f32[3,4]");
    assertError(() -> x.argmax(2, false), "argmax", "f32[3,4]");
    assertError(() -> x.argmin(-3, true), "argmin", "f32[3,4]");
    assertError(() -> x.cumsum(5), "cumsum", "f32[3,4]");
    assertError(
        () -> Bind.bind(Reductions.REDUCE_SUM, new Reductions.Axes(new int[] {1, 0}), x), "sum", "f32[3,4]", "axes=[1, 0]");
    assertError(() -> Bind.bind(Reductions.CUMSUM, new Reductions.Axis(-1), x), "cumsum", "f32[3,4]");
  }

  @Test
  void maxMinArgOfAnEmptyAxisAreErrors() {
    Tensor e = Tensors.zeros(DType.F32, 0);
    assertError(e::max, "max", "f32[0]", "no identity");
    assertError(e::min, "min", "f32[0]");
    assertError(e::argmax, "argmax", "f32[0]");
    Tensor e2 = Tensors.zeros(DType.F64, 3, 0);
    assertError(() -> e2.max(false, 1), "max", "f64[3,0]", "axis 1");
    assertError(() -> e2.argmin(1, true), "argmin", "f64[3,0]");
    assertArrayEquals(new int[] {0}, e2.argmax(0, false).shape());
  }
}
