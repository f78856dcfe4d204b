package io.sparkfunc.testing;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Registry entries for the reductions and scans: {@code reduce_sum}, {@code reduce_max} and {@code
 * reduce_min} over several axis choices ({@code x: f32[a,b,c], dim=(2,0) -> f32[b]}; keepdim gives
 * {@code f32[1,b,1]}; no dim means all axes), {@code argmax}/{@code argmin} ({@code x: f32[a,b],
 * dim=1 -> i64[a]}; no dim means the flattened tensor) and {@code cumsum} ({@code f32[a,b] ->
 * f32[a,b]}). References are plain loops in f64 over the reduced positions.
 *
 * <p>Sums draw positive values, so the relative f32 tolerance bounds the error of any summation
 * order (pairwise blocks, SIMD lanes) instead of depending on cancellation; the engine's own tests
 * cover mixed signs with a tolerance scaled by {@code sum |x|}. {@code max}, {@code min} and the
 * arg ops are exact; they also meet NaN and infinities (NaN propagates, arg ops pick the first NaN)
 * and ties (arg ops pick the first).
 */
final class ReductionOps {
  private ReductionOps() {}

  /** Relative f32 tolerance of a sum of positive values of at most a few thousand terms. */
  private static final double SUM_TOL_F32 = 1e-5;

  /** Shapes beyond {@link Samples#ODD_SIZES} and {@link Samples#SHAPES}: odd extents, empty axes. */
  private static final int[][] MORE_SHAPES = {{5, 13}, {3, 0}, {1, 65, 1}, {4, 3, 17}, {2, 0, 3}};

  /** An axis choice of a public helper: {@code dim} (empty means all axes) and keepdim. */
  private record Dims(boolean keepdim, int... axes) {
    /** True if the helper accepts these axes for a tensor of this rank (0-d takes 0 or -1). */
    boolean fits(int rank) {
      boolean[] seen = new boolean[Math.max(rank, 1)];
      for (int a : axes) {
        int n = a < 0 ? a + seen.length : a;
        if (n < 0 || n >= seen.length || seen[n]) {
          return false;
        }
        seen[n] = true;
      }
      return true;
    }

    /** Which axes of a rank-{@code rank} tensor are reduced. */
    boolean[] reduced(int rank) {
      boolean[] red = new boolean[rank];
      Arrays.fill(red, axes.length == 0);
      for (int a : axes) {
        if (rank > 0) {
          red[a < 0 ? a + rank : a] = true;
        }
      }
      return red;
    }

    @Override
    public String toString() {
      String d = axes.length == 0 ? ""
          : axes.length == 1 ? "dim=" + axes[0] : "dim=" + Arrays.toString(axes);
      return "(" + d + (keepdim ? (d.isEmpty() ? "" : ", ") + "keepdim" : "") + ")";
    }
  }

  private static final Dims[] DIMS = {
    new Dims(false), new Dims(true), new Dims(false, 0), new Dims(true, -1),
    new Dims(false, 2, 0), new Dims(true, 0, -1)
  };

  /** A reduction's public helper, {@code (x, keepdim, axes) -> result}. */
  @FunctionalInterface
  private interface Reducer {
    Tensor apply(Tensor x, boolean keepdim, int... axes);
  }

  /**
   * A reduction: name, primitive, public helper, reference over the reduced values, whether an
   * empty reduced axis is allowed, the sample value range and the f32 tolerance.
   */
  private record Reduction(
      String name, String primitive, Reducer op, ToDoubleFunction<double[]> ref, boolean emptyOk,
      double lo, double hi, double tolF32) {}

  private static final Reduction SUM = new Reduction("sum", "reduce_sum", Tensor::sum,
      v -> Arrays.stream(v).reduce(0, Double::sum), true, 0.5, 8, SUM_TOL_F32);

  private static final Reduction MAX = new Reduction("max", "reduce_max", Tensor::max,
      v -> Arrays.stream(v).reduce(Math::max).getAsDouble(), false, -3, 3, 0);

  private static final Reduction MIN = new Reduction("min", "reduce_min", Tensor::min,
      v -> Arrays.stream(v).reduce(Math::min).getAsDouble(), false, -3, 3, 0);

  static List<OpInfo> entries() {
    List<OpInfo> l = new ArrayList<>();
    for (Reduction r : new Reduction[] {SUM, MAX, MIN}) {
      for (Dims d : DIMS) {
        l.add(reduction(r, d, "").samples(shapes(d, r.emptyOk, r.lo, r.hi)).build());
      }
      l.add(reduction(r, new Dims(false, -1), " nan/inf")
          .samples(rnd -> specials()).dtypes(DType.F32, DType.F64).build());
    }
    for (boolean max : new boolean[] {true, false}) {
      l.add(arg(max, null, false, "").samples(ties(null)).build());
      l.add(arg(max, 0, false, "").samples(ties(0)).build());
      l.add(arg(max, -1, true, "").samples(ties(-1)).build());
      l.add(arg(max, -1, false, " nan/inf")
          .samples(rnd -> specials()).dtypes(DType.F32, DType.F64).build());
    }
    for (int axis : new int[] {0, -1}) {
      l.add(OpInfo.builder("cumsum(dim=" + axis + ")")
          .op(a -> a[0].cumsum(axis))
          .reference(r -> cumsumRef(r[0], axis))
          .samples(shapes(new Dims(false, axis), true, -3, 3))
          .dtypes(DType.F32, DType.F64, DType.I64)
          .covers("cumsum")
          .build());
    }
    return l;
  }

