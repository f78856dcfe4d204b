package io.sparkfunc.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code Kernels.load} from little-endian direct buffers: SIMD against the scalar twin and both
 * against the bits written, on odd lengths and offsets, with NaN payloads, ±0, ±inf and
 * subnormals (a load moves bits exactly).
 */
@Tag("simd")
class BufferLoadTest {
  private static final int[] SIZES = {0, 1, 3, 7, 15, 16, 17, 63, 64, 65, 1023, 1031};

  private static Kernels[] kernels() {
    Kernels simd = KernelProvider.simdOrNull();
    assumeTrue(simd != null, "jdk.incubator.vector not available");
    return new Kernels[] {ScalarKernels.INSTANCE, simd};
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void f32LoadsAreBitExact() {
    int[] specials = {0x7fc00001, 0xffc12345, 0x80000000, 0, 0x7f800000, 0xff800000, 1, 0x807fffff};
    Random r = new Random(1);
    for (Kernels k : kernels()) {
      for (int n : SIZES) {
        for (int index : new int[] {0, 5}) {
          ByteBuffer b = direct(4 * (n + index));
          int[] bits = new int[n];
          for (int i = 0; i < n; i++) {
            bits[i] = i < specials.length ? specials[i] : Float.floatToRawIntBits((float) r.nextGaussian());
            b.putInt(4 * (index + i), bits[i]);
          }
          float[] dst = new float[n + 3];
          k.load(b, index, dst, 3, n);
          for (int i = 0; i < n; i++) {
            assertEquals(bits[i], Float.floatToRawIntBits(dst[3 + i]), k.name() + " n=" + n + " i=" + i);
          }
        }
      }
    }
  }

  @Test
  void f64LoadsAreBitExact() {
    long[] specials = {0x7ff8000000000001L, 0xfff0000000000001L, 0x8000000000000000L, 0L,
        0x7ff0000000000000L, 0xfff0000000000000L, 1L};
    Random r = new Random(2);
    for (Kernels k : kernels()) {
      for (int n : SIZES) {
        for (int index : new int[] {0, 3}) {
          ByteBuffer b = direct(8 * (n + index));
          long[] bits = new long[n];
          for (int i = 0; i < n; i++) {
            bits[i] = i < specials.length ? specials[i] : Double.doubleToRawLongBits(r.nextGaussian());
            b.putLong(8 * (index + i), bits[i]);
          }
          double[] dst = new double[n + 2];
          k.load(b, index, dst, 2, n);
          for (int i = 0; i < n; i++) {
            assertEquals(bits[i], Double.doubleToRawLongBits(dst[2 + i]), k.name() + " n=" + n);
          }
        }
      }
    }
  }

  /** Short runs (vector loads) and long ones (the bulk get, which reads through a view). */
  @Test
  void theBufferPositionAndAViewAtAnOffsetDoNotMatter() {
    ByteBuffer b = direct(4 * 140);
    for (int i = 0; i < 140; i++) {
      b.putFloat(4 * i, i);
    }
    b.position(12);
    ByteBuffer slice = b.duplicate().clear().position(8).slice().order(ByteOrder.LITTLE_ENDIAN);
    for (Kernels k : kernels()) {
      for (int n : new int[] {33, 130}) {
        float[] dst = new float[n];
        k.load(b, 7, dst, 0, n);
        assertEquals(7f, dst[0]);
        assertEquals(6f + n, dst[n - 1], k.name() + " n=" + n);
        k.load(slice, 0, dst, 0, n);
        assertEquals(2f, dst[0]);
        assertEquals(1f + n, dst[n - 1], k.name() + " n=" + n);
      }
    }
  }
}
