package io.sparkfunc.engine.prim;

import static io.sparkfunc.engine.prim.Ref.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.prim.Ref.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CombineTest {
  private static final DType[] DTYPES = {DType.F32, DType.F64, DType.I64, DType.BOOL};

  /** Padding amounts (PyTorch order: last axis first) to try on {@code shape}: grow, crop, mixed, partial. */
  private static List<int[]> paddings(int[] shape) {
    int r = shape.length;
    List<int[]> out = new ArrayList<>();
    int[] grow = new int[2 * r];
    int[] crop = new int[2 * r];
    int[] mixed = new int[2 * r];
    for (int i = 0; i < r; i++) {
      int n = shape[r - 1 - i];
      grow[2 * i] = 1 + i;
      grow[2 * i + 1] = 2;
      crop[2 * i] = -Math.min(1, n);
      crop[2 * i + 1] = -(n - Math.min(1, n)) / 2;
      mixed[2 * i] = i % 2 == 0 ? -Math.min(1, n) : 3;
      mixed[2 * i + 1] = i % 2 == 0 ? 2 : -n;
    }
    out.add(grow);
    out.add(crop);
    out.add(mixed);
    out.add(new int[] {0, 1});
    out.add(new int[0]);
    return out;
  }

  private static double cast(double value, DType t) {
    return t == DType.I64 ? (long) value : t == DType.BOOL ? (value != 0 ? 1 : 0) : t == DType.F32 ? (float) value : value;
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void padMatchesScalarLoopsIncludingNegativeCrops(Layout layout) {
    Ref.forEachInput(layout, DTYPES, dtype -> dtype != DType.F32, 600, (dtype, shape, x, v) -> {
      for (int[] padding : paddings(shape)) {
        for (double value : new double[] {0, 7.5}) {
          String what = dtype + Shape.str(shape) + " " + layout + " padding=" + Arrays.toString(padding) + " value=" + value;
          Tensor p = x.pad(padding, value);
          int r = shape.length;
          int[] low = new int[r];
          int[] outShape = shape.clone();
          for (int i = 0; i < padding.length / 2; i++) {
            low[r - 1 - i] = padding[2 * i];
            outShape[r - 1 - i] += padding[2 * i] + padding[2 * i + 1];
          }
          assertEquals(dtype, p.dtype(), what);
          assertArrayEquals(outShape, p.shape(), what);
          double[] want = new double[(int) Shape.numel(outShape)];
          for (int i = 0; i < want.length; i++) {
            int[] at = Ref.unravel(i, outShape);
            boolean inside = true;
            for (int d = 0; d < r; d++) {
              at[d] -= low[d];
              inside &= at[d] >= 0 && at[d] < shape[d];
            }
            want[i] = inside ? v[Ref.ravel(at, shape)] : cast(value, dtype);
          }
          assertArrayEquals(want, p.toDoubleArray(), what);
        }
      }
    });
  }

  @Test
  void padFollowsTorchOrderLastAxisFirst() {
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor p = x.pad(new int[] {1, 0, 0, 1}, -1);
    assertArrayEquals(new int[] {3, 3}, p.shape());
    assertArrayEquals(new float[] {-1, 1, 2, -1, 3, 4, -1, -1, -1}, p.toFloatArray());
    assertArrayEquals(new float[] {2, 4}, x.pad(new int[] {-1, 0}, 0).toFloatArray());
    Tensor s = Tensors.scalar(3, DType.F64);
    assertEquals(3, s.pad(new int[0], 1).item());
  }

  @Test
  void padErrorsNameTheOpTheTypeAndAFix() {
    Tensor x = Tensors.zeros(DType.F32, 3, 4);
    assertError(() -> x.pad(new int[] {1}, 0), "pad", "f32[3,4]", "padding=[1]");
    assertError(() -> x.pad(new int[] {1, 1, 1, 1, 1, 1}, 0), "pad", "f32[3,4]");
    assertError(() -> x.pad(new int[] {-3, -2}, 0), "pad", "f32[3,4]", "axis 1", "= -1");
    assertError(
        () -> Bind.bind(Combine.PAD, new Combine.Pad(new int[] {1}, new int[] {1}, 0), x), "pad", "f32[3,4]");
  }

  // ---- concatenate ----

  @ParameterizedTest
  @EnumSource(Layout.class)
  void concatenateMatchesScalarLoopsAndPromotes(Layout layout) {
    long seed = 700;
    DType[][] pairs = {
      {DType.F32, DType.F32}, {DType.F32, DType.F64}, {DType.I64, DType.F32}, {DType.BOOL, DType.I64}, {DType.I64, DType.I64}
    };
    for (DType[] pair : pairs) {
      for (int[] shape : Ref.SHAPES) {
        if (!layout.applies(shape)) {
          continue;
        }
        for (int axis = 0; axis < shape.length; axis++) {
          List<Tensor> parts = new ArrayList<>();
          for (int k = 0; k < 3; k++) {
            int[] s = shape.clone();
            s[axis] = k == 1 ? 0 : shape[axis] + k;
            DType t = pair[k % 2];
            parts.add(Ref.make(s, t, k == 0 ? layout : Layout.CONTIGUOUS, t != DType.F32, seed++));
          }
          String what = Arrays.toString(pair) + Shape.str(shape) + " " + layout + " axis=" + axis;
          Tensor c = Tensor.concatenate(parts, axis - (axis % 2) * shape.length);
          assertEquals(pair[0].promote(pair[1]), c.dtype(), what);
          assertArrayEquals(concatenateReference(parts, axis), c.toDoubleArray(), what);
        }
      }
    }
  }

  private static double[] concatenateReference(List<Tensor> parts, int axis) {
    int[] outShape = parts.get(0).shape();
    outShape[axis] = parts.stream().mapToInt(t -> t.size(axis)).sum();
    double[][] values = parts.stream().map(Tensor::toDoubleArray).toArray(double[][]::new);
    double[] want = new double[(int) Shape.numel(outShape)];
    for (int i = 0; i < want.length; i++) {
      int[] at = Ref.unravel(i, outShape);
      int k = 0;
      while (at[axis] >= parts.get(k).size(axis)) {
        at[axis] -= parts.get(k++).size(axis);
      }
      want[i] = values[k][Ref.ravel(at, parts.get(k).shape())];
    }
    return want;
  }

  @Test
  void concatenateOfOneTensorCopiesIt() {
    Tensor x = Tensors.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);
    Tensor c = Combine.concatenate(List.of(x), 1);
    assertArrayEquals(new int[] {3, 2}, c.shape());
    assertArrayEquals(x.toDoubleArray(), c.toDoubleArray());
  }

  @Test
  void concatenateErrorsNameTheArgumentIndexAndTypes() {
    Tensor a = Tensors.zeros(DType.F32, 3, 4);
    Tensor b = Tensors.zeros(DType.F64, 2, 5);
    assertError(() -> Tensor.concatenate(List.of(a, a, b), 0), "concatenate", "tensors[0]: f32[3,4]", "tensors[2]: f64[2,5]");
    assertError(() -> Tensor.concatenate(List.of(a, Tensors.zeros(DType.F32, 3)), 1), "concatenate", "tensors[1]: f32[3]");
    assertError(() -> Tensor.concatenate(List.of(a, a), 2), "concatenate", "f32[3,4]", "dim=2");
    assertError(() -> Tensor.concatenate(List.of(), 0), "concatenate", "empty list");
    Tensor s = Tensors.scalar(1, DType.F32);
    assertError(() -> Tensor.concatenate(List.of(s, s), 0), "concatenate", "tensors[0]: f32[]");
    assertError(() -> Bind.bind(Combine.CONCATENATE, new Reductions.Axis(0)), "concatenate", "none");
  }

  // ---- stack ----

  @ParameterizedTest
  @EnumSource(Layout.class)
  void stackMatchesScalarLoopsAtEveryNewAxis(Layout layout) {
    long seed = 800;
    DType[][] triples = {{DType.F32, DType.F32, DType.F32}, {DType.F64, DType.F64, DType.F64},
      {DType.I64, DType.F32, DType.I64}, {DType.BOOL, DType.BOOL, DType.BOOL}};
    for (DType[] dtypes : triples) {
      for (int[] shape : Ref.SHAPES) {
        if (!layout.applies(shape)) {
          continue;
        }
        List<Tensor> parts = new ArrayList<>();
        for (int k = 0; k < dtypes.length; k++) {
          parts.add(Ref.make(shape, dtypes[k], k == 1 ? layout : Layout.CONTIGUOUS, dtypes[k] != DType.F32, seed++));
        }
        for (int axis = -shape.length - 1; axis <= shape.length; axis++) {
          String what = Arrays.toString(dtypes) + Shape.str(shape) + " " + layout + " axis=" + axis;
          Tensor s = Tensor.stack(parts, axis);
          int a = axis < 0 ? axis + shape.length + 1 : axis;
          assertEquals(dtypes[0].promote(dtypes[1]), s.dtype(), what);
          assertArrayEquals(stackReference(parts, a), s.toDoubleArray(), what);
        }
      }
    }
  }

  /** Element {@code out[..., k (at axis), ...] = parts[k][...]}, read off each part's values. */
  private static double[] stackReference(List<Tensor> parts, int axis) {
    int[] shape = parts.get(0).shape();
    int[] outShape = new int[shape.length + 1];
    for (int d = 0, j = 0; d < outShape.length; d++) {
      outShape[d] = d == axis ? parts.size() : shape[j++];
    }
    double[][] values = parts.stream().map(Tensor::toDoubleArray).toArray(double[][]::new);
    double[] want = new double[(int) Shape.numel(outShape)];
    for (int i = 0; i < want.length; i++) {
      int[] at = Ref.unravel(i, outShape);
      int[] inner = new int[shape.length];
      for (int d = 0, j = 0; d < at.length; d++) {
        if (d != axis) {
          inner[j++] = at[d];
        }
      }
      want[i] = values[at[axis]][Ref.ravel(inner, shape)];
    }
    return want;
  }

  @Test
  void stackShapesFollowTorch() {
    Tensor a = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor b = a.mul(10);
    assertArrayEquals(new int[] {2, 2, 3}, Tensor.stack(List.of(a, b), 0).shape());
    Tensor mid = Tensor.stack(List.of(a, b), 1);
    assertArrayEquals(new int[] {2, 2, 3}, mid.shape());
    assertArrayEquals(new float[] {1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60}, mid.toFloatArray());
    Tensor last = Tensor.stack(List.of(a, b), -1);
    assertArrayEquals(new int[] {2, 3, 2}, last.shape());
    assertArrayEquals(new float[] {1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60}, last.toFloatArray());
    Tensor s = Tensors.scalar(3, DType.F64);
    Tensor scalars = Combine.stack(List.of(s, s, s), -1);
    assertArrayEquals(new int[] {3}, scalars.shape());
    assertArrayEquals(new double[] {3, 3, 3}, scalars.toDoubleArray());
    Tensor one = Tensor.stack(List.of(a), 2);
    assertArrayEquals(new int[] {2, 3, 1}, one.shape());
    assertArrayEquals(a.toFloatArray(), one.toFloatArray());
  }

  @Test
  void stackErrorsNameTheArgumentIndexAndTypes() {
    Tensor a = Tensors.zeros(DType.F32, 3, 4);
    Tensor b = Tensors.zeros(DType.F64, 4, 3);
    assertError(() -> Tensor.stack(List.of(a, a, b, a), 0), "stack", "tensors[0]: f32[3,4]", "tensors[2]: f64[4,3]");
    assertError(() -> Tensor.stack(List.of(a, Tensors.zeros(DType.F32, 3)), 0), "stack", "tensors[1]: f32[3]");
    assertError(() -> Tensor.stack(List.of(a, a), 3), "stack", "f32[3,4]", "dim=3");
    assertError(() -> Tensor.stack(List.of(a, a), -4), "stack", "f32[3,4]", "dim=-4");
    assertError(() -> Tensor.stack(List.of(), 0), "stack", "empty list");
  }
}
