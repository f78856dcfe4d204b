package io.sparkfunc.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * Standard sample sets: odd 1-d sizes (0, 1, 3, 7, 17, 64, 65, 1023 elements, which hit every
 * SIMD tail case), small n-d shapes, scalars, empty tensors, and NumPy broadcasting pairs.
 */
public final class Samples {
  private Samples() {}

  /** The 1-d sizes every elementwise op is tried on. */
  public static final int[] ODD_SIZES = {0, 1, 3, 7, 17, 64, 65, 1023};

  /** n-d shapes beyond the 1-d sizes. */
  public static final int[][] SHAPES = {{}, {2, 3}, {3, 1, 4}, {0, 3}, {2, 3, 5}};

  /** Broadcasting pairs (left, right). */
  public static final int[][][] PAIRS = {
    {{3, 1}, {1, 4}}, {{2, 3}, {3}}, {{4}, {}}, {{}, {5}}, {{0, 3}, {3}}, {{2, 1, 5}, {3, 1}},
    {{5}, {1}}, {{2, 3}, {2, 3}}, {{1, 1}, {2, 1, 3}}
  };

  /** Uniform values in {@code [lo, hi)}. */
  public static Ref uniform(Random rnd, double lo, double hi, int... shape) {
    return Ref.generate(shape, idx -> lo + (hi - lo) * rnd.nextDouble());
  }

  /**
   * Indices in {@code [0, bound)}, as doubles (the harness makes INDEX operands i64). {@code bound}
   * may be 0 only for an empty shape.
   */
  public static Ref indices(Random rnd, int bound, int... shape) {
    return Ref.generate(shape, idx -> rnd.nextInt(bound));
  }

  /** One operand per shape in {@link #ODD_SIZES} and {@link #SHAPES}, values in [lo, hi). */
  public static OpInfo.SampleGen unary(double lo, double hi) {
    return rnd -> {
      List<Sample> out = new ArrayList<>();
      for (int n : ODD_SIZES) {
        out.add(Sample.data(uniform(rnd, lo, hi, n)));
      }
      for (int[] s : SHAPES) {
        out.add(Sample.data(uniform(rnd, lo, hi, s)));
      }
      return out;
    };
  }

  /** Same-shape pairs over {@link #ODD_SIZES} plus the broadcasting {@link #PAIRS}. */
  public static OpInfo.SampleGen binary(double lo, double hi) {
    return rnd -> {
      List<Sample> out = new ArrayList<>();
      for (int n : ODD_SIZES) {
        out.add(Sample.data(uniform(rnd, lo, hi, n), uniform(rnd, lo, hi, n)));
      }
      for (int[][] p : PAIRS) {
        out.add(Sample.data(uniform(rnd, lo, hi, p[0]), uniform(rnd, lo, hi, p[1])));
      }
      return out;
    };
  }

  /** A fixed list of single-operand shapes, values in [lo, hi). */
  public static OpInfo.SampleGen shapes(double lo, double hi, int[]... shapes) {
    return rnd -> {
      List<Sample> out = new ArrayList<>();
      for (int[] s : shapes) {
        out.add(Sample.data(uniform(rnd, lo, hi, s)));
      }
      return out;
    };
  }

  /** {@code g}'s samples with {@code f} applied to every value, e.g. {@code Math::floor} for ties. */
  public static OpInfo.SampleGen map(OpInfo.SampleGen g, DoubleUnaryOperator f) {
    return rnd -> {
      List<Sample> out = new ArrayList<>();
      for (Sample s : g.samples(rnd)) {
        Ref[] args = new Ref[s.args().length];
        for (int i = 0; i < args.length; i++) {
          args[i] = s.args()[i].map(f);
        }
        out.add(new Sample(s.label(), args, s.kinds()));
      }
      return out;
    };
  }
}
