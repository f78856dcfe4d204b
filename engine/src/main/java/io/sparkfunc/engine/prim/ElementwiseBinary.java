package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.JvpRule;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.kernel.CompareOp;

/**
 * Elementwise binary primitives with NumPy broadcasting, comparisons and {@code select} (where):
 * {@code a: t[a...], b: t[b...] -> t[broadcast(a,b)]}. Dtypes promote {@code bool < i64 < f32 <
 * f64}; {@code div} of integers gives f32 (true division, as PyTorch's {@code /}).
 */
public final class ElementwiseBinary {
  private ElementwiseBinary() {}

  // Arithmetic cards: name, kernel, and the partial derivatives (d/da, d/db) from (a, b, out);
  // jvp is ta*da + tb*db, vjp is (ct*da, ct*db) summed back to each operand's shape (the wanted
  // ones, NOTE [Wanted cotangents]). A null partial is the constant 1. vmap: broadcasting. sub's
  // jvp is ta - tb (one op, not ta + tb*-1).
  public static final Primitive ADD = arithmetic("add", BinaryOp.ADD, (a, b, y) -> null, (a, b, y) -> null);
  public static final Primitive SUB =
      arithmetic("sub", BinaryOp.SUB, (a, b, y) -> null, (a, b, y) -> y.scalarLike(-1),
          (x, t, y, params) -> t[1] == null ? Rules.broadcastTo(t[0], y.shape())
              : Rules.broadcastTo(t[0] == null ? t[1].neg() : t[0].sub(t[1]), y.shape()));
  public static final Primitive MUL = arithmetic("mul", BinaryOp.MUL, (a, b, y) -> b, (a, b, y) -> a);
  public static final Primitive DIV =
      arithmetic("div", BinaryOp.DIV, (a, b, y) -> b.pow(-1), (a, b, y) -> y.div(b).neg());
  public static final Primitive MAX =
      arithmetic("max", BinaryOp.MAX, (a, b, y) -> share(a.gt(b), a, b), (a, b, y) -> share(b.gt(a), a, b));
  public static final Primitive MIN =
      arithmetic("min", BinaryOp.MIN, (a, b, y) -> share(a.lt(b), a, b), (a, b, y) -> share(b.lt(a), a, b));
  public static final Primitive POW =
      arithmetic(
          "pow",
          BinaryOp.POW,
          (a, b, y) -> b.mul(a.pow(b.sub(1))),
          (a, b, y) -> a.eq(a.scalarLike(0)).where(y.scalarLike(0), y.mul(a.log())));

  /** Parameters of {@link #POW_SCALAR}: the exponent. */
  public record PowScalar(double exponent) implements Params {}

  public static final Primitive POW_SCALAR =
      Primitive.define(
              "pow_scalar",
              1,
              (in, p) -> powScalarType(in[0], ((PowScalar) p).exponent()),
              (in, p, out) -> Elementwise.powScalar(in[0], ((PowScalar) p).exponent(), out))
          .jvp((x, t, y, p) -> timesPowDerivative(t[0], x[0], ((PowScalar) p).exponent()))
          .vjp((ct, x, y, p) -> new Tensor[] {timesPowDerivative(ct, x[0], ((PowScalar) p).exponent())});

  static {
    POW_SCALAR.batch(Rules.vectorized(POW_SCALAR));
  }

  public static final Primitive EQ = comparison("eq", CompareOp.EQ);
  public static final Primitive NE = comparison("ne", CompareOp.NE);
  public static final Primitive LT = comparison("lt", CompareOp.LT);
  public static final Primitive LE = comparison("le", CompareOp.LE);
  public static final Primitive GT = comparison("gt", CompareOp.GT);
  public static final Primitive GE = comparison("ge", CompareOp.GE);

  /** {@code select(mask, a, b)}: {@code a} where mask, else {@code b}; all three broadcast. */
  public static final Primitive SELECT =
      Primitive.define(
              "select",
              3,
              (in, p) -> selectType(in[0], in[1], in[2]),
              (in, p, out) -> Elementwise.select(in[0], in[1], in[2], out))
          .jvp((x, t, y, p) -> Rules.broadcastTo(x[0].where(orZero(t[1], y), orZero(t[2], y)), y.shape()))
          .vjp((ct, x, y, p, wanted) -> new Tensor[] {
            null,
            wanted[1] ? Rules.unbroadcast(x[0].where(ct, ct.scalarLike(0)), x[1].type()) : null,
            wanted[2] ? Rules.unbroadcast(x[0].where(ct.scalarLike(0), ct), x[2].type()) : null
          });

  static {
    SELECT.batch(Rules.broadcasting(SELECT));
  }

  /** A partial derivative of a binary op from (a, b, out); null means the constant 1. */
  @FunctionalInterface
  interface Partial {
    Tensor apply(Tensor a, Tensor b, Tensor out);
  }

  private static Primitive arithmetic(String name, BinaryOp op, Partial da, Partial db) {
    return arithmetic(name, op, da, db,
        (x, t, y, params) -> Rules.broadcastTo(plus(times(t[0], da, x, y), times(t[1], db, x, y)), y.shape()));
  }