  private static OpInfo.Builder reduction(Reduction r, Dims d, String suffix) {
    return OpInfo.builder(r.name + d + suffix)
        .op(a -> r.op.apply(a[0], d.keepdim, d.axes))
        .reference(x -> over(x[0], d.reduced(x[0].rank()), d.keepdim, r.ref))
        .dtypes(DType.F32, DType.F64, DType.I64)
        .tol(r.tolF32, r.tolF32 == 0 ? 0 : 1e-12)
        .covers(r.primitive);
  }

  /** argmax/argmin along {@code axis}, or of the flattened tensor when {@code axis} is null. */
  private static OpInfo.Builder arg(boolean max, Integer axis, boolean keepdim, String suffix) {
    String name = max ? "argmax" : "argmin";
    Dims d = axis == null ? new Dims(false) : new Dims(keepdim, axis);
    ToDoubleFunction<double[]> first = v -> {
      int best = 0;
      for (int i = 1; i < v.length && !Double.isNaN(v[best]); i++) {
        if (Double.isNaN(v[i]) || (max ? v[i] > v[best] : v[i] < v[best])) {
          best = i;
        }
      }
      return best;
    };
    return OpInfo.builder(name + d + suffix)
        .op(a -> axis == null ? (max ? a[0].argmax() : a[0].argmin())
            : max ? a[0].argmax(axis, keepdim) : a[0].argmin(axis, keepdim))
        .reference(x -> over(x[0], d.reduced(x[0].rank()), d.keepdim, first))
        .dtypes(DType.F32, DType.F64, DType.I64)
        .tol(0, 0)
        .anyOutputDType()
        .nonDifferentiable()
        .covers(name);
  }

  // ---- samples ----

  /** Every standard shape {@code d} fits, values in [lo, hi); empty reduced axes only if allowed. */
  private static OpInfo.SampleGen shapes(Dims d, boolean emptyOk, double lo, double hi) {
    return Samples.shapes(lo, hi, fitting(d, emptyOk));
  }

  private static int[][] fitting(Dims d, boolean emptyOk) {
    List<int[]> all = new ArrayList<>();
    for (int n : Samples.ODD_SIZES) {
      all.add(new int[] {n});
    }
    all.addAll(Arrays.asList(Samples.SHAPES));
    all.addAll(Arrays.asList(MORE_SHAPES));
    return all.stream()
        .filter(s -> d.fits(s.length) && (emptyOk || !emptyReducedAxis(s, d.reduced(s.length))))
        .toArray(int[][]::new);
  }

  private static boolean emptyReducedAxis(int[] shape, boolean[] reduced) {
    for (int a = 0; a < shape.length; a++) {
      if (reduced[a] && shape[a] == 0) {
        return true;
      }
    }
    return false;
  }

  /** Small integers, so that ties are common (arg ops must pick the first). */
  private static OpInfo.SampleGen ties(Integer axis) {
    Dims d = axis == null ? new Dims(false) : new Dims(false, axis);
    return Samples.map(Samples.shapes(-3, 3, fitting(d, false)), Math::floor);
  }

  /** NaN and infinities in some rows: rows with NaN, with both infinities, with one, and finite. */
  private static List<Sample> specials() {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    double[][] rows = {
      {1, nan, 3, inf, nan, -inf, 2}, {-inf, 2, inf, 0, 1, inf, -inf}, {3, inf, -1, 5, inf, 0, 2},
      {-inf, -inf, -inf, -inf, -inf, -inf, -inf}, {4, 1, 4, -2, 0, 4, -2}, {2, 0, -1, 0, 2, nan, -3}
    };
    double[] flat = Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    List<Sample> out = new ArrayList<>();
    out.add(Sample.data(new Ref(new int[] {7}, rows[0].clone())));
    out.add(Sample.data(new Ref(new int[] {6, 7}, flat)));
    out.add(Sample.data(new Ref(new int[] {3, 2, 7}, flat)));
    return out;
  }

  // ---- references ----

  /**
   * For every output position, {@code f} of the values at the reduced positions, listed in
   * row-major order of the reduced axes (so for one axis, index i is position i along it).
   */
  private static Ref over(Ref x, boolean[] reduced, boolean keepdim, ToDoubleFunction<double[]> f) {
    int rank = x.rank();
    int[] redShape = new int[rank];
    int[] outShape = new int[rank];
    int r = 0;
    int o = 0;
    for (int a = 0; a < rank; a++) {
      if (reduced[a]) {
        redShape[r++] = x.shape[a];
      }
      if (!reduced[a] || keepdim) {
        outShape[o++] = reduced[a] ? 1 : x.shape[a];
      }
    }
    int[] inner = Arrays.copyOf(redShape, r);
    double[] values = new double[(int) Shape.numel(inner)];
    return Ref.generate(Arrays.copyOf(outShape, o), out -> {
      for (int k = 0; k < values.length; k++) {
        int[] ri = Ref.unravel(k, inner);
        int[] full = new int[rank];
        for (int a = 0, j = 0, i = 0; a < rank; a++) {
          full[a] = reduced[a] ? ri[j++] : out[keepdim ? a : i++];
        }
        values[k] = x.at(full);
      }
      return f.applyAsDouble(values);
    });
  }

  /** {@code out[.., i, ..] = x[.., 0, ..] + ... + x[.., i, ..]} along {@code axis} (0-d: x). */
  private static Ref cumsumRef(Ref x, int axis) {
    if (x.rank() == 0) {
      return x;
    }
    int a = axis < 0 ? axis + x.rank() : axis;
    return Ref.generate(x.shape, idx -> {
      int[] at = idx.clone();
      double s = 0;
      for (at[a] = 0; at[a] <= idx[a]; at[a]++) {
        s += x.at(at);
      }
      return s;
    });
  }
}
