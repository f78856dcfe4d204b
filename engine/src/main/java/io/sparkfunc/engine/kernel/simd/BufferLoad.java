package io.sparkfunc.engine.kernel.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Loads from little-endian off-heap buffers (Arrow memory) into heap tiles: whole vectors with
 * JDK 17's {@code fromByteBuffer(species, buffer, byteOffset, LITTLE_ENDIAN)}, the last {@code n %
 * L} elements one by one (no masked access near the buffer's end, as in NOTE [Padded tails]).
 * Bit-exact: a load moves bits, so NaN payloads and signed zeros survive.
 */
final class BufferLoad {
  private BufferLoad() {}

  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

  static void f32(ByteBuffer src, int index, float[] dst, int dstOff, int n) {
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
    int i = 0;
    for (int end = DS.loopBound(n); i < end; i += DS.length()) {
      DoubleVector.fromByteBuffer(DS, src, 8 * (index + i), ByteOrder.LITTLE_ENDIAN)
          .intoArray(dst, dstOff + i);
    }
    for (; i < n; i++) {
      dst[dstOff + i] = src.getDouble(8 * (index + i));
    }
  }
}
