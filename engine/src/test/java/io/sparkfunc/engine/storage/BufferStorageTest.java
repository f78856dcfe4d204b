package io.sparkfunc.engine.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BufferStorage#scatter} (NOTE [Raw stores]): raw stores into a direct buffer and the
 * {@code put} loop into a heap buffer write the same elements; the one bounds check per block
 * admits a block ending on the storage's last element and rejects one element more at either
 * end (against the storage's length, not the buffer's larger capacity) before writing anything;
 * and {@code copy_} into off-heap tensors through every route (blocks, strided runs, broadcast
 * runs, a permuted destination) equals the heap copy.
 */
class BufferStorageTest {

  /** Buffers of {@code bytes} bytes: direct (raw stores) and heap (the buffer's put methods). */
  private static IntFunction<ByteBuffer> kind(boolean direct) {
    return bytes -> direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
  }

  /** 40 f32 elements of storage over 44 bytes of capacity, all NaN. */
  private static BufferStorage f32(boolean direct) {
    ByteBuffer b = kind(direct).apply(44).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 11; i++) {
      b.putFloat(4 * i, Float.NaN);
    }
    return BufferStorage.wrap(b, DType.F32, 10);
  }

  private static float[] elements(BufferStorage s, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) s.getDouble(i);
    }
    return out;
  }

  @ParameterizedTest(name = "direct={0}")
  @ValueSource(booleans = {true, false})
  void aBlockEndingOnTheLastElementIsWritten(boolean direct) {
    BufferStorage s = f32(direct);
    float[] src = {1, 2, 3, 4, 5, 6, 7, 8};
    // 2 rows of 2, read with steps 4 and 2, written at 1 + 3a + 5b: elements 1, 6, 4 and 9 (last)
    s.scatter(src, 0, 4, 2, 1, 3, 5, 2, 2);
    float n = Float.NaN;
    assertArrayEquals(new float[] {n, 1, n, n, 5, n, 3, n, n, 7}, elements(s, 10));
  }

  @ParameterizedTest(name = "direct={0}")
  @ValueSource(booleans = {true, false})
  void oneElementPastEitherEndIsRejectedBeforeAnyWrite(boolean direct) {
    BufferStorage s = f32(direct);
    float[] src = {1, 2, 3, 4};
    // element 10 is inside the buffer's capacity but outside the storage's 10 elements
    IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class,
        () -> s.scatter(src, 0, 2, 1, 2, 4, 4, 2, 2));
    assertTrue(past.getMessage().contains("spans elements 2..10"), past.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> s.scatter(src, 0, 2, 1, -1, 4, 1, 1, 2));
    // a negative stride reaching below element 0 from a start inside
    assertThrows(IndexOutOfBoundsException.class, () -> s.scatter(src, 0, 2, 1, 3, -2, 1, 3, 1));
    for (float v : elements(s, 10)) {
      assertTrue(Float.isNaN(v), "nothing written");
    }
    s.scatter(src, 0, 2, 1, 9, 0, 1, 1, 0); // an empty block anywhere writes nothing
    assertThrows(IllegalArgumentException.class,
        () -> s.scatter(new double[] {1}, 0, 0, 1, 0, 0, 1, 1, 1));
  }

  @ParameterizedTest(name = "direct={0}")
  @ValueSource(booleans = {true, false})
  void f64BlocksAreWrittenInPlace(boolean direct) {
    ByteBuffer b = kind(direct).apply(48);
    BufferStorage s = BufferStorage.wrap(b, DType.F64, 6);
    s.scatter(new double[] {0.5, -1.5, 2.5, 1e300}, 0, 2, 1, 5, -3, -1, 2, 2);
    assertEquals(-1.5, b.order(ByteOrder.LITTLE_ENDIAN).getDouble(8 * 4));
    assertArrayEquals(new double[] {0, 1e300, 2.5, 0, -1.5, 0.5},
        new double[] {s.getDouble(0), s.getDouble(1), s.getDouble(2), s.getDouble(3),
            s.getDouble(4), s.getDouble(5)});
    assertThrows(IndexOutOfBoundsException.class,
        () -> s.scatter(new double[] {1, 2}, 0, 1, 1, 5, 1, 1, 2, 1));
  }

  @ParameterizedTest(name = "direct={0}")
  @ValueSource(booleans = {true, false})
  void readOnlyBuffersAreNotWritten(boolean direct) {
    ByteBuffer b = kind(direct).apply(16).asReadOnlyBuffer();
    BufferStorage s = BufferStorage.wrap(b, DType.F32, 4);
    assertThrows(ReadOnlyBufferException.class,
        () -> s.scatter(new float[] {1}, 0, 0, 1, 0, 0, 1, 1, 1));
  }

  @ParameterizedTest(name = "direct={0}")
  @ValueSource(booleans = {true, false})
  void copiesIntoOffHeapTensorsEqualTheHeapCopy(boolean direct) {
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      Tensor[] sources = {
          Random.randn(Key.of(1), t, 5, 8, 3).transpose(1, 2),       // blocks (NOTE [Short runs])
          Random.randn(Key.of(2), t, 5, 3, 16).slice(2, 1, 16, 2),    // strided runs
          Random.randn(Key.of(3), t, 3, 1).expand(5, 3, 8),           // broadcast runs
          Random.randn(Key.of(4), t, 5, 3, 8),                        // one bulk put
          Random.randn(Key.of(5), t, 2, 5, 4, 3).permute(1, 0, 3, 2), // rank 4 blocks
      };
      for (Tensor x : sources) {
        int n = (int) x.numel();
        int r = x.rank();
        DenseTensor exact = DenseTensor.contiguous(BufferStorage.wrap(
            kind(direct).apply(n * t.byteSize()), t, n), x.shape());
        exact.copy_(x);
        assertArrayEquals(x.toDoubleArray(), exact.toDoubleArray(), x.toString());
        // a permuted destination (axis 0 innermost in memory): strided runs and blocks
        int[] rotated = new int[r];
        int[] toX = new int[r];
        int[] fromX = new int[r];
        for (int i = 0; i < r; i++) {
          rotated[i] = x.size((i + 1) % r);
          toX[i] = (i + r - 1) % r;
          fromX[i] = (i + 1) % r;
        }
        DenseTensor physical = DenseTensor.contiguous(BufferStorage.wrap(
            kind(direct).apply(n * t.byteSize()), t, n), rotated);
        physical.permute(toX).copy_(x);
        assertArrayEquals(x.permute(fromX).toDoubleArray(), physical.toDoubleArray());
      }
    }
  }
}
