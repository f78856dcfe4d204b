package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
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

  public static final Primitive ADD = arithmetic("add", BinaryOp.ADD);
  public static final Primitive SUB = arithmetic("sub", BinaryOp.SUB);
  public static final Primitive MUL = arithmetic("mul", BinaryOp.MUL);
  public static final Primitive DIV = arithmetic("div", BinaryOp.DIV);
  public static final Primitive MAX = arithmetic("max", BinaryOp.MAX);
  public static final Primitive MIN = arithmetic("min", BinaryOp.MIN);
  public static final Primitive POW = arithmetic("pow", BinaryOp.POW);

  /** Parameters of {@link #POW_SCALAR}: the exponent. */
  public record PowScalar(double exponent) implements Params {}

  public static final Primitive POW_SCALAR =
      Primitive.define(
          "pow_scalar",
          1,
          (in, p) -> powScalarType(in[0], ((PowScalar) p).exponent()),
          (in, p, out) -> Elementwise.powScalar(in[0], ((PowScalar) p).exponent(), out));

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
          (in, p, out) -> Elementwise.select(in[0], in[1], in[2], out));

  private static Primitive arithmetic(String name, BinaryOp op) {
    return Primitive.define(
        name,
        2,
        (in, p) -> Elementwise.binaryType(name, in[0], in[1], op == BinaryOp.DIV),
        (in, p, out) -> Elementwise.binary(op, in[0], in[1], out));
  }

  private static Primitive comparison(String name, CompareOp op) {
    return Primitive.define(
        name,
        2,
        (in, p) -> new TensorType(DType.BOOL, Shape.broadcast(name, in[0], in[1])),
        (in, p, out) -> Elementwise.compare(op, in[0], in[1], out));
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
