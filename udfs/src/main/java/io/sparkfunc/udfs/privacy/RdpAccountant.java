package io.sparkfunc.udfs.privacy;

import io.sparkfunc.engine.core.EngineException;

/**
 * Privacy accounting for DP-SGD: the Rényi DP of the sampled Gaussian mechanism (Mironov, Talwar
 * and Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism"), computed as
 * TF-Privacy's {@code compute_rdp} and Opacus's {@code privacy_analysis} do, and its conversion
 * to (ε, δ).
 *
 * <p>One step samples each row independently with probability {@code q} (Poisson sampling), sums
 * the per-sample gradients clipped to L2 norm {@code C}, and adds {@code N(0, (σC)^2)} noise.
 * {@code steps} such steps compose by adding their RDP.
 *
 * <p>NOTE [RDP to (ε, δ)]. {@link #epsilon} uses the conversion of Balle et al. 2020 (Opacus's
 * {@code get_privacy_spent}): {@code ε = rdp(α) - (log δ + log α)/(α-1) + log((α-1)/α)},
 * minimised over the orders. {@link #epsilonClassic} is Mironov's original {@code rdp(α) - log
 * δ/(α-1)}, the one TF-Privacy's published test values use; it is never smaller.
 */
public final class RdpAccountant {
  private RdpAccountant() {}

  /** Opacus's default orders: 1.1, 1.2, ..., 10.9, then 12, 13, ..., 63. */
  public static final double[] DEFAULT_ORDERS = defaultOrders();

  private static final double LOG_HALF = Math.log(0.5);

  /**
   * RDP of {@code steps} sampled Gaussian steps at each order: {@code -> f64[orders.length]}.
   *
   * @param q the sampling probability, in [0, 1]
   * @param sigma the noise multiplier (noise std / clip norm), > 0
   */
  public static double[] rdp(double q, double sigma, long steps, double[] orders) {
    if (!(q >= 0 && q <= 1) || !(sigma > 0) || steps < 0) {
      throw new EngineException("RdpAccountant.rdp(q, sigma, steps)", "q in [0, 1], sigma > 0, steps >= 0",
          "q=" + q + ", sigma=" + sigma + ", steps=" + steps, "pass the sampling rate, the noise multiplier and the step count");
    }
    double[] out = new double[orders.length];
    for (int i = 0; i < orders.length; i++) {
      out[i] = rdpOneStep(q, sigma, orders[i]) * steps;
    }
    return out;
  }

