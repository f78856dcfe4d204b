package io.sparkfunc.engine;

import io.sparkfunc.engine.prim.ElementwiseBinary;
import io.sparkfunc.engine.prim.ElementwiseUnary;
import io.sparkfunc.engine.prim.Materialize;
import io.sparkfunc.engine.prim.Structural;

/**
 * An n-dimensional array of one {@link DType}: the value every op takes and returns.
 *
 * <p>A {@code Tensor} is either concrete ({@link DenseTensor}: data in a {@code Storage}) or, under
 * a transform, a tracer standing for a value being transformed. Every op below goes through a
 * primitive's {@code bind}, so user code written against this class works unchanged under every
 * transform. Ops never modify their operands except the in-place ones, whose names end in {@code
 * _} as in PyTorch.
 *
 * <p>Shapes in docs read like {@code x: f32[n,d] -> f32[n]}. Binary ops broadcast as NumPy and
 * PyTorch do and promote {@code bool < i64 < f32 < f64}; a Java {@code double} operand takes the
 * tensor's dtype (like a Python scalar in PyTorch).
 */
public abstract class Tensor {

  /** The dtype and shape. */
  public abstract TensorType type();

  /**
   * This tensor's concrete data. Engine-internal: tracers throw an error naming {@code op}
   * because their value is not known while a transform traces.
   */
  public abstract DenseTensor concrete(String op);

  /** Element type. */
  public final DType dtype() {
    return type().dtype();
  }

  /** A copy of the shape. */
  public final int[] shape() {
    return type().shape();
  }

  /** Extent of {@code axis}; negative axes count from the end. */
  public final int size(int axis) {
    return type().dim(Shape.normalizeAxis("size", "axis", axis, rank(), type()));
  }

  /** Number of axes. */
  public final int rank() {
    return type().rank();
  }

  /** Number of elements. */
  public final long numel() {
    return type().numel();
  }

  // ---- data out (concrete tensors only) ----

  /** The elements in row-major order as floats (converting if needed): {@code x: t[...] -> float[numel]}. */
  public final float[] toFloatArray() {
    return Materialize.toFloatArray(concrete("toFloatArray"));
  }

  /** The elements in row-major order as doubles (converting if needed). */
  public final double[] toDoubleArray() {
    return Materialize.toDoubleArray(concrete("toDoubleArray"));
  }

  /** The elements in row-major order as longs (floats truncate toward zero). */
  public final long[] toLongArray() {
    return Materialize.toLongArray(concrete("toLongArray"));
  }

  /** The elements in row-major order as booleans (non-zero is true). */
  public final boolean[] toBooleanArray() {
    return Materialize.toBooleanArray(concrete("toBooleanArray"));
  }

  /** The value of a one-element tensor, as a double. */
  public final double item() {
    DenseTensor d = concrete("item");
    if (d.numel() != 1) {
      throw new io.sparkfunc.engine.core.EngineException(
          "item", "a tensor with exactly one element", type().toString(),
          "reduce first (e.g. sum()) or index a single element with get(...)");
    }
    return d.storage().getDouble(d.offset());
  }

  /** The element at {@code index} (one index per axis, negative from the end), as a double. */
  public final double get(int... index) {
    DenseTensor d = concrete("get");
    return d.storage().getDouble(d.storageIndex(index));
  }

  /** A contiguous copy with its own storage. */
  public final Tensor copy() {
    return io.sparkfunc.engine.prim.Convert.copy(this);
  }

  // ---- elementwise unary: x: t[...] -> t[...] ----

  /** {@code -x}. */
  public final Tensor neg() {
    return ElementwiseUnary.neg(this);
  }

  /** {@code |x|}. */
  public final Tensor abs() {
    return ElementwiseUnary.abs(this);
  }

  /** {@code sign(x)} in {-1, 0, 1} (NaN stays NaN). */
  public final Tensor sign() {
    return ElementwiseUnary.sign(this);
  }

  /** {@code e^x}. */
  public final Tensor exp() {
    return ElementwiseUnary.exp(this);
  }

  /** Natural log; NaN below 0, -inf at 0 (IEEE, as PyTorch). */
  public final Tensor log() {
    return ElementwiseUnary.log(this);
  }

  /** {@code log(1 + x)}, accurate near 0. */
  public final Tensor log1p() {
    return ElementwiseUnary.log1p(this);
  }

