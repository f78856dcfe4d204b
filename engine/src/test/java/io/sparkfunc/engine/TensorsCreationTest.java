package io.sparkfunc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.core.EngineException;
import org.junit.jupiter.api.Test;

class TensorsCreationTest {

  // ---- arange ----

  @Test
  void arangeOfNIsI64LikeTorch() {
    Tensor t = Tensors.arange(5);
    assertEquals(DType.I64, t.dtype());
    assertArrayEquals(new long[] {0, 1, 2, 3, 4}, t.toLongArray());
    assertArrayEquals(new int[] {0}, Tensors.arange(0).shape());
  }

  @Test
  void arangeFloatsUseStartPlusIStep() {
    // torch.arange(0, 1, 0.1, dtype=torch.float64): 10 values, start + i*step in f64
    double[] d = Tensors.arange(0, 1, 0.1, DType.F64).toDoubleArray();
    assertEquals(10, d.length);
    for (int i = 0; i < d.length; i++) {
      assertEquals(0.1 * i, d[i], 0.0);
    }
    assertEquals(0.30000000000000004, d[3], 0.0);
    // f32 rounds the f64 value: torch.arange(1, 2.5, 0.5) -> [1.0, 1.5, 2.0]
    assertArrayEquals(new float[] {1f, 1.5f, 2f}, Tensors.arange(1, 2.5, 0.5, DType.F32).toFloatArray());
    assertArrayEquals(
        new float[] {(float) 0.1, (float) 0.2, (float) (0.1 + 0.1 * 2)},
        Tensors.arange(0.1, 0.35, 0.1, DType.F32).toFloatArray());
  }

  @Test
  void arangeCountsDownAndStopsBeforeEnd() {
    assertArrayEquals(new double[] {5, 3, 1}, Tensors.arange(5, 0, -2, DType.F64).toDoubleArray());
    assertArrayEquals(new double[] {0, 2}, Tensors.arange(0, 4, 2, DType.F64).toDoubleArray());
    assertArrayEquals(new double[] {0, 2, 4}, Tensors.arange(0, 4.5, 2, DType.F64).toDoubleArray());
    assertArrayEquals(new int[] {0}, Tensors.arange(3, 3, 1, DType.F32).shape(), "empty range");
  }

  @Test
  void arangeI64TruncatesArgumentsLikeTorch() {
    // torch.arange(0.5, 5.7, 2, dtype=torch.int64) -> start 0, end 5: [0, 2, 4]
    assertArrayEquals(new long[] {0, 2, 4}, Tensors.arange(0.5, 5.7, 2, DType.I64).toLongArray());
    assertArrayEquals(new long[] {10, 7, 4, 1}, Tensors.arange(10, 0, -3, DType.I64).toLongArray());
    assertArrayEquals(new long[] {-3, -1, 1}, Tensors.arange(-3, 3, 2, DType.I64).toLongArray());
  }

  @Test
  void arangeErrorsNameTheArgumentAndAFix() {
    assertError(() -> Tensors.arange(0, 5, 0, DType.F32), "arange", "step=0.0");
    assertError(() -> Tensors.arange(0, 5, 0.5, DType.I64), "arange", "step=0.0", "i64");
    assertError(() -> Tensors.arange(5, 0, 1, DType.F32), "arange", "start=5.0, end=0.0, step=1.0");
    assertError(() -> Tensors.arange(-1), "arange", "end=-1.0", "negate step");
    assertError(() -> Tensors.arange(0, Double.POSITIVE_INFINITY, 1, DType.F64), "arange", "Infinity");
    assertError(() -> Tensors.arange(0, 3, 1, DType.BOOL), "arange", "bool");
    assertError(() -> Tensors.arange(0, 1e12, 1, DType.F32), "arange", "2^31");
  }

  // ---- linspace ----

  @Test
  void linspaceEndpointsAreExact() {
    double[] d = Tensors.linspace(0, 1, 7, DType.F64).toDoubleArray();
    assertEquals(0.0, d[0], 0.0);
    assertEquals(1.0, d[6], 0.0);
    float[] f = Tensors.linspace(-2.3f, 7.9f, 101, DType.F32).toFloatArray();
    assertEquals(-2.3f, f[0], 0f);
    assertEquals(7.9f, f[100], 0f);
    // the second half counts back from the end: value i = end - h*(steps-1-i), computed in f32
    float h = (7.9f - (-2.3f)) / 100;
    assertEquals(7.9f - h * 30, f[70], 0f);
    assertEquals(-2.3f + h * 30, f[30], 0f);
  }

  @Test
  void linspaceValuesMatchTorch() {
    // torch.linspace(0, 1, 5) and torch.linspace(-1, 1, 4, dtype=torch.float64)
    assertArrayEquals(
        new float[] {0f, 0.25f, 0.5f, 0.75f, 1f}, Tensors.linspace(0, 1, 5, DType.F32).toFloatArray());
    assertArrayEquals(
        new double[] {-1, -1.0 / 3, 1.0 / 3, 1},
        Tensors.linspace(-1, 1, 4, DType.F64).toDoubleArray(), 1e-16);
    // torch.linspace(0, 10, 4, dtype=torch.int64) -> [0, 3, 6, 10] (values truncate)
    assertArrayEquals(new long[] {0, 3, 6, 10}, Tensors.linspace(0, 10, 4, DType.I64).toLongArray());
    assertArrayEquals(new double[] {5, 4, 3}, Tensors.linspace(5, 3, 3, DType.F64).toDoubleArray());
  }

  @Test
  void linspaceEdgeCounts() {
    assertArrayEquals(new float[] {3f}, Tensors.linspace(3, 9, 1, DType.F32).toFloatArray());
    assertArrayEquals(new int[] {0}, Tensors.linspace(3, 9, 0, DType.F32).shape());
    assertArrayEquals(new double[] {3, 9}, Tensors.linspace(3, 9, 2, DType.F64).toDoubleArray());
    assertArrayEquals(new double[] {4, 4, 4}, Tensors.linspace(4, 4, 3, DType.F64).toDoubleArray());
    assertError(() -> Tensors.linspace(0, 1, -1, DType.F32), "linspace", "steps=-1");
    assertError(() -> Tensors.linspace(0, 1, 3, DType.BOOL), "linspace", "bool");
  }

  // ---- eye ----

  @Test
  void eyeHasOnesOnTheDiagonal() {
    Tensor i3 = Tensors.eye(3);
    assertEquals(new TensorType(DType.F32, 3, 3), i3.type());
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, i3.toFloatArray());
    assertArrayEquals(
        new long[] {1, 0, 0, 0, 0, 1, 0, 0}, Tensors.eye(2, 4, DType.I64).toLongArray());
    assertArrayEquals(
        new boolean[] {true, false, false, true, false, false},
        Tensors.eye(3, 2, DType.BOOL).toBooleanArray());
    assertArrayEquals(new int[] {0, 5}, Tensors.eye(0, 5, DType.F64).shape());
    assertError(() -> Tensors.eye(-1), "eye", "n=-1");
    assertError(() -> Tensors.eye(2, -3, DType.F32), "eye", "m=-3");
  }

  @Test
  void scalarLongIsExact() {
    Tensor t = Tensors.scalar(Long.MAX_VALUE - 1);
    assertEquals(new TensorType(DType.I64), t.type());
    assertArrayEquals(new long[] {Long.MAX_VALUE - 1}, t.toLongArray());
  }

  static void assertError(Runnable call, String... parts) {
    EngineException e = assertThrows(EngineException.class, call::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("Fix:"), "a fix in: " + e.getMessage());
  }
}
