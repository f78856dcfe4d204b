package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.JvpRule;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.core.VjpRule;
import io.sparkfunc.engine.kernel.UnaryOp;

/**
 * Elementwise unary primitives, {@code x: t[...] -> t[...]}. Transcendental ops promote integer
 * input to f32 (as PyTorch); {@code neg}, {@code abs} and {@code sign} keep i64. Values outside a
 * function's domain follow IEEE: {@code log(-1)} is NaN, {@code log(0)} is -inf.
 */
public final class ElementwiseUnary {
  private ElementwiseUnary() {}

  // Each card: name, kernel, whether i64 stays i64, and the derivative f'(x) from (x, y = f(x)),
  // from which the jvp and vjp rules are made (Rules.unaryJvp/unaryVjp). vmap: vectorized.
  // tanh's rules go through tanh_backward (NOTE [Backward primitives]).
  public static final Primitive NEG = define("neg", UnaryOp.NEG, true, (x, y) -> x.scalarLike(-1));
  public static final Primitive ABS = define("abs", UnaryOp.ABS, true, (x, y) -> x.sign());
  public static final Primitive SIGN = define("sign", UnaryOp.SIGN, true, null);
  public static final Primitive EXP = define("exp", UnaryOp.EXP, false, (x, y) -> y);
  public static final Primitive LOG = define("log", UnaryOp.LOG, false, (x, y) -> x.pow(-1));
  public static final Primitive LOG1P =
      define("log1p", UnaryOp.LOG1P, false, (x, y) -> x.add(1).pow(-1));
  public static final Primitive EXPM1 = define("expm1", UnaryOp.EXPM1, false, (x, y) -> y.add(1));
  public static final Primitive SQRT = define("sqrt", UnaryOp.SQRT, false, (x, y) -> y.pow(-1).mul(0.5));
  public static final Primitive RSQRT =
      define("rsqrt", UnaryOp.RSQRT, false, (x, y) -> y.pow(3).mul(-0.5));
  public static final Primitive SIN = define("sin", UnaryOp.SIN, false, (x, y) -> x.cos());
  public static final Primitive COS = define("cos", UnaryOp.COS, false, (x, y) -> x.sin().neg());
  public static final Primitive TANH =
      define("tanh", UnaryOp.TANH, false,
          (x, t, y, p) -> tanhBackward(t[0], y), (ct, x, y, p) -> new Tensor[] {tanhBackward(ct, y)});
  public static final Primitive LOGISTIC =
      define("logistic", UnaryOp.LOGISTIC, false, (x, y) -> y.mul(y.neg().add(1)));
  public static final Primitive ERF =
      define("erf", UnaryOp.ERF, false, (x, y) -> x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI)));

  private static Primitive define(
      String name, UnaryOp op, boolean keepsIntegers, Rules.Derivative derivative) {
    if (derivative == null) {
      return card(name, op, keepsIntegers)
          .nonDifferentiable("piecewise constant: its derivative is zero almost everywhere");
    }
    return define(name, op, keepsIntegers, Rules.unaryJvp(derivative), Rules.unaryVjp(derivative));
  }

  private static Primitive define(
      String name, UnaryOp op, boolean keepsIntegers, JvpRule jvp, VjpRule vjp) {
    return card(name, op, keepsIntegers).jvp(jvp).vjp(vjp);
  }

  private static Primitive card(String name, UnaryOp op, boolean keepsIntegers) {
    Primitive p =
        Primitive.define(
            name,
            1,
            (in, params) -> unaryType(name, in[0], keepsIntegers),
            (in, params, out) -> Elementwise.unary(op, in[0], out));
    return p.batch(Rules.vectorized(p));
  }

  // NOTE [Backward primitives]: tanh's derivative applied to a cotangent, g * (1 - y^2), is one
  // primitive (PyTorch's tanh_backward) with rules of its own, rather than the ops g.mul(y.pow(2)
  // .neg().add(1)). Under jvp of a backward pass (hessian = jacfwd of jacrev) the tangent of
  // those ops is built from the tangent of (1 - y^2): as large as the batched tangent, then
  // multiplied by g (five products and sums of that size). The primitive's jvp instead
  // multiplies the tangents by small factors formed from the primals: tg * (1 - y^2) + ty * (-2 g y),
  // three of that size.

  /**
   * {@code tanh_backward(g, y) = g * (1 - y^2)}: the derivative of tanh at x applied to {@code g},
   * given {@code y = tanh(x)}; operands broadcast. {@code g: t[a...], y: t[b...] ->
   * t[broadcast(a,b)]}. NOTE [Backward primitives].
   */
  public static final Primitive TANH_BACKWARD =
      Primitive.define(
          "tanh_backward",
          2,
          (in, p) -> Elementwise.binaryType("tanh_backward", in[0], in[1], false),
          (in, p, out) -> (DenseTensor) in[0].mul(in[1].scalarLike(1).sub(in[1].pow(2))));

  static {
    TANH_BACKWARD
        .batch(Rules.broadcasting(TANH_BACKWARD))
        .jvp((x, t, y, p) -> Rules.broadcastTo(ElementwiseBinary.plus(
            t[0] == null ? null : tanhBackward(t[0], x[1]),
            t[1] == null ? null : t[1].mul(x[0].mul(x[1]).mul(-2))), y.shape()))
        .vjp((ct, x, y, p, wanted) -> new Tensor[] {
          wanted[0] ? Rules.unbroadcast(tanhBackward(ct, x[1]), x[0].type()) : null,
          wanted[1] ? Rules.unbroadcast(ct.mul(x[0].mul(x[1]).mul(-2)), x[1].type()) : null});
  }

  /** {@code g * (1 - y^2)}, see {@link #TANH_BACKWARD}. */
  public static Tensor tanhBackward(Tensor g, Tensor y) {
    return Bind.bind(TANH_BACKWARD, Params.NONE, g, y);
  }

  private static TensorType unaryType(String name, TensorType x, boolean keepsIntegers) {
    if (x.dtype() == DType.BOOL) {
      throw new EngineException(
          name, "a numeric tensor (f32, f64 or i64)", "x: " + x,
          "convert the mask first, e.g. mask.to(DType.F32)");
    }
    if (x.dtype() == DType.I64 && !keepsIntegers) {
      return x.withDType(DType.F32);
    }
    return x;
  }

  /** {@code -x}. */
  public static Tensor neg(Tensor x) {
    return Bind.bind(NEG, Params.NONE, x);
  }

  /** {@code |x|}. */
  public static Tensor abs(Tensor x) {
    return Bind.bind(ABS, Params.NONE, x);
  }

  /** {@code sign(x)}. */
  public static Tensor sign(Tensor x) {
    return Bind.bind(SIGN, Params.NONE, x);
  }

  /** {@code e^x}. */
  public static Tensor exp(Tensor x) {
    return Bind.bind(EXP, Params.NONE, x);
  }

  /** {@code ln x}. */
  public static Tensor log(Tensor x) {
    return Bind.bind(LOG, Params.NONE, x);
  }

  /** {@code ln(1+x)}. */
  public static Tensor log1p(Tensor x) {
    return Bind.bind(LOG1P, Params.NONE, x);
  }

  /** {@code e^x - 1}. */
  public static Tensor expm1(Tensor x) {
    return Bind.bind(EXPM1, Params.NONE, x);
  }

  /** {@code sqrt x}. */
  public static Tensor sqrt(Tensor x) {
    return Bind.bind(SQRT, Params.NONE, x);
  }

  /** {@code 1/sqrt x}. */
  public static Tensor rsqrt(Tensor x) {
    return Bind.bind(RSQRT, Params.NONE, x);
  }

  /** {@code sin x}. */
  public static Tensor sin(Tensor x) {
    return Bind.bind(SIN, Params.NONE, x);
  }

  /** {@code cos x}. */
  public static Tensor cos(Tensor x) {
    return Bind.bind(COS, Params.NONE, x);
  }

  /** {@code tanh x}. */
  public static Tensor tanh(Tensor x) {
    return Bind.bind(TANH, Params.NONE, x);
  }

  /** The Gauss error function. */
  public static Tensor erf(Tensor x) {
    return Bind.bind(ERF, Params.NONE, x);
  }

  /** {@code 1/(1+e^-x)}. */
  public static Tensor logistic(Tensor x) {
    return Bind.bind(LOGISTIC, Params.NONE, x);
  }
}
