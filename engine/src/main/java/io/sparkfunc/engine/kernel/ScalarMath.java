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
      default:
        throw new AssertionError(op);
    }
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
