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
import io.sparkfunc.engine.storage.Storage;
import java.util.Arrays;

/**
 * Indexing by i64 index tensors, with PyTorch semantics: {@code gather}, {@code index_select} and
 * {@code scatter_add} (out of place).
 *
 * <ul>
 *   <li>{@code gather(x: t[a,b], axis=1, index: i64[a,k]) -> t[a,k]}, {@code out[i][j] =
 *       x[i][index[i][j]]}; index has x's rank and no larger extents except along {@code axis}.
 *   <li>{@code index_select(x: t[a,b], axis=1, index: i64[k]) -> t[a,k]}, {@code out[i][j] =
 *       x[i][index[j]]}.
 *   <li>{@code scatter_add(x: t[a,b], axis=1, index: i64[a,k], src: t[a,k]) -> t[a,b]}: a copy of
 *       x with {@code out[i][index[i][j]] += src[i][j]}; duplicates accumulate.
 * </ul>
 *
 * <p>Index values must lie in {@code [0, extent)}: like PyTorch, these ops reject negative
 * indices. Values are data, so they are checked when the kernel runs; the error names the op, the
 * bad value, its position in {@code index} and the valid range.
 */
public final class Indexing {
  private Indexing() {}

  public static final Primitive GATHER =
      Primitive.define(
          "gather",
          2,
          (in, p) -> gatherType(in[0], ((Axis) p).axis(), in[1]),
          (in, p, out) -> gatherImpl(in[0], ((Axis) p).axis(), in[1], out));

  public static final Primitive INDEX_SELECT =
      Primitive.define(
          "index_select",
          2,
          (in, p) -> indexSelectType(in[0], ((Axis) p).axis(), in[1]),
          (in, p, out) -> indexSelectImpl(in[0], ((Axis) p).axis(), in[1], out));

  public static final Primitive SCATTER_ADD =
      Primitive.define(
          "scatter_add",
          3,
          (in, p) -> scatterAddType(in[0], ((Axis) p).axis(), in[1], in[2]),
          (in, p, out) -> scatterAddImpl(in[0], ((Axis) p).axis(), in[1], in[2]));

  // Rules. gather and index_select are linear in x, scatter_add in x and src; their adjoints
  // swap gather and scatter_add. Indices carry no derivative. vmap: every operand gets the batch
  // axis in front (unmapped ones are expanded, a view) and the axis parameter shifts by one;
  // index_select with a batched index becomes a gather.
  static {
    GATHER
        .jvp((x, t, y, p) -> Bind.bind(GATHER, p, t[0], x[1]))
        .vjp((ct, x, y, p) -> new Tensor[] {
          Bind.bind(SCATTER_ADD, p, io.sparkfunc.engine.Tensors.zerosLike(x[0]), x[1], ct), null})
        .batch((v, b, p, size) -> new BatchRule.Batched(
            Bind.bind(GATHER, shift(p), Rules.toFront(v[0], b[0], size), Rules.toFront(v[1], b[1], size)), 0));
    INDEX_SELECT
        .jvp((x, t, y, p) -> Bind.bind(INDEX_SELECT, p, t[0], x[1]))
        .vjp((ct, x, y, p) -> new Tensor[] {
          Bind.bind(SCATTER_ADD, p, io.sparkfunc.engine.Tensors.zerosLike(x[0]), fullIndex(x[1], ct, ((Axis) p).axis()), ct), null})
        .batch(Indexing::indexSelectBatch);
    SCATTER_ADD
        .jvp((x, t, y, p) -> Bind.bind(SCATTER_ADD, p, orZeros(t[0], x[0]), x[1], orZeros(t[2], x[2])))
        .vjp((ct, x, y, p) -> new Tensor[] {ct, null, padTo(Bind.bind(GATHER, p, ct, x[1]), x[2])})
        .batch((v, b, p, size) -> new BatchRule.Batched(Bind.bind(SCATTER_ADD, shift(p),
            Rules.toFront(v[0], b[0], size), Rules.toFront(v[1], b[1], size), Rules.toFront(v[2], b[2], size)), 0));
  }

  private static Axis shift(io.sparkfunc.engine.core.Params p) {
    return new Axis(((Axis) p).axis() + 1);
  }

  /** {@code g} (index-shaped) zero-padded at the end of each axis to {@code src}'s shape: src elements past the index get no gradient. */
  private static Tensor padTo(Tensor g, Tensor src) {
    if (g.type().shapeEquals(src.type())) {
      return g;
    }
    int[] high = new int[g.rank()];
    for (int i = 0; i < high.length; i++) {
      high[i] = src.type().dim(i) - g.type().dim(i);
    }
    return Bind.bind(Combine.PAD, new Combine.Pad(new int[g.rank()], high, 0), g);
  }

  private static Tensor orZeros(Tensor t, Tensor like) {
    return t != null ? t : io.sparkfunc.engine.Tensors.zerosLike(like);
  }

