package io.sparkfunc.engine.kernel.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Full reductions of a contiguous run: sum, max, min, for f32 and f64 (twins by primitive type).
 * Four independent vector accumulators hide the add latency; the lanes are folded at the end and
 * the last {@code n % L} elements are added in scalar order.
 *
 * <p>Accuracy: an f32 sum accumulates in f32 over {@code 4 * L} lanes (64 partial sums on
 * AVX-512), so its error grows like {@code n / 64 * 2^-24 * sum|x|} in the worst case, against
 * the scalar twin's f64 accumulation; f64 sums differ from the sequential scalar order by a few
 * ulps of {@code sum|x|}. Max and min are exact and propagate NaN like {@code Math.max}.
 */
final class Reduce {
  private Reduce() {}

  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final int FL = FS.length();
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  private static final int DL = DS.length();

  static float sum(float[] x, int xo, int n) {
    FloatVector s0 = FloatVector.zero(FS);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int i = 0;
    for (int end = n - 4 * FL; i <= end; i += 4 * FL) {
      s0 = s0.add(FloatVector.fromArray(FS, x, xo + i));
      s1 = s1.add(FloatVector.fromArray(FS, x, xo + i + FL));
      s2 = s2.add(FloatVector.fromArray(FS, x, xo + i + 2 * FL));
      s3 = s3.add(FloatVector.fromArray(FS, x, xo + i + 3 * FL));
    }
    for (int end = FS.loopBound(n); i < end; i += FL) {
      s0 = s0.add(FloatVector.fromArray(FS, x, xo + i));
    }
    float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += x[xo + i];
    }
    return s;
  }

  static double sum(double[] x, int xo, int n) {
    DoubleVector s0 = DoubleVector.zero(DS);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    int i = 0;
    for (int end = n - 4 * DL; i <= end; i += 4 * DL) {
      s0 = s0.add(DoubleVector.fromArray(DS, x, xo + i));
      s1 = s1.add(DoubleVector.fromArray(DS, x, xo + i + DL));
      s2 = s2.add(DoubleVector.fromArray(DS, x, xo + i + 2 * DL));
      s3 = s3.add(DoubleVector.fromArray(DS, x, xo + i + 3 * DL));
    }
    for (int end = DS.loopBound(n); i < end; i += DL) {
      s0 = s0.add(DoubleVector.fromArray(DS, x, xo + i));
    }
    double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += x[xo + i];
    }
    return s;
  }

  static float max(float[] x, int xo, int n) {
    FloatVector m0 = FloatVector.broadcast(FS, x[xo]);
    FloatVector m1 = m0;
    int i = 0;
    for (int end = n - 2 * FL; i <= end; i += 2 * FL) {
      m0 = m0.max(FloatVector.fromArray(FS, x, xo + i));
      m1 = m1.max(FloatVector.fromArray(FS, x, xo + i + FL));
    }
    float m = m0.max(m1).reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, x[xo + i]);
    }
    return m;
  }

  static double max(double[] x, int xo, int n) {
    DoubleVector m0 = DoubleVector.broadcast(DS, x[xo]);
    DoubleVector m1 = m0;
    int i = 0;
    for (int end = n - 2 * DL; i <= end; i += 2 * DL) {
      m0 = m0.max(DoubleVector.fromArray(DS, x, xo + i));
      m1 = m1.max(DoubleVector.fromArray(DS, x, xo + i + DL));
    }
    double m = m0.max(m1).reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, x[xo + i]);
    }
    return m;
  }

  static float min(float[] x, int xo, int n) {
    FloatVector m0 = FloatVector.broadcast(FS, x[xo]);
    FloatVector m1 = m0;
    int i = 0;
    for (int end = n - 2 * FL; i <= end; i += 2 * FL) {
      m0 = m0.min(FloatVector.fromArray(FS, x, xo + i));
      m1 = m1.min(FloatVector.fromArray(FS, x, xo + i + FL));
    }
    float m = m0.min(m1).reduceLanes(VectorOperators.MIN);
    for (; i < n; i++) {
      m = Math.min(m, x[xo + i]);
    }
    return m;
  }

  static double min(double[] x, int xo, int n) {
    DoubleVector m0 = DoubleVector.broadcast(DS, x[xo]);
    DoubleVector m1 = m0;
    int i = 0;
    for (int end = n - 2 * DL; i <= end; i += 2 * DL) {
      m0 = m0.min(DoubleVector.fromArray(DS, x, xo + i));
      m1 = m1.min(DoubleVector.fromArray(DS, x, xo + i + DL));
    }
    double m = m0.min(m1).reduceLanes(VectorOperators.MIN);
    for (; i < n; i++) {
      m = Math.min(m, x[xo + i]);
    }
    return m;
  }
}
