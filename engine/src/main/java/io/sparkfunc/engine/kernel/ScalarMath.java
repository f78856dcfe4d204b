package io.sparkfunc.engine.kernel;

/**
 * The scalar definition of every elementwise kernel op, in f64. {@link ScalarKernels} uses it for
 * both dtypes (f32 rounds the f64 result, which is at least as accurate as f32 arithmetic), and
 * tests use it as the reference.
 */
public final class ScalarMath {
  private ScalarMath() {}

  /** {@code op(x)}. */
  public static double unary(UnaryOp op, double x) {
    switch (op) {
      case NEG:
        return -x;
      case ABS:
        return Math.abs(x);
      case SIGN:
        return Double.isNaN(x) ? x : Math.signum(x);
      case EXP:
        return Math.exp(x);
      case LOG:
        return Math.log(x);
      case LOG1P:
        return Math.log1p(x);
      case EXPM1:
        return Math.expm1(x);
      case SQRT:
        return Math.sqrt(x);
      case RSQRT:
        return 1.0 / Math.sqrt(x);
      case SIN:
        return Math.sin(x);
      case COS:
        return Math.cos(x);
      case TANH:
        return Math.tanh(x);
      case LOGISTIC:
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
      case ERF:
        return erf(x);
      default:
        throw new AssertionError(op);
    }
  }

  /**
   * The Gauss error function to about 1e-15 absolute: its Taylor series below |x| = 2.5, the
   * continued fraction of erfc above (Java has no {@code Math.erf}).
   */
  public static double erf(double x) {
    double a = Math.abs(x);
    if (Double.isNaN(x)) {
      return x;
    }
    if (a < 2.5) {
      double term = a;
      double sum = a;
      double x2 = a * a;
      for (int n = 1; n < 60 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
        term *= -x2 / n;
        sum += term / (2 * n + 1);
      }
      return Math.copySign(2 / Math.sqrt(Math.PI) * sum, x);
    }
    if (a > 6) {
      return Math.copySign(1, x);
    }
    // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))), backwards
    double f = a;
    for (int k = 60; k >= 1; k--) {
      f = a + (k / 2.0) / f;
    }
    double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    return Math.copySign(1 - erfc, x);
  }

  /** {@code op(a, b)}. */
  public static double binary(BinaryOp op, double a, double b) {
    switch (op) {
      case ADD:
        return a + b;
      case SUB:
        return a - b;
      case MUL:
        return a * b;
      case DIV:
        return a / b;
      case MAX:
        return Math.max(a, b);
      case MIN:
        return Math.min(a, b);
      case POW:
        return Math.pow(a, b);
      default:
        throw new AssertionError(op);
    }
  }

  /** {@code op(a, b)} for a comparison. */
  public static boolean compare(CompareOp op, double a, double b) {
    switch (op) {
      case EQ:
        return a == b;
      case NE:
        return a != b;
      case LT:
        return a < b;
      case LE:
        return a <= b;
      case GT:
        return a > b;
      case GE:
        return a >= b;
      default:
        throw new AssertionError(op);
    }
  }
}