  /** A 1-d (or 0-d) index of index_select spread to {@code like}'s shape along {@code axis}, as gather wants it. */
  private static Tensor fullIndex(Tensor index, Tensor like, int axis) {
    int[] shape = new int[like.rank()];
    java.util.Arrays.fill(shape, 1);
    shape[axis] = (int) index.numel();
    return index.reshape(shape).expand(like.shape());
  }

  private static BatchRule.Batched indexSelectBatch(Tensor[] v, int[] b, io.sparkfunc.engine.core.Params p, int size) {
    int axis = ((Axis) p).axis();
    if (b[1] == BatchRule.NOT_MAPPED) {
      return new BatchRule.Batched(Bind.bind(INDEX_SELECT, shift(p), Rules.moveToFront(v[0], b[0]), v[1]), 0);
    }
    Tensor x = Rules.toFront(v[0], b[0], size);
    Tensor idx = Rules.moveToFront(v[1], b[1]);
    idx = idx.reshape(size, idx.rank() == 1 ? 1 : idx.type().dim(1));
    int[] shape = x.shape();
    int[] spread = new int[x.rank()];
    java.util.Arrays.fill(spread, 1);
    spread[0] = size;
    spread[axis + 1] = idx.type().dim(1);
    shape[axis + 1] = idx.type().dim(1);
    return new BatchRule.Batched(Bind.bind(GATHER, shift(p), x, idx.reshape(spread).expand(shape)), 0);
  }

  // ---- shape rules ----

  private static TensorType gatherType(TensorType x, int axis, TensorType index) {
    checkOperands("gather", x, axis, index);
    checkRank("gather", "index", index, x);
    checkExtents("gather", "index", index, "x", x, axis);
    return new TensorType(x.dtype(), index.shape());
  }

  private static TensorType indexSelectType(TensorType x, int axis, TensorType index) {
    checkOperands("index_select", x, axis, index);
    if (index.rank() > 1) {
      throw new EngineException(
          "index_select", "index of rank 0 or 1", "index: " + index + " for x: " + x,
          "flatten the index with index.reshape(-1), then reshape the result");
    }
    int[] shape = x.shape();
    shape[axis] = (int) index.numel();
    return new TensorType(x.dtype(), shape);
  }

  private static TensorType scatterAddType(TensorType x, int axis, TensorType index, TensorType src) {
    checkOperands("scatter_add", x, axis, index);
    if (x.dtype() == DType.BOOL || src.dtype() != x.dtype()) {
      throw new EngineException(
          "scatter_add", "src of x's dtype, and x numeric (f32, f64 or i64)",
          "x: " + x + ", src: " + src, "convert src (or both) to one numeric dtype first");
    }
    checkRank("scatter_add", "index", index, x);
    checkRank("scatter_add", "src", src, x);
    checkExtents("scatter_add", "index", index, "x", x, axis);
    checkExtents("scatter_add", "index", index, "src", src, -1);
    return x;
  }

  private static void checkOperands(String op, TensorType x, int axis, TensorType index) {
    if (x.rank() == 0 || axis < 0 || axis >= x.rank()) {
      throw new EngineException(
          op, "x of rank >= 1 and an axis in [0, " + x.rank() + ")", "x: " + x + ", axis=" + axis,
          "reshape a 0-d x to [1]; the public helper normalises negative axes");
    }
    if (index.dtype() != DType.I64) {
      throw new EngineException(
          op, "index of dtype i64", "index: " + index,
          "build the index as an i64 tensor, e.g. Tensors.of(new long[] {...})");
    }
  }

  private static void checkRank(String op, String name, TensorType t, TensorType x) {
    if (t.rank() != x.rank()) {
      throw new EngineException(
          op, name + " of x's rank " + x.rank(), name + ": " + t + " for x: " + x,
          "give " + name + " one axis per axis of x (unsqueeze or reshape it)");
    }
  }

  /** Every extent of {@code small} is at most {@code big}'s, except along {@code skipAxis}. */
  private static void checkExtents(
      String op, String smallName, TensorType small, String bigName, TensorType big, int skipAxis) {
    for (int d = 0; d < small.rank(); d++) {
      if (d != skipAxis && small.dim(d) > big.dim(d)) {
        throw new EngineException(
            op, smallName + " no larger than " + bigName + " at every axis"
                + (skipAxis >= 0 ? " but " + skipAxis : ""),
            smallName + ": " + small + " and " + bigName + ": " + big + " at axis " + d,
            "slice " + smallName + " down to " + bigName + "'s extent there");
      }
    }
  }

  // ---- kernels ----

  private static DenseTensor gatherImpl(DenseTensor x, int axis, DenseTensor index, TensorType outType) {
    checkValues("gather", index, x.type(), axis);
    return gatherChecked(x, axis, index, outType);
  }

  private static DenseTensor gatherChecked(DenseTensor x, int axis, DenseTensor index, TensorType outType) {
    DenseTensor out = DenseTensor.allocate(outType);
    Move copy = Move.copy(x.dtype());
    walk(index, out, x, axis,
        (plainAt, indexedAt) -> copy.apply(x.storage(), indexedAt, out.storage(), plainAt));
    return out;
  }