  /** {@code e^x - 1}, accurate near 0. */
  public final Tensor expm1() {
    return ElementwiseUnary.expm1(this);
  }

  /** Square root; NaN below 0. */
  public final Tensor sqrt() {
    return ElementwiseUnary.sqrt(this);
  }

  /** {@code 1 / sqrt(x)}. */
  public final Tensor rsqrt() {
    return ElementwiseUnary.rsqrt(this);
  }

  /** Sine. */
  public final Tensor sin() {
    return ElementwiseUnary.sin(this);
  }

  /** Cosine. */
  public final Tensor cos() {
    return ElementwiseUnary.cos(this);
  }

  /** Hyperbolic tangent. */
  public final Tensor tanh() {
    return ElementwiseUnary.tanh(this);
  }

  /** Logistic sigmoid {@code 1 / (1 + e^-x)}. */
  public final Tensor sigmoid() {
    return ElementwiseUnary.logistic(this);
  }

  /** The Gauss error function {@code erf(x)}. */
  public final Tensor erf() {
    return ElementwiseUnary.erf(this);
  }

  // ---- elementwise binary (broadcasting): x: t[a...], y: t[b...] -> t[broadcast(a,b)] ----

  /** {@code this + other}. */
  public final Tensor add(Tensor other) {
    return ElementwiseBinary.add(this, other);
  }

  /** {@code this + c}. */
  public final Tensor add(double c) {
    return ElementwiseBinary.add(this, scalarLike(c));
  }

  /** {@code this - other}. */
  public final Tensor sub(Tensor other) {
    return ElementwiseBinary.sub(this, other);
  }

  /** {@code this - c}. */
  public final Tensor sub(double c) {
    return ElementwiseBinary.sub(this, scalarLike(c));
  }

  /** {@code this * other}. */
  public final Tensor mul(Tensor other) {
    return ElementwiseBinary.mul(this, other);
  }

  /** {@code this * c}. */
  public final Tensor mul(double c) {
    return ElementwiseBinary.mul(this, scalarLike(c));
  }

  /** {@code this / other} (true division; integer operands promote as in PyTorch's {@code /}). */
  public final Tensor div(Tensor other) {
    return ElementwiseBinary.div(this, other);
  }

  /** {@code this / c}. */
  public final Tensor div(double c) {
    return ElementwiseBinary.div(this, scalarLike(c));
  }

  /** {@code this ^ other}. */
  public final Tensor pow(Tensor other) {
    return ElementwiseBinary.pow(this, other);
  }

  /** {@code this ^ c} (scalar exponent; integral exponents use repeated multiplication). */
  public final Tensor pow(double c) {
    return ElementwiseBinary.powScalar(this, c);
  }

  /** Elementwise maximum, NaN-propagating (torch.maximum). */
  public final Tensor maximum(Tensor other) {
    return ElementwiseBinary.max(this, other);
  }

  /** Elementwise minimum, NaN-propagating (torch.minimum). */
  public final Tensor minimum(Tensor other) {
    return ElementwiseBinary.min(this, other);
  }

  // ---- compare and select: -> bool[broadcast] ----

  /** {@code this == other}. */
  public final Tensor eq(Tensor other) {
    return ElementwiseBinary.compare(ElementwiseBinary.EQ, this, other);
  }

  /** {@code this != other}. */
  public final Tensor ne(Tensor other) {
    return ElementwiseBinary.compare(ElementwiseBinary.NE, this, other);
  }

  /** {@code this < other}. */
  public final Tensor lt(Tensor other) {
    return ElementwiseBinary.compare(ElementwiseBinary.LT, this, other);
  }

  /** {@code this <= other}. */
  public final Tensor le(Tensor other) {
    return ElementwiseBinary.compare(ElementwiseBinary.LE, this, other);
  }

  /** {@code this > other}. */
  public final Tensor gt(Tensor other) {
    return ElementwiseBinary.compare(ElementwiseBinary.GT, this, other);
  }

  /** {@code this >= other}. */
  public final Tensor ge(Tensor other) {
    return ElementwiseBinary.compare(ElementwiseBinary.GE, this, other);
  }

  /** {@code this > c}. */
  public final Tensor gt(double c) {
    return gt(scalarLike(c));
  }

  /** {@code this < c}. */
  public final Tensor lt(double c) {
    return lt(scalarLike(c));
  }

