package io.sparkfunc.engine.kernel.simd;

/**
 * How {@code x ^ p} runs for a scalar exponent: exponents with an exact cheaper form take it,
 * everything else goes to the vector POW. The cheap forms agree with {@code Math.pow} on every
 * special value (NaN, ±0, ±inf): {@code x^0 = 1} even for NaN, {@code x^1 = x}, {@code x^2 =
 * x*x}, {@code x^-1 = 1/x}.
 */
enum PowPlan {
  ONE, COPY, SQUARE, RECIPROCAL, GENERAL;

  static PowPlan of(double p) {
    if (p == 0) {
      return ONE;
    } else if (p == 1) {
      return COPY;
    } else if (p == 2) {
      return SQUARE;
    } else if (p == -1) {
      return RECIPROCAL;
    }
    return GENERAL;
  }
}