  /** {@code index_select} is a gather by the index broadcast (stride 0) to the output shape. */
  private static DenseTensor indexSelectImpl(DenseTensor x, int axis, DenseTensor index, TensorType outType) {
    checkValues("index_select", index, x.type(), axis);
    int[] strides = new int[x.rank()];
    strides[axis] = index.rank() == 0 ? 0 : index.stridesRef()[0];
    DenseTensor spread = new DenseTensor(index.storage(), outType.shape(), strides, index.offset());
    return gatherChecked(x, axis, spread, outType);
  }

  private static DenseTensor scatterAddImpl(DenseTensor x, int axis, DenseTensor index, DenseTensor src) {
    checkValues("scatter_add", index, x.type(), axis);
    DenseTensor out = Materialize.copy(x);
    Move add = Move.add(x.dtype());
    walk(index, src, out, axis,
        (plainAt, indexedAt) -> add.apply(src.storage(), plainAt, out.storage(), indexedAt));
    return out;
  }

  /** Moves one element between storages. */
  private interface Move {
    void apply(Storage src, int si, Storage dst, int di);

    /** {@code dst[di] = src[si]}. */
    static Move copy(DType t) {
      return t == DType.I64
          ? (s, i, d, j) -> d.setLong(j, s.getLong(i))
          : (s, i, d, j) -> d.setDouble(j, s.getDouble(i));
    }

    /** {@code dst[di] += src[si]} (f32 adds in f64 then rounds: the same as an f32 add). */
    static Move add(DType t) {
      return t == DType.I64
          ? (s, i, d, j) -> d.setLong(j, d.getLong(j) + s.getLong(i))
          : (s, i, d, j) -> d.setDouble(j, d.getDouble(j) + s.getDouble(i));
    }
  }

  /** Receives matching storage indices of the plain operand and of the indexed one. */
  private interface PairVisitor {
    void visit(int plainAt, int indexedAt);
  }

  /**
   * Walks every position of {@code index}: the plain operand is read at the same position, the
   * indexed operand at the same position but with its {@code axis} coordinate replaced by the
   * index value.
   */
  private static void walk(
      DenseTensor index, DenseTensor plain, DenseTensor indexed, int axis, PairVisitor v) {
    int[] strides = indexed.strides();
    int axisStride = strides[axis];
    strides[axis] = 0;
    Storage idx = index.storage();
    new StridedLoop(index.shapeRef(), new int[][] {index.stridesRef(), plain.stridesRef(), strides})
        .forEachElement(
            new int[] {index.offset(), plain.offset(), indexed.offset()},
            at -> v.visit(at[1], at[2] + (int) idx.getLong(at[0]) * axisStride));
  }

  /** Checks that every index value lies in [0, extent of x at axis), naming the first bad one. */
  private static void checkValues(String op, DenseTensor index, TensorType x, int axis) {
    int bound = x.dim(axis);
    Storage s = index.storage();
    Elementwise.forEachElement(index, (flat, at) -> {
      long v = s.getLong(at);
      if (v < 0 || v >= bound) {
        throw new EngineException(
            op, "index values in [0, " + bound + ") for axis " + axis + " of x: " + x,
            "index" + Arrays.toString(unravel(flat, index.shapeRef())) + " = " + v
                + " (index: " + index.type() + ")",
            v < 0
                ? "negative indices are not supported (as in PyTorch); add " + bound
                    + " to count from the end"
                : "keep every index below the extent " + bound);
      }
    });
  }

  private static int[] unravel(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  // ---- public helpers ----

  /**
   * {@code torch.gather}: {@code x: t[a,b], index: i64[a,k], axis=1 -> t[a,k]} with {@code
   * out[i][j] = x[i][index[i][j]]} (for axis 1). Negative {@code axis} counts from the end.
   */
  public static Tensor gather(Tensor x, int axis, Tensor index) {
    return Bind.bind(GATHER, axisOf("gather", x, axis), x, index);
  }

  /**
   * {@code torch.index_select}: the slices of x at {@code index} along {@code axis}: {@code x:
   * t[a,b], index: i64[k], axis=0 -> t[k,b]}.
   */
  public static Tensor indexSelect(Tensor x, int axis, Tensor index) {
    return Bind.bind(INDEX_SELECT, axisOf("index_select", x, axis), x, index);
  }

  /**
   * Out-of-place {@code torch.scatter_add}: a copy of {@code x} with {@code src} added at {@code
   * index} along {@code axis}: {@code x: t[a,b], index: i64[a,k], src: t[a,k] -> t[a,b]}, {@code
   * out[i][index[i][j]] += src[i][j]} (for axis 1). Repeated indices accumulate.
   */
  public static Tensor scatterAdd(Tensor x, int axis, Tensor index, Tensor src) {
    return Bind.bind(SCATTER_ADD, axisOf("scatter_add", x, axis), x, index, src);
  }

  private static Params axisOf(String op, Tensor x, int axis) {
    return new Axis(Shape.normalizeAxis(op, "dim", axis, x.rank(), x.type()));
  }
}