  /**
   * {@code where(this, a, b)}: picks {@code a} where this bool mask is true, else {@code b}. All
   * three broadcast: {@code mask: bool[m...], a: t[a...], b: t[b...] -> t[broadcast]}.
   */
  public final Tensor where(Tensor a, Tensor b) {
    return ElementwiseBinary.select(this, a, b);
  }

  // ---- views (no copy for concrete tensors) ----

  /**
   * Same data, new shape; one extent may be -1 (inferred). A view when the layout allows (as
   * {@code torch.reshape}), else a copy.
   */
  public final Tensor reshape(int... newShape) {
    return Structural.reshape(this, newShape);
  }

  /** Swaps two axes: {@code f32[a,b,c].transpose(0,2) -> f32[c,b,a]}. A view. */
  public final Tensor transpose(int axis0, int axis1) {
    return Structural.transpose(this, axis0, axis1);
  }

  /** Reorders axes: output axis i is input axis {@code perm[i]}. A view. */
  public final Tensor permute(int... perm) {
    return Structural.permute(this, perm);
  }

  /** Moves axis {@code source} to position {@code destination}, keeping the others in order. A view. */
  public final Tensor movedim(int source, int destination) {
    return Structural.movedim(this, source, destination);
  }

  /** Broadcasts to {@code shape} (NumPy rules; -1 keeps an extent). A view with stride 0 on new axes. */
  public final Tensor expand(int... newShape) {
    return Structural.expand(this, newShape);
  }

  /**
   * Elements {@code start, start+step, ...} below {@code end} along {@code axis} (negative start and
   * end count from the end, clamped like Python slices). A view.
   */
  public final Tensor slice(int axis, int start, int end, int step) {
    return Structural.slice(this, axis, start, end, step);
  }

  /** Removes every axis of extent 1. A view. */
  public final Tensor squeeze() {
    return Structural.squeeze(this);
  }

  /** Removes {@code axis} if its extent is 1 (else returns this, as PyTorch). A view. */
  public final Tensor squeeze(int axis) {
    return Structural.squeeze(this, axis);
  }

  /** Inserts an axis of extent 1 at {@code axis} (in [-rank-1, rank]). A view. */
  public final Tensor unsqueeze(int axis) {
    return Structural.unsqueeze(this, axis);
  }

  /** Index {@code index} along {@code axis}, dropping that axis: {@code f32[a,b].select(0,i) -> f32[b]}. A view. */
  public final Tensor select(int axis, int index) {
    return Structural.select(this, axis, index);
  }

  /** Transposes the last two axes: {@code t[...,m,n] -> t[...,n,m]}. A view. */
  public final Tensor mT() {
    return transpose(-2, -1);
  }

  // ---- reductions and indexing ----

  /** Sum of all elements: {@code t[...] -> t[]} (bool gives i64). */
  public final Tensor sum() {
    return io.sparkfunc.engine.prim.Reductions.sum(this);
  }

  /**
   * Sum over {@code axes} (negative from the end; none means all): {@code f32[a,b,c].sum(false, 1)
   * -> f32[a,c]}, {@code f32[a,1,c]} with keepdim.
   */
  public final Tensor sum(boolean keepdim, int... axes) {
    return io.sparkfunc.engine.prim.Reductions.sum(this, keepdim, axes);
  }

  /** Largest element, NaN if any is NaN: {@code t[...] -> t[]}. */
  public final Tensor max() {
    return io.sparkfunc.engine.prim.Reductions.max(this);
  }

  /**
   * Largest value over {@code axes} (none means all), like {@code torch.amax}: {@code f32[a,b].max(false,
   * 0) -> f32[b]}.
   */
  public final Tensor max(boolean keepdim, int... axes) {
    return io.sparkfunc.engine.prim.Reductions.max(this, keepdim, axes);
  }

  /** Smallest element, NaN if any is NaN: {@code t[...] -> t[]}. */
  public final Tensor min() {
    return io.sparkfunc.engine.prim.Reductions.min(this);
  }

  /** Smallest value over {@code axes} (none means all), like {@code torch.amin}. */
  public final Tensor min(boolean keepdim, int... axes) {
    return io.sparkfunc.engine.prim.Reductions.min(this, keepdim, axes);
  }

  /** Index of the largest element of the flattened tensor: {@code t[...] -> i64[]}. */
  public final Tensor argmax() {
    return io.sparkfunc.engine.prim.Reductions.argmax(this);
  }

