package io.sparkfunc.engine.kernel.simd;

/**
 * How {@code x ^ p} runs for a scalar exponent: exponents with an exact cheaper form take it,
 * everything else goes to the vector POW. The cheap forms agree with {@code Math.pow} on every
 * special value (NaN, ±0, ±inf): {@code x^0 = 1} even for NaN, {@code x^1 = x}, {@code x^2 =
 * x*x}, {@code x^-1 = 1/x}.
 *
 * <p>NOTE [Small integer powers]: {@code x^3 = x*x*x} and {@code x^4 = (x*x)^2} are not exact
 * (two roundings: within 2 ulps of {@code Math.pow}, as the vector POW) but the vector POW costs
 * about 100 times as much here (JDK 17 has no SVML stub for it on every CPU, so it falls back to
 * a scalar loop per lane). They keep every special value, the sign of -0 and overflow to ±inf.
 */
enum PowPlan {
  ONE, COPY, SQUARE, RECIPROCAL, CUBE, FOURTH, GENERAL;

  static PowPlan of(double p) {
    if (p == 0) {
      return ONE;
    } else if (p == 1) {
      return COPY;
    } else if (p == 2) {
      return SQUARE;
    } else if (p == -1) {
      return RECIPROCAL;
    } else if (p == 3) {
      return CUBE;
    } else if (p == 4) {
      return FOURTH;
    }
    return GENERAL;
  }
}
