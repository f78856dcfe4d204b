package io.sparkfunc.bench;

import java.util.SplittableRandom;

/** Benchmark inputs: reproducible values in [-1, 1) (or (0, 2] for positive-only ops). */
final class Data {
  private Data() {}

  static double[] f64(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble() * 2 - 1;
    }
    return v;
  }

  static float[] f32(int n, long seed) {
    double[] d = f64(n, seed);
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
