package io.sparkfunc.engine.kernel.simd;

/**
 * Zero-padded copies of a run's last few elements.
 *
 * <p>NOTE [Padded tails]: a run of n elements is done in whole vectors up to {@code n - n % L};
 * the rest (fewer than L lanes) is copied into a fresh L-element array, run through the same
 * vector loop, and the first {@code n % L} results copied out. Every element is thus computed by
 * the same vector code (a transcendental's value does not depend on its position in the run),
 * and no masked access runs near an array's end: on JDK 17 a masked load or store that would
 * cross the array bound falls back to a scalar Java loop that is about 30x slower.
 */
final class Pad {
  private Pad() {}

  /**
   * {@code [x[xo], x[xo+inc], ..., x[xo+(r-1)*inc], 0, ...]} of length {@code len} (inc 0 repeats
   * x[xo]).
   */
  static float[] f32(float[] x, int xo, int inc, int r, int len) {
    float[] t = new float[len];
    for (int i = 0; i < r; i++) {
      t[i] = x[xo + i * inc];
    }
    return t;
  }

  /** f64 twin of {@link #f32}. */
  static double[] f64(double[] x, int xo, int inc, int r, int len) {
    double[] t = new double[len];
    for (int i = 0; i < r; i++) {
      t[i] = x[xo + i * inc];
    }
    return t;
  }

  /** Byte (bool mask) twin of {@link #f32}. */
  static byte[] bool(byte[] x, int xo, int inc, int r, int len) {
    byte[] t = new byte[len];
    for (int i = 0; i < r; i++) {
      t[i] = x[xo + i * inc];
    }
    return t;
  }
}
