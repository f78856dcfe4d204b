package io.sparkfunc.bench;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
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

  /** Standard normal values times {@code scale}, like {@code torch.randn(shape) * scale}: {@code -> f32|f64[shape]}. */
  static Tensor randn(DType dtype, double scale, long seed, int... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian() * scale;
    }
    return Tensors.of(v, shape).to(dtype);
  }

  /** Labels uniform in {@code [0, classes)}, like {@code torch.randint}: {@code -> i64[n]}. */
  static Tensor labels(int n, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(classes);
    }
    return Tensors.of(v, n);
  }
}
