package io.sparkfunc.engine.prim;

import static io.sparkfunc.engine.prim.Ref.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import org.junit.jupiter.api.Test;

/** The view ops of {@link Structural}: shared storage, values, and error messages. */
class StructuralViewsTest {
  /** {@code 0, 1, ..., n-1} as f32 of {@code shape}. */
  private static Tensor iota(int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return Tensors.of(v, shape);
  }

  private static void assertView(Tensor x, Tensor v) {
    assertSame(((DenseTensor) x).storage(), ((DenseTensor) v).storage(), "a view shares storage");
  }

  private static float[] f(double... v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  @Test
  void viewsSeeWritesThroughTheSharedStorage() {
    Tensor x = iota(2, 3);
    Tensor[] views = {
      x.reshape(3, 2), x.transpose(0, 1), x.slice(1, 0, 3, 2), x.expand(4, 2, 3), x.unsqueeze(0), x.select(0, 1),
      x.movedim(0, 1), x.permute(1, 0), x.mT(), x.unsqueeze(1).squeeze(), x.unsqueeze(-1).squeeze(2)
    };
    ((DenseTensor) x).storage().setDouble(5, 99);
    for (Tensor v : views) {
      assertView(x, v);
      assertEquals(99f, v.max().item(), "write seen through " + v.type());
    }
  }

  @Test
  void reshapeCopiesOnlyWhenNoViewExists() {
    Tensor x = iota(2, 3, 4);
    Tensor flat = x.reshape(-1);
    assertView(x, flat);
    assertArrayEquals(new int[] {24}, flat.shape());
    assertView(x, x.reshape(6, -1));
    Tensor t = x.transpose(1, 2); // [2,4,3], not mergeable across the swapped axes
    Tensor copied = t.reshape(2, 12);
    assertNotSame(((DenseTensor) x).storage(), ((DenseTensor) copied).storage());
    assertArrayEquals(t.toFloatArray(), copied.toFloatArray());
    assertView(x, t.reshape(2, 1, 4, 3)); // only inserts an axis
    Tensor s = x.slice(0, 1, 2, 1); // [1,3,4], contiguous inner axes
    assertView(x, s.reshape(12));
    assertArrayEquals(java.util.Arrays.copyOfRange(x.toFloatArray(), 12, 24), s.reshape(12).toFloatArray());
    assertSame(x, x.reshape(2, 3, 4), "same shape returns the tensor itself");
  }

  @Test
  void reshapeErrorsNameTheShapeAndAFix() {
    Tensor x = iota(2, 3);
    assertError(() -> x.reshape(4, 2), "reshape", "f32[2,3]", "[4,2]");
    assertError(() -> x.reshape(-1, -1), "reshape", "f32[2,3]", "at most one -1");
    assertError(() -> x.reshape(4, -1), "reshape", "f32[2,3]");
    assertError(() -> x.reshape(0, -1), "reshape", "f32[2,3]");
  }

  @Test
  void transposePermuteMovedimAndMTReorderAxes() {
    Tensor x = iota(2, 3, 4);
    Tensor t = x.transpose(0, 2);
    assertArrayEquals(new int[] {4, 3, 2}, t.shape());
    assertEquals(x.get(1, 2, 3), t.get(3, 2, 1));
    Tensor p = x.permute(1, 2, 0);
    assertArrayEquals(new int[] {3, 4, 2}, p.shape());
    assertEquals(x.get(1, 0, 3), p.get(0, 3, 1));
    assertArrayEquals(p.toFloatArray(), x.movedim(0, -1).toFloatArray());
    Tensor m = x.movedim(2, 0);
    assertArrayEquals(new int[] {4, 2, 3}, m.shape());
    assertEquals(x.get(1, 2, 3), m.get(3, 1, 2));
    assertSame(x, x.movedim(1, -2));
    assertArrayEquals(x.transpose(-1, -2).toFloatArray(), x.mT().toFloatArray());
    assertArrayEquals(x.permute(-1, 0, 1).toFloatArray(), x.movedim(2, 0).toFloatArray());
  }

  @Test
  void permuteAndAxisErrors() {
    Tensor x = iota(2, 3);
    assertError(() -> x.permute(0, 0), "permute", "f32[2,3]", "dims=[0, 0]");
    assertError(() -> x.permute(0), "permute", "f32[2,3]");
    assertError(() -> x.transpose(0, 2), "transpose", "f32[2,3]", "dim1=2");
    assertError(() -> x.movedim(-3, 0), "movedim", "f32[2,3]", "source=-3");
    assertError(() -> x.movedim(0, 2), "movedim", "f32[2,3]", "destination=2");
  }

  @Test
  void sliceWithStepsNegativeBoundsAndClamping() {
    Tensor x = iota(10);
    assertArrayEquals(f(2, 5, 8), x.slice(0, 2, 10, 3).toFloatArray());
    assertArrayEquals(f(7, 8), x.slice(0, -3, -1, 1).toFloatArray());
    assertArrayEquals(f(0, 4, 8), x.slice(-1, -100, 100, 4).toFloatArray());
    assertArrayEquals(new int[] {0}, x.slice(0, 6, 3, 1).shape());
    assertArrayEquals(new int[] {0}, x.slice(0, 12, 20, 1).shape());
    Tensor m = iota(4, 5);
    Tensor s = m.slice(1, 1, 5, 2).slice(0, 1, 4, 2); // rows 1,3; cols 1,3
    assertArrayEquals(f(6, 8, 16, 18), s.toFloatArray());
    assertView(m, s);
  }

  @Test
  void sliceErrors() {
    Tensor x = iota(2, 3);
    assertError(() -> x.slice(0, 0, 2, 0), "slice", "f32[2,3]", "step=0");
    assertError(() -> x.slice(2, 0, 1, 1), "slice", "f32[2,3]", "dim=2");
  }

  @Test
  void expandBroadcastsWithStrideZero() {
    Tensor x = iota(3, 1);
    Tensor e = x.expand(2, 3, 4);
    assertArrayEquals(new int[] {2, 3, 4}, e.shape());
    assertArrayEquals(new int[] {0, 1, 0}, ((DenseTensor) e).strides());
    assertEquals(2, e.get(1, 2, 3));
    assertArrayEquals(new int[] {3, 5}, x.expand(-1, 5).shape());
    assertSame(x, x.expand(3, 1));
    assertArrayEquals(new float[] {0, 1, 2}, iota(3).expand(2, 3).slice(0, 1, 2, 1).toFloatArray());
  }

  @Test
  void badExpandsAreErrors() {
    Tensor x = iota(3, 2);
    assertError(() -> x.expand(3, 4), "expand", "f32[3,2]", "[3,4]");
    assertError(() -> x.expand(6), "expand", "f32[3,2]");
  }

  @Test
  void squeezeAndUnsqueeze() {
    Tensor x = iota(1, 3, 1, 2);
    assertArrayEquals(new int[] {3, 2}, x.squeeze().shape());
    assertArrayEquals(new int[] {3, 1, 2}, x.squeeze(0).shape());
    assertArrayEquals(new int[] {1, 3, 2}, x.squeeze(-2).shape());
    assertSame(x, x.squeeze(1), "squeezing an axis of extent > 1 is a no-op");
    assertArrayEquals(new int[] {1, 3, 1, 2, 1}, x.unsqueeze(-1).shape());
    assertArrayEquals(new int[] {1, 1, 3, 1, 2}, x.unsqueeze(1).shape());
    assertArrayEquals(x.toFloatArray(), x.unsqueeze(2).toFloatArray());
    Tensor s = Tensors.scalar(5, DType.F32);
    assertArrayEquals(new int[] {1}, s.unsqueeze(0).shape());
    assertArrayEquals(new int[0], s.unsqueeze(-1).squeeze().shape());
    Tensor t = iota(2, 3).transpose(0, 1).unsqueeze(1); // unsqueeze of a non-contiguous view
    assertArrayEquals(new int[] {3, 1, 2}, t.shape());
    assertArrayEquals(f(0, 3, 1, 4, 2, 5), t.toFloatArray());
  }

  @Test
  void squeezeUnsqueezeErrors() {
    Tensor x = iota(2, 3);
    assertError(() -> x.unsqueeze(3), "unsqueeze", "f32[2,3]", "dim=3");
    assertError(() -> x.unsqueeze(-4), "unsqueeze", "f32[2,3]");
    assertError(() -> x.squeeze(2), "squeeze", "f32[2,3]", "dim=2");
  }

  @Test
  void selectDropsTheAxis() {
    Tensor x = iota(2, 3, 4);
    Tensor s = x.select(1, -1);
    assertArrayEquals(new int[] {2, 4}, s.shape());
    assertArrayEquals(f(8, 9, 10, 11, 20, 21, 22, 23), s.toFloatArray());
    assertArrayEquals(f(13, 17, 21), x.select(0, 1).select(-1, 1).toFloatArray());
    assertView(x, s);
  }

  @Test
  void selectErrors() {
    Tensor x = iota(2, 3);
    assertError(() -> x.select(1, 3), "select", "f32[2,3]", "index=3");
    assertError(() -> x.select(0, -3), "select", "f32[2,3]", "[-2, 1]");
    assertError(() -> x.select(2, 0), "select", "f32[2,3]", "dim=2");
  }
}