  /** The smallest ε over {@code orders} for {@code delta} (Balle et al. 2020 conversion). */
  public static double epsilon(double[] orders, double[] rdp, double delta) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < orders.length; i++) {
      double a = orders[i];
      double eps = rdp[i] - (Math.log(delta) + Math.log(a)) / (a - 1) + Math.log((a - 1) / a);
      best = Math.min(best, eps);
    }
    return Math.max(best, 0);
  }

  /** The smallest ε over {@code orders} for {@code delta} (Mironov 2017 conversion). */
  public static double epsilonClassic(double[] orders, double[] rdp, double delta) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < orders.length; i++) {
      best = Math.min(best, rdp[i] - Math.log(delta) / (orders[i] - 1));
    }
    return best;
  }

  /** ε after {@code steps} DP-SGD steps, over {@link #DEFAULT_ORDERS}. */
  public static double epsilon(double q, double sigma, long steps, double delta) {
    return epsilon(DEFAULT_ORDERS, rdp(q, sigma, steps, DEFAULT_ORDERS), delta);
  }

  /**
   * The smallest noise multiplier whose ε after {@code steps} steps is at most {@code targetEps}
   * (bisection to a relative 1e-4, as Opacus's {@code get_noise_multiplier} does to 0.01 in ε).
   */
  public static double noiseForEpsilon(double targetEps, double delta, double q, long steps) {
    double lo = 1e-2;
    double hi = 1;
    while (epsilon(q, hi, steps, delta) > targetEps) {
      hi *= 2;
      if (hi > 1e4) {
        throw new EngineException("noiseForEpsilon", "a reachable target epsilon", "epsilon=" + targetEps
            + " at q=" + q + ", steps=" + steps, "raise the target epsilon, sample fewer rows per step or train fewer steps");
      }
    }
    while (hi - lo > 1e-4 * hi) {
      double mid = (lo + hi) / 2;
      if (epsilon(q, mid, steps, delta) > targetEps) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  static double rdpOneStep(double q, double sigma, double alpha) {
    if (q == 0) {
      return 0;
    }
    if (q == 1) {
      return alpha / (2 * sigma * sigma);
    }
    if (Double.isInfinite(alpha)) {
      return Double.POSITIVE_INFINITY;
    }
    double logA = alpha == Math.rint(alpha) ? logAInt(q, sigma, (long) alpha) : logAFrac(q, sigma, alpha);
    return logA / (alpha - 1);
  }

  /** log A_α for integer α: a finite binomial sum (Mironov et al. 2019, section 3.3). */
  private static double logAInt(double q, double sigma, long alpha) {
    double logA = Double.NEGATIVE_INFINITY;
    double logBinom = 0;
    for (long i = 0; i <= alpha; i++) {
      if (i > 0) {
        logBinom += Math.log(alpha - i + 1) - Math.log(i);
      }
      double s = logBinom + i * Math.log(q) + (alpha - i) * Math.log1p(-q) + (i * i - i) / (2 * sigma * sigma);
      logA = logAdd(logA, s);
    }
    return logA;
  }

  /** log A_α for fractional α: two series with erfc terms, summed until negligible. */
  private static double logAFrac(double q, double sigma, double alpha) {
    double logA0 = Double.NEGATIVE_INFINITY;
    double logA1 = Double.NEGATIVE_INFINITY;
    double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
    double logCoef = 0;
    boolean positive = true;
    for (int i = 0; ; i++) {
      if (i > 0) {
        double f = (alpha - i + 1) / i;
        logCoef += Math.log(Math.abs(f));
        positive ^= f < 0;
      }
      double j = alpha - i;
      double logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
      double logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
      double logE0 = LOG_HALF + logErfc((i - z0) / (Math.sqrt(2) * sigma));
      double logE1 = LOG_HALF + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
      double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
      double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
      if (positive) {
        logA0 = logAdd(logA0, logS0);
        logA1 = logAdd(logA1, logS1);
      } else {
        logA0 = logSub(logA0, logS0);
        logA1 = logSub(logA1, logS1);
      }
      if (Math.max(logS0, logS1) < -30) {
        return logAdd(logA0, logA1);
      }
    }
  }

  /**
   * {@code log(erfc(x))}, finite for any x: for {@code x >= 0} the Chebyshev-fitted form {@code
   * erfc(x) = t exp(-x^2 + P(t))}, {@code t = 1/(1 + x/2)} (Numerical Recipes' {@code erfcc},
   * relative error below 1.2e-7 everywhere) taken in log space; for {@code x < 0}, {@code 2 -
   * erfc(-x)}.
   */
  static double logErfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    double logErfcZ = Math.log(t) - z * z + p;
    return x >= 0 ? logErfcZ : Math.log(2 - Math.exp(logErfcZ));
  }

  private static double logAdd(double a, double b) {
    double hi = Math.max(a, b);
    double lo = Math.min(a, b);
    return hi == Double.NEGATIVE_INFINITY ? hi : hi + Math.log1p(Math.exp(lo - hi));
  }

  private static double logSub(double a, double b) {
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    if (a == b) {
      return Double.NEGATIVE_INFINITY;
    }
    if (a < b) {
      throw new ArithmeticException("logSub: the RDP series went negative (log a=" + a + " < log b=" + b + ")");
    }
    return a + Math.log1p(-Math.exp(b - a));
  }

  private static double[] defaultOrders() {
    double[] o = new double[99 + 52];
    for (int x = 1; x < 100; x++) {
      o[x - 1] = 1 + x / 10.0;
    }
    for (int a = 12; a < 64; a++) {
      o[99 + a - 12] = a;
    }
    return o;
  }
}
