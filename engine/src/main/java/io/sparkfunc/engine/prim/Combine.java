package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.prim.Reductions.Axis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Structural primitives that build a new tensor from pieces: {@code pad} (constant padding, or
 * cropping with negative amounts) and {@code concatenate} (variadic). Unlike the views in {@link
 * Structural} they always write fresh storage. They live apart from {@code Structural} to keep
 * both files small once the transforms add their rules beside each card. {@link #stack} is a
 * composite: unsqueeze, then {@code concatenate}.
 *
 * <ul>
 *   <li>{@code pad(x: t[a,b], low=(1,0), high=(2,3)) -> t[a+3,b+3]}, new elements set to a value.
 *   <li>{@code concatenate(t0: f32[a,b], t1: f64[c,b], axis=0) -> f64[a+c,b]}: dtypes promote
 *       ({@code bool < i64 < f32 < f64}); all other extents must match.
 * </ul>
 */
public final class Combine {
  private Combine() {}

  /**
   * Parameters of {@link #PAD}: per axis, elements added before ({@code low}) and after ({@code
   * high}); negative amounts remove elements. New elements hold {@code value} in x's dtype.
   */
  public record Pad(int[] low, int[] high, double value) implements Params {
    @Override
    public String toString() {
      return "{low=" + Arrays.toString(low) + ", high=" + Arrays.toString(high) + ", value=" + value + "}";
    }
  }

  public static final Primitive PAD =
      Primitive.define(
          "pad", 1, (in, p) -> padType(in[0], (Pad) p), (in, p, out) -> padImpl(in[0], (Pad) p, out));

  /** Variadic: {@code concatenate(t0, t1, ...)} along {@link Axis#axis()}. */
  public static final Primitive CONCATENATE =
      Primitive.define(
          "concatenate",
          -1,
          (in, p) -> concatenateType(in, ((Axis) p).axis()),
          (in, p, out) -> concatenateImpl(in, ((Axis) p).axis(), out));

  // Rules. Both are linear. The adjoint of pad is pad by the negated amounts (a crop where it
  // padded, zeros where it cropped); the adjoint of concatenate slices the cotangent back into
  // pieces. vmap: batch axis in front (unmapped pieces expanded), parameters extended by one axis.
  static {
    PAD.jvp((x, t, y, p) -> Bind.bind(PAD, zeroValue((Pad) p), t[0]))
        .vjp((ct, x, y, p) -> new Tensor[] {Bind.bind(PAD, negated((Pad) p), ct)})
        .batch((v, b, p, size) -> new BatchRule.Batched(
            Bind.bind(PAD, withBatchAxis((Pad) p), Rules.moveToFront(v[0], b[0])), 0));
    CONCATENATE
        .jvp((x, t, y, p) -> Bind.bind(CONCATENATE, p, tangentsOrZeros(x, t)))
        .vjp((ct, x, y, p) -> pieces(ct, x, ((Axis) p).axis()))
        .batch((v, b, p, size) -> {
          Tensor[] front = new Tensor[v.length];
          for (int i = 0; i < v.length; i++) {
            front[i] = Rules.toFront(v[i], b[i], size);
          }
          return new BatchRule.Batched(Bind.bind(CONCATENATE, new Axis(((Axis) p).axis() + 1), front), 0);
        });
  }

  private static Pad zeroValue(Pad p) {
    return new Pad(p.low(), p.high(), 0);
  }

  private static Pad negated(Pad p) {
    int[] low = p.low().clone();
    int[] high = p.high().clone();
    for (int i = 0; i < low.length; i++) {
      low[i] = -low[i];
      high[i] = -high[i];
    }
    return new Pad(low, high, 0);
  }

  private static Pad withBatchAxis(Pad p) {
    return new Pad(Structural.prepend(0, p.low()), Structural.prepend(0, p.high()), p.value());
  }

  private static Tensor[] tangentsOrZeros(Tensor[] x, Tensor[] t) {
    Tensor[] out = new Tensor[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = t[i] != null ? t[i] : io.sparkfunc.engine.Tensors.zerosLike(x[i]);
    }
    return out;
  }

  private static Tensor[] pieces(Tensor ct, Tensor[] x, int axis) {
    Tensor[] out = new Tensor[x.length];
    int at = 0;
    for (int i = 0; i < x.length; i++) {
      int n = x[i].type().dim(axis);
      out[i] = ct.slice(axis, at, at + n, 1);
      at += n;
    }
    return out;
  }

  // ---- pad ----

  private static TensorType padType(TensorType x, Pad p) {
    if (p.low().length != x.rank() || p.high().length != x.rank()) {
      throw new EngineException(
          "pad", "one low and one high amount per axis of x: " + x, p.toString(),
          "use the public helper Combine.pad, which takes (low, high) pairs from the last axis");
    }
    int[] shape = x.shape();
    for (int a = 0; a < shape.length; a++) {
      long n = (long) p.low()[a] + shape[a] + p.high()[a];
      if (n < 0 || n > Integer.MAX_VALUE) {
        throw new EngineException(
            "pad", "a non-negative padded extent at every axis",
            "extent " + shape[a] + " " + signed(p.low()[a]) + " " + signed(p.high()[a]) + " = " + n
                + " at axis " + a + " of x: " + x,
            "crop (negative padding) at most the axis extent");
      }
      shape[a] = (int) n;
    }
    return new TensorType(x.dtype(), shape);
  }

  private static String signed(int v) {
    return v < 0 ? "- " + (-(long) v) : "+ " + v;
  }

  /** Fills the output with the value, then copies the part of x that survives cropping into it. */
  private static DenseTensor padImpl(DenseTensor x, Pad p, TensorType outType) {
    DenseTensor out = DenseTensor.allocate(outType);
    if (p.value() != 0) {
      DenseTensor fill = DenseTensor.allocate(new TensorType(DType.F64));
      fill.storage().setDouble(0, p.value());
      Materialize.copyInto(fill, out);
    }
    int rank = x.rank();
    int[] shape = new int[rank];
    int from = x.offset();
    int to = 0;
    for (int a = 0; a < rank; a++) {
      int cropLow = Math.max(-p.low()[a], 0);
      shape[a] = Math.max(x.shapeRef()[a] - cropLow - Math.max(-p.high()[a], 0), 0);
      from += cropLow * x.stridesRef()[a];
      to += Math.max(p.low()[a], 0) * out.stridesRef()[a];
    }
    if (Shape.numel(shape) > 0) {
      Materialize.copyInto(
          new DenseTensor(x.storage(), shape, x.strides(), from),
          new DenseTensor(out.storage(), shape.clone(), out.strides(), to));
    }
    return out;
  }

  // ---- concatenate ----

  private static TensorType concatenateType(TensorType[] in, int axis) {
    if (in.length == 0) {
      throw new EngineException(
          "concatenate", "at least one tensor", "none", "pass a non-empty list of tensors");
    }
    TensorType first = in[0];
    if (first.rank() == 0) {
      throw new EngineException(
          "concatenate", "tensors of rank >= 1", "tensors[0]: " + first,
          "unsqueeze 0-d tensors first, e.g. t.unsqueeze(0)");
    }
    if (axis < 0 || axis >= first.rank()) {
      throw new EngineException(
          "concatenate", "an axis in [0, " + first.rank() + ")", "axis=" + axis + " for tensors[0]: " + first,
          "use the public helper, which normalises negative axes");
    }
    int[] shape = first.shape();
    DType dtype = first.dtype();
    for (int i = 1; i < in.length; i++) {
      checkConcatenable(in, i, axis);
      shape[axis] += in[i].dim(axis);
      dtype = dtype.promote(in[i].dtype());
    }
    return new TensorType(dtype, shape);
  }

  private static void checkConcatenable(TensorType[] in, int i, int axis) {
    TensorType first = in[0];
    TensorType t = in[i];
    boolean ok = t.rank() == first.rank();
    for (int d = 0; ok && d < t.rank(); d++) {
      ok = d == axis || t.dim(d) == first.dim(d);
    }
    if (!ok) {
      throw new EngineException(
          "concatenate", "tensors of one rank whose extents match except at axis " + axis,
          "tensors[0]: " + first + " and tensors[" + i + "]: " + t,
          "reshape or slice the tensors so that only axis " + axis + " differs");
    }
  }

  /** Copies each input into its block of the output, converting dtype on the way. */
  private static DenseTensor concatenateImpl(DenseTensor[] in, int axis, TensorType outType) {
    DenseTensor out = DenseTensor.allocate(outType);
    int step = out.stridesRef()[axis];
    int at = 0;
    for (DenseTensor t : in) {
      if (t.numel() > 0) {
        Materialize.copyInto(t, new DenseTensor(out.storage(), t.shape(), out.strides(), at * step));
      }
      at += t.shapeRef()[axis];
    }
    return out;
  }

  // ---- public helpers ----

  /**
   * Constant padding like {@code torch.nn.functional.pad(x, padding, value=value)}: {@code
   * padding} holds (low, high) pairs starting from the last axis, e.g. {@code (1, 2)} pads the
   * last axis with 1 element before and 2 after, {@code (1, 2, 0, 3)} also pads the second to last
   * with 3 after: {@code x: f32[a,b] -> f32[a+3,b+3]}. Negative amounts crop, as in PyTorch.
   * {@code value} is converted to x's dtype.
   */
  public static Tensor pad(Tensor x, int[] padding, double value) {
    int rank = x.rank();
    if (padding.length % 2 != 0 || padding.length > 2 * rank) {
      throw new EngineException(
          "pad", "an even number of amounts, at most 2 per axis of x: " + x.type(),
          "padding=" + Arrays.toString(padding),
          "give (low, high) pairs, last axis first, e.g. {1, 1} to pad the last axis by one on each side");
    }
    int[] low = new int[rank];
    int[] high = new int[rank];
    for (int i = 0; i < padding.length / 2; i++) {
      low[rank - 1 - i] = padding[2 * i];
      high[rank - 1 - i] = padding[2 * i + 1];
    }
    return Bind.bind(PAD, new Pad(low, high, value), x);
  }

  /**
   * Joins tensors along {@code axis} (negative counts from the end), like {@code torch.cat}:
   * {@code [t[a,b], t[c,b]], axis=0 -> t[a+c,b]}. Dtypes promote; other extents must match.
   */
  public static Tensor concatenate(List<Tensor> tensors, int axis) {
    if (tensors.isEmpty()) {
      throw new EngineException(
          "concatenate", "at least one tensor", "an empty list", "pass a non-empty list of tensors");
    }
    Tensor first = tensors.get(0);
    int a = Shape.normalizeAxis("concatenate", "dim", axis, first.rank(), first.type());
    return Bind.bind(CONCATENATE, new Axis(a), tensors.toArray(new Tensor[0]));
  }

  /**
   * Joins tensors of one shape along a new axis {@code axis} (in {@code [-rank-1, rank]}), like
   * {@code torch.stack}: {@code [t[a,b] x k], axis=1 -> t[a,k,b]}. Each tensor is unsqueezed at
   * {@code axis}, then all are concatenated there, so dtypes promote as in {@link #concatenate}.
   */
  public static Tensor stack(List<Tensor> tensors, int axis) {
    if (tensors.isEmpty()) {
      throw new EngineException(
          "stack", "at least one tensor", "an empty list", "pass a non-empty list of tensors");
    }
    TensorType first = tensors.get(0).type();
    int a = Shape.normalizeAxis("stack", "dim", axis, first.rank() + 1, first);
    List<Tensor> parts = new ArrayList<>(tensors.size());
    for (int i = 0; i < tensors.size(); i++) {
      TensorType t = tensors.get(i).type();
      if (!Arrays.equals(t.shape(), first.shape())) {
        throw new EngineException(
            "stack", "tensors of one shape", "tensors[0]: " + first + " and tensors[" + i + "]: " + t,
            "reshape, pad or slice the tensors to one shape, or concatenate along an existing axis");
      }
      parts.add(Structural.unsqueeze(tensors.get(i), a));
    }
    return Bind.bind(CONCATENATE, new Axis(a), parts.toArray(new Tensor[0]));
  }
}