  /**
   * Index along {@code axis} of the largest element (first on ties, first NaN): {@code
   * f32[a,b].argmax(1, false) -> i64[a]}.
   */
  public final Tensor argmax(int axis, boolean keepdim) {
    return io.sparkfunc.engine.prim.Reductions.argmax(this, axis, keepdim);
  }

  /** Index of the smallest element of the flattened tensor: {@code t[...] -> i64[]}. */
  public final Tensor argmin() {
    return io.sparkfunc.engine.prim.Reductions.argmin(this);
  }

  /** Index along {@code axis} of the smallest element (first on ties, first NaN). */
  public final Tensor argmin(int axis, boolean keepdim) {
    return io.sparkfunc.engine.prim.Reductions.argmin(this, axis, keepdim);
  }

  /** Running sum along {@code axis}: {@code f32[a,b] -> f32[a,b]} (bool gives i64). */
  public final Tensor cumsum(int axis) {
    return io.sparkfunc.engine.prim.Reductions.cumsum(this, axis);
  }

  /**
   * {@code torch.gather}: {@code f32[a,b].gather(1, i64[a,k]) -> f32[a,k]}, {@code out[i][j] =
   * x[i][index[i][j]]}.
   */
  public final Tensor gather(int axis, Tensor index) {
    return io.sparkfunc.engine.prim.Indexing.gather(this, axis, index);
  }

  /** {@code torch.index_select}: {@code f32[a,b].indexSelect(0, i64[k]) -> f32[k,b]}. */
  public final Tensor indexSelect(int axis, Tensor index) {
    return io.sparkfunc.engine.prim.Indexing.indexSelect(this, axis, index);
  }

  /**
   * Out-of-place {@code torch.scatter_add}: a copy with {@code src} added at {@code index} along
   * {@code axis}: {@code f32[a,b].scatterAdd(1, i64[a,k], f32[a,k]) -> f32[a,b]}.
   */
  public final Tensor scatterAdd(int axis, Tensor index, Tensor src) {
    return io.sparkfunc.engine.prim.Indexing.scatterAdd(this, axis, index, src);
  }

  /**
   * Constant padding like {@code torch.nn.functional.pad}: (low, high) pairs from the last axis,
   * negative amounts crop: {@code f32[a,b].pad(new int[] {1, 2}, 0) -> f32[a,b+3]}.
   */
  public final Tensor pad(int[] padding, double value) {
    return io.sparkfunc.engine.prim.Combine.pad(this, padding, value);
  }

  /**
   * Joins tensors of one shape along a new axis, like {@code torch.stack}: {@code [t[a,b] x k], 1
   * -> t[a,k,b]}.
   */
  public static Tensor stack(java.util.List<Tensor> tensors, int axis) {
    return io.sparkfunc.engine.prim.Combine.stack(tensors, axis);
  }

  /** Joins tensors along {@code axis}, like {@code torch.cat}: {@code [t[a,b], t[c,b]], 0 -> t[a+c,b]}. */
  public static Tensor concatenate(java.util.List<Tensor> tensors, int axis) {
    return io.sparkfunc.engine.prim.Combine.concatenate(tensors, axis);
  }

  // ---- conversion and in-place ----

  /**
   * This tensor converted to {@code dtype} ({@code t[...] -> dtype[...]}), or this very tensor if
   * it already has that dtype. Floats to i64 truncate toward zero; to bool is {@code != 0}.
   */
  public final Tensor to(DType dtype) {
    return io.sparkfunc.engine.prim.Convert.convert(this, dtype);
  }

  /**
   * {@code this += other} in place, writing through this view into its storage; returns this.
   * {@code other} broadcasts to this shape; the promoted dtype must cast to this dtype (no float
   * into i64 or bool).
   */
  public final Tensor add_(Tensor other) {
    return io.sparkfunc.engine.prim.Mutation.add_(this, other);
  }

  /** {@code this += c} in place; returns this. */
  public final Tensor add_(double c) {
    return io.sparkfunc.engine.prim.Mutation.add_(this, scalarLike(c));
  }

  /** {@code this *= other} in place (rules as {@link #add_(Tensor)}); returns this. */
  public final Tensor mul_(Tensor other) {
    return io.sparkfunc.engine.prim.Mutation.mul_(this, other);
  }

  /** {@code this *= c} in place; returns this. */
  public final Tensor mul_(double c) {
    return io.sparkfunc.engine.prim.Mutation.mul_(this, scalarLike(c));
  }

