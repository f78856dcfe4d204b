package io.sparkfunc.engine.ops;

import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.prim.Reductions;

/**
 * Composite reductions built from primitives (no rules of their own: every transform sees the
 * primitives they are made of): mean, variance, standard deviation, log-sum-exp and p-norms over
 * any set of axes, with {@code keepdim}. An empty axis list means every axis, as in PyTorch.
 */
public final class Stats {
  private Stats() {}

  /** Mean over {@code axes}: {@code x: f32[a,b] -> mean(x, false, 1): f32[a]}. */
  public static Tensor mean(Tensor x, boolean keepdim, int... axes) {
    requireFloating("mean", x);
    return Reductions.sum(x, keepdim, axes).div(count(x, axes));
  }

  /**
   * Variance over {@code axes} with Bessel's correction ({@code correction = 1} divides by {@code
   * n - 1}, as {@code torch.var}'s default; 0 gives the population variance).
   */
  public static Tensor var(Tensor x, int correction, boolean keepdim, int... axes) {
    requireFloating("var", x);
    Tensor centered = x.sub(mean(x, true, axes));
    double n = count(x, axes);
    return Reductions.sum(centered.mul(centered), keepdim, axes).div(Math.max(n - correction, 0));
  }

  /** Standard deviation: the square root of {@link #var}. */
  public static Tensor std(Tensor x, int correction, boolean keepdim, int... axes) {
    return var(x, correction, keepdim, axes).sqrt();
  }

  /**
   * {@code log(sum(exp(x)))} over {@code axes}, computed stably by shifting by the maximum (an
   * infinite maximum shifts by 0, so all -inf rows give -inf and +inf gives +inf, as PyTorch).
   */
  public static Tensor logsumexp(Tensor x, boolean keepdim, int... axes) {
    requireFloating("logsumexp", x);
    Tensor m = Reductions.max(x, true, axes);
    Tensor safe = finite(m);
    Tensor s = Reductions.sum(x.sub(safe).exp(), true, axes).log().add(safe);
    return keepdim ? s : squeeze(s, x.rank(), axes);
  }

  /** The p-norm over {@code axes} ({@code p = 2}: Euclidean; {@code p = 1}: sum of |x|). */
  public static Tensor norm(Tensor x, double p, boolean keepdim, int... axes) {
    requireFloating("norm", x);
    if (p == 2) {
      return Reductions.sum(x.mul(x), keepdim, axes).sqrt();
    }
    if (p == 1) {
      return Reductions.sum(x.abs(), keepdim, axes);
    }
    if (Double.isInfinite(p) && p > 0) {
      return Reductions.max(x.abs(), keepdim, axes);
    }
    return Reductions.sum(x.abs().pow(p), keepdim, axes).pow(1 / p);
  }

  private static Tensor finite(Tensor m) {
    Tensor inf = m.abs().eq(m.scalarLike(Double.POSITIVE_INFINITY));
    return inf.where(m.scalarLike(0), m);
  }

  /** Number of elements reduced over {@code axes} (all axes when empty). */
  static double count(Tensor x, int... axes) {
    if (axes.length == 0) {
      return x.numel();
    }
    double n = 1;
    for (int a : axes) {
      n *= x.type().dim(Shape.normalizeAxis("mean", "dim", a, x.rank(), x.type()));
    }
    return n;
  }

  private static Tensor squeeze(Tensor s, int rank, int... axes) {
    if (axes.length == 0) {
      return s.reshape();
    }
    int[] shape = s.shape();
    boolean[] drop = new boolean[rank];
    for (int a : axes) {
      drop[a < 0 ? a + rank : a] = true;
    }
    int k = 0;
    int[] out = new int[rank - countTrue(drop)];
    for (int i = 0; i < rank; i++) {
      if (!drop[i]) {
        out[k++] = shape[i];
      }
    }
    return s.reshape(out);
  }

  private static int countTrue(boolean[] b) {
    int n = 0;
    for (boolean v : b) {
      n += v ? 1 : 0;
    }
    return n;
  }

  static void requireFloating(String op, Tensor x) {
    if (!x.dtype().isFloating()) {
      throw new EngineException(op, "a floating tensor (f32 or f64)", "x: " + x.type(),
          "convert first, e.g. x.to(DType.F32)");
    }
  }
}
