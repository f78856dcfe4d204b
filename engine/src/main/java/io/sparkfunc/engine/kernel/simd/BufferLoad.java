package io.sparkfunc.engine.kernel.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Loads from little-endian off-heap buffers (Arrow memory) into heap tiles. Runs of at least
 * {@link #BULK} elements take the buffer's bulk get ({@code asFloatBuffer().get}, a memory copy on
 * a little-endian machine: measured 0.03 against 0.08 ns an element for 1024 f32); shorter ones,
 * where that call's setup dominates (0.28 against 0.18 ns an element for 16), take whole vectors
 * with JDK 17's {@code fromByteBuffer(species, buffer, byteOffset, LITTLE_ENDIAN)} and the last
 * {@code n % L} elements one by one (no masked access near the buffer's end, as in NOTE [Padded
 * tails]). Bit-exact: a load moves bits, so NaN payloads and signed zeros survive.
 */
final class BufferLoad {
  private BufferLoad() {}

  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

  /** Shortest run loaded by the bulk get. */
  static final int BULK = 64;

  static void f32(ByteBuffer src, int index, float[] dst, int dstOff, int n) {
    if (n >= BULK) {
      littleEndian(src).asFloatBuffer().get(index, dst, dstOff, n);
      return;
    }
    int i = 0;
    for (int end = FS.loopBound(n); i < end; i += FS.length()) {
      FloatVector.fromByteBuffer(FS, src, 4 * (index + i), ByteOrder.LITTLE_ENDIAN)
          .intoArray(dst, dstOff + i);
    }
    for (; i < n; i++) {
      dst[dstOff + i] = src.getFloat(4 * (index + i));
    }
  }

  static void f64(ByteBuffer src, int index, double[] dst, int dstOff, int n) {
    if (n >= BULK) {
      littleEndian(src).asDoubleBuffer().get(index, dst, dstOff, n);
      return;
    }
    int i = 0;
    for (int end = DS.loopBound(n); i < end; i += DS.length()) {
      DoubleVector.fromByteBuffer(DS, src, 8 * (index + i), ByteOrder.LITTLE_ENDIAN)
          .intoArray(dst, dstOff + i);
    }
    for (; i < n; i++) {
      dst[dstOff + i] = src.getDouble(8 * (index + i));
    }
  }

  /**
   * {@code b} (little-endian, as {@code Kernels.load} requires) from byte 0: the views made by
   * {@code asFloatBuffer} start at the position. b itself when its position is 0, as in {@code
   * BufferStorage} buffers, else a duplicate (same limit, so reads past it fail as elsewhere).
   */
  private static ByteBuffer littleEndian(ByteBuffer b) {
    return b.position() == 0 && b.order() == ByteOrder.LITTLE_ENDIAN
        ? b : b.duplicate().position(0).order(ByteOrder.LITTLE_ENDIAN);
  }
}
