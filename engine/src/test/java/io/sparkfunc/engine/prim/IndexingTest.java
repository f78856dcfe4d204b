package io.sparkfunc.engine.prim;

import static io.sparkfunc.engine.prim.Ref.assertClose;
import static io.sparkfunc.engine.prim.Ref.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.prim.Ref.Layout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IndexingTest {
  private static final DType[] DTYPES = {DType.F32, DType.F64, DType.I64};

  /** Random indices in [0, bound) for {@code shape}, stored transposed when asked (rank >= 2). */
  private static Tensor index(int[] shape, int bound, boolean transposed, Random r) {
    long[] v = new long[(int) Shape.numel(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(bound);
    }
    Tensor t = Tensors.of(v, shape);
    if (!transposed || shape.length < 2) {
      return t;
    }
    int[] rev = new int[shape.length];
    for (int i = 0; i < rev.length; i++) {
      rev[i] = rev.length - 1 - i;
    }
    return t.permute(rev).copy().permute(rev);
  }

  /** {@code shape} with {@code axis} set to {@code k} and, if {@code shrink}, other extents reduced by one where possible. */
  private static int[] indexShape(int[] shape, int axis, int k, boolean shrink) {
    int[] s = shape.clone();
    for (int d = 0; d < s.length; d++) {
      s[d] = d == axis ? k : shrink ? Math.max(s[d] - 1, Math.min(s[d], 1)) : s[d];
    }
    return s;
  }

  private static int[] withAxis(int[] idx, int axis, int value) {
    int[] out = idx.clone();
    out[axis] = value;
    return out;
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void gatherMatchesScalarLoops(Layout layout) {
    Random r = new Random(11);
    Ref.forEachInput(layout, DTYPES, dtype -> dtype == DType.I64, 300, (dtype, shape, x, v) -> {
      for (int axis = 0; axis < shape.length; axis++) {
        for (int k : new int[] {0, 1, 5}) {
          int[] is = indexShape(shape, axis, k, (k + axis) % 2 == 1);
          if (shape[axis] == 0 && Shape.numel(is) > 0) {
            continue;
          }
          Tensor idx = index(is, Math.max(shape[axis], 1), k == 5, r);
          String what = dtype + Shape.str(shape) + " " + layout + " axis=" + axis + " index " + idx.type();
          Tensor g = x.gather(axis - (k == 1 ? shape.length : 0), idx);
          assertEquals(dtype, g.dtype(), what);
          assertArrayEquals(is, g.shape(), what);
          long[] iv = idx.toLongArray();
          double[] want = new double[iv.length];
          for (int i = 0; i < iv.length; i++) {
            int[] at = withAxis(Ref.unravel(i, is), axis, (int) iv[i]);
            want[i] = v[Ref.ravel(at, shape)];
          }
          assertArrayEquals(want, g.toDoubleArray(), what);
        }
      }
    });
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void indexSelectMatchesScalarLoops(Layout layout) {
    Random r = new Random(12);
    Ref.forEachInput(layout, DTYPES, dtype -> dtype == DType.I64, 400, (dtype, shape, x, v) -> {
      for (int axis = 0; axis < shape.length; axis++) {
        for (int k : new int[] {0, 1, 7}) {
          if (shape[axis] == 0 && k > 0) {
            continue;
          }
          // every other element of a longer index: a strided index
          Tensor idx = index(new int[] {2 * k}, Math.max(shape[axis], 1), false, r).slice(0, 0, 2 * k, 2);
          String what = dtype + Shape.str(shape) + " " + layout + " axis=" + axis + " k=" + k;
          Tensor s = x.indexSelect(axis, idx);
          int[] outShape = shape.clone();
          outShape[axis] = k;
          assertArrayEquals(outShape, s.shape(), what);
          long[] iv = idx.toLongArray();
          double[] want = new double[(int) Shape.numel(outShape)];
          for (int i = 0; i < want.length; i++) {
            int[] at = Ref.unravel(i, outShape);
            want[i] = v[Ref.ravel(withAxis(at, axis, (int) iv[at[axis]]), shape)];
          }
          assertArrayEquals(want, s.toDoubleArray(), what);
        }
      }
    });
  }

  @Test
  void indexSelectTakesA0dIndexAsOneElement() {
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor s = x.indexSelect(-1, Tensors.scalar(2, DType.I64));
    assertArrayEquals(new int[] {2, 1}, s.shape());
    assertArrayEquals(new float[] {3, 6}, s.toFloatArray());
    assertArrayEquals(
        new float[] {4, 5, 6, 4, 5, 6, 1, 2, 3}, x.indexSelect(0, Tensors.of(new long[] {1, 1, 0})).toFloatArray());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void scatterAddMatchesScalarLoopsAndAccumulatesDuplicates(Layout layout) {
    Random r = new Random(13);
    Ref.forEachInput(layout, DTYPES, dtype -> dtype == DType.I64, 500, (dtype, shape, x, xv) -> {
      for (int axis = 0; axis < shape.length; axis++) {
        for (int k : new int[] {0, 1, 9}) {
          int[] is = indexShape(shape, axis, k, k == 9);
          if (shape[axis] == 0 && Shape.numel(is) > 0) {
            continue;
          }
          Tensor idx = index(is, Math.max(shape[axis], 1), k == 9, r);
          // src is larger than index on the last axis: only the leading part is used
          int[] ss = is.clone();
          ss[ss.length - 1] += 1;
          Tensor src = Ref.make(ss, dtype, layout, dtype == DType.I64, r.nextLong());
          String what = dtype + Shape.str(shape) + " " + layout + " axis=" + axis + " index " + idx.type();
          Tensor out = x.scatterAdd(axis, idx, src);
          assertEquals(x.type(), out.type(), what);
          double[] want = scatterReference(xv, shape, axis, idx.toLongArray(), is, src.toDoubleArray(), ss);
          double[] tol = new double[want.length];
          Arrays.fill(tol, dtype == DType.F32 ? 1e-5 : dtype == DType.F64 ? 1e-12 : 0);
          assertClose(want, out.toDoubleArray(), tol, what);
          assertArrayEquals(xv, x.toDoubleArray(), "x unchanged: " + what);
        }
      }
    });
  }

  private static double[] scatterReference(
      double[] x, int[] shape, int axis, long[] index, int[] is, double[] src, int[] ss) {
    double[] out = x.clone();
    for (int i = 0; i < index.length; i++) {
      int[] at = Ref.unravel(i, is);
      out[Ref.ravel(withAxis(at, axis, (int) index[i]), shape)] += src[Ref.ravel(at, ss)];
    }
    return out;
  }

  @Test
  void scatterAddIsTheTransposeOfGather() {
    Tensor x = Tensors.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor idx = Tensors.of(new long[] {2, 2, 0, 1}, 2, 2);
    Tensor src = Tensors.of(new double[] {10, 20, 30, 40}, 2, 2);
    assertArrayEquals(new double[] {3, 3, 4, 5}, x.gather(1, idx).toDoubleArray());
    assertArrayEquals(
        new double[] {1, 2, 33, 34, 45, 6}, x.scatterAdd(1, idx, src).toDoubleArray());
  }

  // ---- errors ----

  @Test
  void outOfRangeIndicesNameTheValueItsPositionAndTheRange() {
    Tensor x = Tensors.zeros(DType.F32, 3, 4);
    Tensor bad = Tensors.of(new long[] {0, 1, 4, 2, 0, 1}, 3, 2);
    assertError(() -> x.gather(1, bad), "gather", "f32[3,4]", "index[1, 0] = 4", "[0, 4)");
    Tensor neg = Tensors.of(new long[] {0, -1, 0, 0, 0, 0}, 3, 2);
    assertError(() -> x.gather(1, neg), "gather", "index[0, 1] = -1", "negative");
    assertError(() -> x.indexSelect(0, Tensors.of(new long[] {0, 2, 3})), "index_select", "f32[3,4]", "index[2] = 3", "[0, 3)");
    assertError(() -> x.indexSelect(1, Tensors.of(new long[] {-1})), "index_select", "index[0] = -1");
    Tensor src = Tensors.ones(DType.F32, 3, 2);
    assertError(() -> x.scatterAdd(-1, bad, src), "scatter_add", "f32[3,4]", "index[1, 0] = 4", "[0, 4)");
  }

  @Test
  void badTypesAreRejectedWithShortTypes() {
    Tensor x = Tensors.zeros(DType.F32, 3, 4);
    Tensor fidx = Tensors.zeros(DType.F32, 3, 4);
    assertError(() -> x.gather(0, fidx), "gather", "index: f32[3,4]", "i64");
    assertError(() -> x.gather(0, Tensors.zeros(DType.I64, 3)), "gather", "index: i64[3]", "f32[3,4]");
    assertError(() -> x.gather(0, Tensors.zeros(DType.I64, 2, 5)), "gather", "i64[2,5]", "f32[3,4]", "axis 1");
    assertError(() -> x.gather(2, Tensors.zeros(DType.I64, 3, 4)), "gather", "f32[3,4]");
    assertError(() -> x.indexSelect(0, Tensors.zeros(DType.I64, 2, 2)), "index_select", "i64[2,2]", "f32[3,4]");
    Tensor idx = Tensors.zeros(DType.I64, 3, 2);
    assertError(() -> x.scatterAdd(1, idx, Tensors.zeros(DType.F64, 3, 2)), "scatter_add", "f32[3,4]", "f64[3,2]");
    assertError(() -> x.scatterAdd(1, idx, Tensors.zeros(DType.F32, 3, 1)), "scatter_add", "i64[3,2]", "src: f32[3,1]");
    Tensor m = Tensors.zeros(DType.BOOL, 3, 4);
    assertError(() -> m.scatterAdd(1, idx, Tensors.zeros(DType.BOOL, 3, 2)), "scatter_add", "bool[3,4]");
    Tensor s = Tensors.scalar(1, DType.F32);
    assertError(() -> s.gather(0, Tensors.scalar(0, DType.I64)), "gather", "f32[]");
    assertError(
        () -> Bind.bind(Indexing.GATHER, new Reductions.Axis(-1), x, idx), "gather", "f32[3,4]", "axis=-1");
  }
}