  /** An arithmetic card with its own forward rule (one op where ta*da + tb*db would take more). */
  private static Primitive arithmetic(String name, BinaryOp op, Partial da, Partial db, JvpRule jvp) {
    Primitive p =
        Primitive.define(
            name,
            2,
            (in, params) -> Elementwise.binaryType(name, in[0], in[1], op == BinaryOp.DIV),
            (in, params, out) -> Elementwise.binary(op, in[0], in[1], out));
    return p.batch(Rules.broadcasting(p))
        .jvp(jvp)
        .vjp((ct, x, y, params, wanted) -> new Tensor[] {
          wanted[0] ? Rules.unbroadcast(times(ct, da, x, y), x[0].type()) : null,
          wanted[1] ? Rules.unbroadcast(times(ct, db, x, y), x[1].type()) : null
        });
  }

  /** {@code t * d(a, b, out)}, null if {@code t} is a zero tangent. */
  private static Tensor times(Tensor t, Partial d, Tensor[] x, Tensor y) {
    if (t == null) {
      return null;
    }
    Tensor factor = d.apply(x[0], x[1], y);
    return factor == null ? t : t.mul(factor);
  }

  /** {@code a + b} where null is a symbolic zero (null if both are). */
  static Tensor plus(Tensor a, Tensor b) {
    return a == null ? b : b == null ? a : a.add(b);
  }

  /** 1 where {@code wins}, 1/2 where a == b (ties share the gradient, as PyTorch), else 0. */
  private static Tensor share(Tensor wins, Tensor a, Tensor b) {
    return wins.where(a.scalarLike(1), a.eq(b).where(a.scalarLike(0.5), a.scalarLike(0)));
  }

  /**
   * {@code g * p x^(p-1)}: the tangent or cotangent {@code g} of {@code x^p}. Exponents 1 and 2
   * take fewer passes over memory ({@code g} and {@code g * 2x} instead of a power and two
   * products; the jvp of {@code x^3 + 2x^2 + x} on 10^6 elements is a chain of such passes).
   */
  private static Tensor timesPowDerivative(Tensor g, Tensor x, double p) {
    if (p == 0) {
      return g.mul(x.scalarLike(0));
    } else if (p == 1 && g.dtype() == x.dtype()) {
      return g;
    } else if (p == 2) {
      return g.mul(x.mul(2));
    }
    return g.mul(x.pow(p - 1).mul(p));
  }

  private static Tensor orZero(Tensor t, Tensor like) {
    return t != null ? t : like.scalarLike(0);
  }

  private static Primitive comparison(String name, CompareOp op) {
    Primitive p =
        Primitive.define(
            name,
            2,
            (in, params) -> new TensorType(DType.BOOL, Shape.broadcast(name, in[0], in[1])),
            (in, params, out) -> Elementwise.compare(op, in[0], in[1], out));
    return p.batch(Rules.broadcasting(p)).nonDifferentiable("boolean output");
  }

  private static TensorType powScalarType(TensorType x, double exponent) {
    if (x.dtype() == DType.BOOL || (x.dtype() == DType.I64 && exponent != Math.rint(exponent))) {
      return x.withDType(DType.F32);
    }
    return x;
  }

  private static TensorType selectType(TensorType mask, TensorType a, TensorType b) {
    if (mask.dtype() != DType.BOOL) {
      throw new EngineException(
          "where", "condition of dtype bool", "condition: " + mask,
          "build the condition with a comparison such as x.gt(0), or x.ne(0) for a numeric mask");
    }
    TensorType ab = new TensorType(a.dtype().promote(b.dtype()), Shape.broadcast("where", a, b));
    return new TensorType(ab.dtype(), Shape.broadcast("where", mask, ab));
  }

  /** {@code a + b}. */
  public static Tensor add(Tensor a, Tensor b) {
    return Bind.bind(ADD, Params.NONE, a, b);
  }

  /** {@code a - b}. */
  public static Tensor sub(Tensor a, Tensor b) {
    return Bind.bind(SUB, Params.NONE, a, b);
  }

  /** {@code a * b}. */
  public static Tensor mul(Tensor a, Tensor b) {
    return Bind.bind(MUL, Params.NONE, a, b);
  }

  /** {@code a / b}. */
  public static Tensor div(Tensor a, Tensor b) {
    return Bind.bind(DIV, Params.NONE, a, b);
  }

  /** NaN-propagating elementwise maximum. */
  public static Tensor max(Tensor a, Tensor b) {
    return Bind.bind(MAX, Params.NONE, a, b);
  }

  /** NaN-propagating elementwise minimum. */
  public static Tensor min(Tensor a, Tensor b) {
    return Bind.bind(MIN, Params.NONE, a, b);
  }

  /** {@code a ^ b}. */
  public static Tensor pow(Tensor a, Tensor b) {
    return Bind.bind(POW, Params.NONE, a, b);
  }

  /** {@code x ^ exponent}. */
  public static Tensor powScalar(Tensor x, double exponent) {
    return Bind.bind(POW_SCALAR, new PowScalar(exponent), x);
  }

  /** A comparison primitive ({@link #EQ} ... {@link #GE}) applied to {@code a, b}. */
  public static Tensor compare(Primitive comparison, Tensor a, Tensor b) {
    return Bind.bind(comparison, Params.NONE, a, b);
  }

  /** {@code where(mask, a, b)}. */
  public static Tensor select(Tensor mask, Tensor a, Tensor b) {
    return Bind.bind(SELECT, Params.NONE, mask, a, b);
  }
}