  /** Copies {@code src} into this in place, broadcasting it and converting any dtype; returns this. */
  public final Tensor copy_(Tensor src) {
    return io.sparkfunc.engine.prim.Mutation.copy_(this, src);
  }

  /**
   * {@code this[index[j]] = values[j]} along axis 0 in place, or {@code +=} if {@code accumulate}
   * (then duplicate indices sum; without it the last duplicate wins). {@code index: i64[k]},
   * {@code values} of this dtype broadcasting to {@code [k, shape[1:]...]}; returns this.
   */
  public final Tensor indexPut_(Tensor index, Tensor values, boolean accumulate) {
    return io.sparkfunc.engine.prim.Mutation.indexPut_(this, index, values, accumulate);
  }

  /** Out-of-place {@link #indexPut_}: a copy of this with the rows put, {@code t[n,r...] -> t[n,r...]}. */
  public final Tensor indexPut(Tensor index, Tensor values, boolean accumulate) {
    return io.sparkfunc.engine.prim.Mutation.indexPut(this, index, values, accumulate);
  }

  // ---- linear algebra ----

  /**
   * Matrix product with torch.matmul's rules: {@code t[m,k]·t[k,n] -> t[m,n]}, 1-D operands as a
   * row ({@code t[k]·t[k,n] -> t[n]}) or a column ({@code t[m,k]·t[k] -> t[m]}), {@code
   * t[k]·t[k] -> t[]}, and batched with broadcasting leading axes ({@code t[j,1,m,k]·t[5,k,n] ->
   * t[j,5,m,n]}).
   */
  public final Tensor matmul(Tensor other) {
    return io.sparkfunc.engine.prim.LinearAlgebra.matmul(this, other);
  }

  /** Outer product of two vectors: {@code t[m], t[n] -> t[m,n]}. */
  public final Tensor outer(Tensor other) {
    return io.sparkfunc.engine.prim.LinearAlgebra.outer(this, other);
  }

  // ---- composites (plain ops over primitives: ops.Stats, nn.Functional) ----

  /** Mean of all elements: {@code t[...] -> t[]}. */
  public final Tensor mean() {
    return io.sparkfunc.engine.ops.Stats.mean(this, false);
  }

  /** Mean over {@code axes}: {@code f32[a,b].mean(false, 1) -> f32[a]}. */
  public final Tensor mean(boolean keepdim, int... axes) {
    return io.sparkfunc.engine.ops.Stats.mean(this, keepdim, axes);
  }

  /** Unbiased variance (correction 1, as torch.var) over {@code axes}; all axes when none. */
  public final Tensor var(boolean keepdim, int... axes) {
    return io.sparkfunc.engine.ops.Stats.var(this, 1, keepdim, axes);
  }

  /** Unbiased standard deviation over {@code axes}; all axes when none. */
  public final Tensor std(boolean keepdim, int... axes) {
    return io.sparkfunc.engine.ops.Stats.std(this, 1, keepdim, axes);
  }

  /** Stable {@code log(sum(exp(x)))} over {@code axes}; all axes when none. */
  public final Tensor logsumexp(boolean keepdim, int... axes) {
    return io.sparkfunc.engine.ops.Stats.logsumexp(this, keepdim, axes);
  }

  /** The Euclidean norm of all elements: {@code t[...] -> t[]}. */
  public final Tensor norm() {
    return io.sparkfunc.engine.ops.Stats.norm(this, 2, false);
  }

  /** Softmax along {@code axis}. */
  public final Tensor softmax(int axis) {
    return io.sparkfunc.engine.nn.Functional.softmax(this, axis);
  }

  /** Log-softmax along {@code axis}. */
  public final Tensor logSoftmax(int axis) {
    return io.sparkfunc.engine.nn.Functional.logSoftmax(this, axis);
  }

  /** {@code max(x, 0)}. */
  public final Tensor relu() {
    return io.sparkfunc.engine.nn.Functional.relu(this);
  }

  // ---- helpers ----

  /** A 0-d tensor holding {@code c} in this tensor's dtype (f32 if this is integral and c is not). */
  public final Tensor scalarLike(double c) {
    DType t = dtype();
    if (!t.isFloating() && c != Math.rint(c)) {
      t = DType.F32;
    } else if (t == DType.BOOL) {
      t = DType.I64;
    }
    return Tensors.scalar(c, t);
  }

  @Override
  public String toString() {
    return Materialize.format(this);
  }
}
