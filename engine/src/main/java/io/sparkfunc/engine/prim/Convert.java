package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;

/**
 * Dtype conversion, {@code convert_element_type}: {@code x: s[...] -> t[...]}, a fresh contiguous
 * tensor. Element by element, like a C cast and PyTorch's {@code .to}:
 *
 * <ul>
 *   <li>float to i64 truncates toward zero ({@code -2.7 -> -2}); NaN becomes 0 and values beyond
 *       the i64 range saturate to {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE} (Java's cast;
 *       PyTorch leaves these undefined);
 *   <li>to bool is {@code x != 0} (so NaN is true); from bool, true is 1;
 *   <li>f64 to f32 and i64 to floats round to nearest (overflow to f32 gives infinity).
 * </ul>
 */
public final class Convert {
  private Convert() {}

  /** Parameters of {@link #CONVERT_ELEMENT_TYPE}: the target dtype. */
  public record ConvertElementType(DType newDType) implements Params {}

  public static final Primitive CONVERT_ELEMENT_TYPE =
      Primitive.define(
          "convert_element_type",
          1,
          (in, p) -> in[0].withDType(((ConvertElementType) p).newDType()),
          (in, p, out) -> Materialize.convert(in[0], out.dtype()));

  // Rules. Between floating dtypes the conversion is the identity map, so tangents and
  // cotangents are converted too; to or from integers and bool there is no derivative (a null
  // tangent / cotangent). vmap: elementwise.
  static {
    CONVERT_ELEMENT_TYPE
        .jvp((x, t, y, p) -> floating(x[0], y) ? Bind.bind(CONVERT_ELEMENT_TYPE, p, t[0]) : null)
        .vjp((ct, x, y, p) -> new Tensor[] {floating(x[0], y) ? convert(ct, x[0].dtype()) : null})
        .batch(Rules.vectorized(CONVERT_ELEMENT_TYPE));
  }

  private static boolean floating(Tensor x, Tensor y) {
    return x.dtype().isFloating() && y.dtype().isFloating();
  }

  /** {@code copy(x)}: a fresh contiguous tensor with x's values (PyTorch's {@code clone}). */
  public static final Primitive COPY =
      Primitive.define("copy", 1, (in, p) -> in[0], (in, p, out) -> Materialize.copy(in[0]))
          .jvp((x, t, y, p) -> t[0])
          .vjp((ct, x, y, p) -> new Tensor[] {ct});

  static {
    COPY.batch(Rules.vectorized(COPY));
  }

  /** A fresh copy of {@code x} with its own storage, traceable by every transform. */
  public static Tensor copy(Tensor x) {
    return Bind.bind(COPY, Params.NONE, x);
  }

  /** {@code x} in {@code dtype}; {@code x} itself if it already has that dtype (as PyTorch). */
  public static Tensor convert(Tensor x, DType dtype) {
    return x.dtype() == dtype ? x : Bind.bind(CONVERT_ELEMENT_TYPE, new ConvertElementType(dtype), x);
  }
}
