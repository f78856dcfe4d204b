package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import java.util.Arrays;

/**
 * Structural primitives that move no numbers: {@code reshape}, {@code transpose} (a permutation),
 * {@code broadcast_in_dim} and {@code slice}. On concrete tensors each returns a view over the same
 * storage; {@code reshape} copies only when the strides make a view impossible (as {@code
 * torch.reshape}). The public helpers ({@code permute}, {@code movedim}, {@code expand}, {@code
 * squeeze}, {@code unsqueeze}, {@code select}) are built on these four.
 */
public final class Structural {
  private Structural() {}

  /** Parameters of {@link #RESHAPE}: the new shape (fully resolved, no -1). */
  public record Reshape(int[] shape) implements Params {}

  /** Parameters of {@link #TRANSPOSE}: output axis i is input axis {@code perm[i]}. */
  public record Transpose(int[] perm) implements Params {}

  /** Parameters of {@link #BROADCAST_IN_DIM}: output shape; input axis i becomes output axis {@code dims[i]}. */
  public record BroadcastInDim(int[] shape, int[] dims) implements Params {}

  /** Parameters of {@link #SLICE}: per axis start (inclusive), limit (exclusive), step (>= 1). */
  public record Slice(int[] start, int[] limit, int[] step) implements Params {}

  public static final Primitive RESHAPE =
      Primitive.define(
          "reshape",
          1,
          (in, p) -> reshapeType(in[0], ((Reshape) p).shape()),
          (in, p, out) -> reshapeImpl(in[0], out.shape()));

  public static final Primitive TRANSPOSE =
      Primitive.define(
          "transpose",
          1,
          (in, p) -> transposeType(in[0], ((Transpose) p).perm()),
          (in, p, out) -> transposeImpl(in[0], ((Transpose) p).perm()));

  public static final Primitive BROADCAST_IN_DIM =
      Primitive.define(
          "broadcast_in_dim",
          1,
          (in, p) -> broadcastType(in[0], (BroadcastInDim) p),
          (in, p, out) -> broadcastImpl(in[0], (BroadcastInDim) p));

  public static final Primitive SLICE =
      Primitive.define(
          "slice", 1, (in, p) -> sliceType(in[0], (Slice) p), (in, p, out) -> sliceImpl(in[0], (Slice) p, out));

  // Rules. All four are linear, so jvp applies the op to the tangent; vjp is its adjoint: reshape
  // back, the inverse permutation, a sum over broadcast axes, zero-filling around a slice. vmap
  // moves the batch axis to the front and extends the parameters by one leading axis. All four
  // are views (Primitive.view): reshape too, as torch's view, even where eager reshape copies.
  static {
    for (Primitive p : new Primitive[] {RESHAPE, TRANSPOSE, BROADCAST_IN_DIM, SLICE}) {
      p.view();
    }
    RESHAPE
        .jvp((x, t, y, p) -> Bind.bind(RESHAPE, p, t[0]))
        .vjp((ct, x, y, p) -> new Tensor[] {ct.reshape(x[0].shape())})
        .batch((v, b, p, size) -> new BatchRule.Batched(
            Rules.moveToFront(v[0], b[0]).reshape(prepend(size, ((Reshape) p).shape())), 0));
    TRANSPOSE
        .jvp((x, t, y, p) -> Bind.bind(TRANSPOSE, p, t[0]))
        .vjp((ct, x, y, p) -> new Tensor[] {permute(ct, inverse(((Transpose) p).perm()))})
        .batch((v, b, p, size) -> new BatchRule.Batched(
            permute(Rules.moveToFront(v[0], b[0]), prepend(0, shifted(((Transpose) p).perm()))), 0));
    BROADCAST_IN_DIM
        .jvp((x, t, y, p) -> Bind.bind(BROADCAST_IN_DIM, p, t[0]))
        .vjp((ct, x, y, p) -> new Tensor[] {unbroadcastInDim(ct, x[0], (BroadcastInDim) p)})
        .batch((v, b, p, size) -> {
          BroadcastInDim q = (BroadcastInDim) p;
          BroadcastInDim batched = new BroadcastInDim(prepend(size, q.shape()), prepend(0, shifted(q.dims())));
          return new BatchRule.Batched(Bind.bind(BROADCAST_IN_DIM, batched, Rules.moveToFront(v[0], b[0])), 0);
        });
    SLICE
        .jvp((x, t, y, p) -> Bind.bind(SLICE, p, t[0]))
        .vjp((ct, x, y, p) -> new Tensor[] {unslice(ct, x[0], (Slice) p)})
        .batch((v, b, p, size) -> {
          Slice q = (Slice) p;
          Slice batched = new Slice(prepend(0, q.start()), prepend(size, q.limit()), prepend(1, q.step()));
          return new BatchRule.Batched(Bind.bind(SLICE, batched, Rules.moveToFront(v[0], b[0])), 0);
        });
  }

  static int[] prepend(int first, int[] rest) {
    int[] out = new int[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  /** Every entry plus one: axes after a new leading batch axis. */
  static int[] shifted(int[] axes) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = axes[i] + 1;
    }
    return out;
  }

  private static int[] inverse(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[perm[i]] = i;
    }
    return inv;
  }

  /** The adjoint of broadcast_in_dim: sum over new axes and over axes expanded from extent 1. */
  private static Tensor unbroadcastInDim(Tensor ct, Tensor x, BroadcastInDim p) {
    boolean[] kept = new boolean[p.shape().length];
    for (int i = 0; i < p.dims().length; i++) {
      kept[p.dims()[i]] = x.type().dim(i) == p.shape()[p.dims()[i]];
    }
    int[] axes = java.util.stream.IntStream.range(0, kept.length).filter(i -> !kept[i]).toArray();
    Tensor s = axes.length == 0 ? ct : Reductions.sum(ct, true, axes);
    return s.reshape(x.shape());
  }

  /** The adjoint of slice: the cotangent placed back at the sliced positions, zeros elsewhere. */
  private static Tensor unslice(Tensor ct, Tensor x, Slice p) {
    int rank = x.rank();
    Tensor g = ct;
    int[] low = new int[rank];
    int[] high = new int[rank];
    for (int a = 0; a < rank; a++) {
      int step = p.step()[a];
      int k = g.type().dim(a);
      if (step > 1 && k > 0) {
        g = dilate(g, a, step);
      }
      int spread = step > 1 && k > 0 ? k * step : k;
      low[a] = p.start()[a];
      high[a] = x.type().dim(a) - p.start()[a] - spread;
    }
    return Bind.bind(Combine.PAD, new Combine.Pad(low, high, 0), g);
  }

  /** {@code [.., k, ..] -> [.., k*step, ..]} with each element followed by {@code step-1} zeros. */
  private static Tensor dilate(Tensor g, int axis, int step) {
    int rank = g.rank();
    Tensor u = g.unsqueeze(axis + 1);
    int[] low = new int[rank + 1];
    int[] high = new int[rank + 1];
    high[axis + 1] = step - 1;
    Tensor padded = Bind.bind(Combine.PAD, new Combine.Pad(low, high, 0), u);
    int[] shape = g.shape();
    shape[axis] *= step;
    return padded.reshape(shape);
  }

  // ---- reshape ----

  private static TensorType reshapeType(TensorType x, int[] shape) {
    if (Shape.numel(shape) != x.numel()) {
      throw new EngineException(
          "reshape", "a shape with " + x.numel() + " elements (as x: " + x + ")",
          "shape " + Shape.str(shape) + " with " + Shape.numel(shape) + " elements",
          "pick extents whose product is " + x.numel() + ", or use -1 for one extent to infer it");
    }
    return new TensorType(x.dtype(), shape);
  }

  private static DenseTensor reshapeImpl(DenseTensor x, int[] shape) {
    int[] strides = viewStrides(x.shapeRef(), x.stridesRef(), shape);
    if (strides == null) {
      DenseTensor c = Materialize.copy(x);
      return new DenseTensor(c.storage(), shape, Shape.contiguousStrides(shape), 0);
    }
    return new DenseTensor(x.storage(), shape, strides, x.offset());
  }

  /**
   * Strides that show data of {@code oldShape/oldStrides} as {@code newShape} without a copy, or
   * null if none exist. Groups of old axes that are contiguous among themselves ("chunks") may be
   * split or merged freely; a new axis may not span two chunks.
   */
  static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
    int[] newStrides = new int[newShape.length];
    if (Shape.numel(oldShape) == 0 || oldShape.length == 0) {
      return Shape.contiguousStrides(newShape);
    }
    int viewD = newShape.length - 1;
    long chunkBase = oldStrides[oldStrides.length - 1];
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int d = oldShape.length - 1; d >= 0; d--) {
      tensorNumel *= oldShape[d];
      if (d == 0 || (oldShape[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase)) {
        while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
          newStrides[viewD] = (int) (viewNumel * chunkBase);
          viewNumel *= newShape[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return null;
        }
        if (d > 0) {
          chunkBase = oldStrides[d - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    return viewD == -1 ? newStrides : null;
  }

  // ---- transpose ----

  private static TensorType transposeType(TensorType x, int[] perm) {
    boolean[] seen = new boolean[x.rank()];
    boolean ok = perm.length == x.rank();
    for (int i = 0; ok && i < perm.length; i++) {
      ok = perm[i] >= 0 && perm[i] < x.rank() && !seen[perm[i]];
      if (ok) {
        seen[perm[i]] = true;
      }
    }
    if (!ok) {
      throw new EngineException(
          "permute", "a permutation of 0.." + (x.rank() - 1) + " for x: " + x,
          "dims=" + Arrays.toString(perm), "list every axis of x exactly once");
    }
    int[] shape = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      shape[i] = x.dim(perm[i]);
    }
    return new TensorType(x.dtype(), shape);
  }

  private static DenseTensor transposeImpl(DenseTensor x, int[] perm) {
    int[] shape = new int[perm.length];
    int[] strides = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      shape[i] = x.shapeRef()[perm[i]];
      strides[i] = x.stridesRef()[perm[i]];
    }
    return new DenseTensor(x.storage(), shape, strides, x.offset());
  }

  // ---- broadcast_in_dim ----

  private static TensorType broadcastType(TensorType x, BroadcastInDim p) {
    int[] shape = p.shape();
    int[] dims = p.dims();
    boolean ok = dims.length == x.rank();
    for (int i = 0; ok && i < dims.length; i++) {
      ok = dims[i] >= 0 && dims[i] < shape.length && (i == 0 || dims[i] > dims[i - 1])
          && (x.dim(i) == 1 || x.dim(i) == shape[dims[i]]);
    }
    if (!ok) {
      throw new EngineException(
          "expand", "a shape that x: " + x + " broadcasts to (each extent equal, or 1 in x)",
          "shape " + Shape.str(shape), "expand only axes of extent 1, or add leading axes");
    }
    return new TensorType(x.dtype(), shape);
  }

  private static DenseTensor broadcastImpl(DenseTensor x, BroadcastInDim p) {
    int[] shape = p.shape().clone();
    int[] strides = new int[shape.length];
    int[] dims = p.dims();
    for (int i = 0; i < dims.length; i++) {
      strides[dims[i]] = x.shapeRef()[i] == 1 ? 0 : x.stridesRef()[i];
    }
    return new DenseTensor(x.storage(), shape, strides, x.offset());
  }

  // ---- slice ----

  private static TensorType sliceType(TensorType x, Slice p) {
    int[] shape = new int[x.rank()];
    for (int i = 0; i < shape.length; i++) {
      int s = p.start()[i];
      int l = p.limit()[i];
      int st = p.step()[i];
      if (s < 0 || l < s || l > x.dim(i) || st < 1) {
        throw new EngineException(
            "slice", "0 <= start <= limit <= " + x.dim(i) + " and step >= 1 at axis " + i,
            "start=" + s + ", limit=" + l + ", step=" + st + " for x: " + x,
            "clamp the bounds to the axis extent");
      }
      shape[i] = (l - s + st - 1) / st;
    }
    return new TensorType(x.dtype(), shape);
  }

  private static DenseTensor sliceImpl(DenseTensor x, Slice p, TensorType out) {
    int offset = x.offset();
    int[] strides = new int[x.rank()];
    for (int i = 0; i < strides.length; i++) {
      offset += p.start()[i] * x.stridesRef()[i];
      strides[i] = x.stridesRef()[i] * p.step()[i];
    }
    return new DenseTensor(x.storage(), out.shape(), strides, offset);
  }

  // ---- public helpers ----

  /** Reshape with at most one -1 extent inferred. */
  public static Tensor reshape(Tensor x, int... shape) {
    int[] resolved = shape.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < resolved.length; i++) {
      if (resolved[i] == -1 && infer < 0) {
        infer = i;
      } else if (resolved[i] < 0) {
        throw new EngineException(
            "reshape", "extents >= 0 and at most one -1", "shape " + Shape.str(shape) + " for x: " + x.type(),
            "use -1 for at most one extent");
      } else {
        known *= resolved[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || x.numel() % known != 0) {
        throw new EngineException(
            "reshape", "a shape whose known extents divide " + x.numel() + " (x: " + x.type() + ")",
            "shape " + Shape.str(shape), "pick extents whose product divides the element count");
      }
      resolved[infer] = (int) (x.numel() / known);
    }
    if (Arrays.equals(resolved, x.shape())) {
      return x;
    }
    return Bind.bind(RESHAPE, new Reshape(resolved), x);
  }

  /** Output axis i is input axis {@code perm[i]} (negative axes allowed). */
  public static Tensor permute(Tensor x, int... perm) {
    int[] p = new int[perm.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = perm[i] < 0 ? perm[i] + x.rank() : perm[i];
    }
    return Bind.bind(TRANSPOSE, new Transpose(p), x);
  }

  /** Swaps two axes. */
  public static Tensor transpose(Tensor x, int a, int b) {
    int r = x.rank();
    int i = Shape.normalizeAxis("transpose", "dim0", a, r, x.type());
    int j = Shape.normalizeAxis("transpose", "dim1", b, r, x.type());
    if (r == 0) {
      return x;
    }
    int[] perm = identity(r);
    perm[i] = j;
    perm[j] = i;
    return Bind.bind(TRANSPOSE, new Transpose(perm), x);
  }

  /** Moves axis {@code source} to {@code destination}. */
  public static Tensor movedim(Tensor x, int source, int destination) {
    int r = x.rank();
    int s = Shape.normalizeAxis("movedim", "source", source, r, x.type());
    int d = Shape.normalizeAxis("movedim", "destination", destination, r, x.type());
    if (s == d) {
      return x;
    }
    int[] perm = new int[r];
    int k = 0;
    for (int i = 0; i < r; i++) {
      if (i == d) {
        perm[i] = s;
      } else {
        if (k == s) {
          k++;
        }
        perm[i] = k++;
      }
    }
    return Bind.bind(TRANSPOSE, new Transpose(perm), x);
  }

  /** Broadcasts to {@code shape}; -1 keeps the existing extent. */
  public static Tensor expand(Tensor x, int... shape) {
    int lead = shape.length - x.rank();
    if (lead < 0) {
      throw new EngineException(
          "expand", "at least " + x.rank() + " extents for x: " + x.type(),
          "shape " + Shape.str(shape), "give one extent per axis of x, plus any new leading axes");
    }
    int[] resolved = shape.clone();
    int[] dims = new int[x.rank()];
    for (int i = 0; i < x.rank(); i++) {
      dims[i] = lead + i;
      if (resolved[lead + i] == -1) {
        resolved[lead + i] = x.type().dim(i);
      }
    }
    if (Arrays.equals(resolved, x.shape())) {
      return x;
    }
    return Bind.bind(BROADCAST_IN_DIM, new BroadcastInDim(resolved, dims), x);
  }

  /** Python-style slice along one axis. */
  public static Tensor slice(Tensor x, int axis, int start, int end, int step) {
    int r = x.rank();
    int a = Shape.normalizeAxis("slice", "dim", axis, r, x.type());
    if (step < 1) {
      throw new EngineException(
          "slice", "step >= 1", "step=" + step + " for x: " + x.type(), "use a positive step (flip is not a view)");
    }
    int n = x.type().dim(a);
    int s = clamp(start < 0 ? start + n : start, n);
    int e = clamp(end < 0 ? end + n : end, n);
    int[] starts = new int[r];
    int[] limits = x.shape();
    int[] steps = new int[r];
    Arrays.fill(steps, 1);
    starts[a] = s;
    limits[a] = Math.max(s, e);
    steps[a] = step;
    return Bind.bind(SLICE, new Slice(starts, limits, steps), x);
  }

  private static int clamp(int v, int n) {
    return Math.max(0, Math.min(v, n));
  }

  /** Drops all extent-1 axes. */
  public static Tensor squeeze(Tensor x) {
    return reshape(x, Arrays.stream(x.shape()).filter(d -> d != 1).toArray());
  }

  /** Drops {@code axis} if its extent is 1. */
  public static Tensor squeeze(Tensor x, int axis) {
    int a = Shape.normalizeAxis("squeeze", "dim", axis, x.rank(), x.type());
    if (x.rank() == 0 || x.type().dim(a) != 1) {
      return x;
    }
    int[] shape = x.shape();
    int[] out = new int[shape.length - 1];
    for (int i = 0, k = 0; i < shape.length; i++) {
      if (i != a) {
        out[k++] = shape[i];
      }
    }
    return reshape(x, out);
  }

  /** Inserts an extent-1 axis at {@code axis}. */
  public static Tensor unsqueeze(Tensor x, int axis) {
    int a = Shape.normalizeAxis("unsqueeze", "dim", axis, x.rank() + 1, x.type());
    int[] shape = x.shape();
    int[] out = new int[shape.length + 1];
    for (int i = 0, k = 0; i < out.length; i++) {
      out[i] = i == a ? 1 : shape[k++];
    }
    return Bind.bind(RESHAPE, new Reshape(out), x);
  }

  /** Index {@code index} along {@code axis}, dropping the axis. */
  public static Tensor select(Tensor x, int axis, int index) {
    int a = Shape.normalizeAxis("select", "dim", axis, x.rank(), x.type());
    int n = x.type().dim(a);
    if (index < -n || index >= n) {
      throw new EngineException(
          "select", "index in [" + (-n) + ", " + (n - 1) + "] for axis " + a,
          "index=" + index + " for x: " + x.type(), "index within the axis extent");
    }
    int i = index < 0 ? index + n : index;
    Tensor s = slice(x, a, i, i + 1, 1);
    int[] shape = s.shape();
    int[] out = new int[shape.length - 1];
    for (int d = 0, k = 0; d < shape.length; d++) {
      if (d != a) {
        out[k++] = shape[d];
      }
    }
    return Bind.bind(RESHAPE, new Reshape(out), s);
  }

  static int[] identity(int r) {
    int[] p = new int[r];
    for (int i = 0; i < r; i++) {
      p[i] = i;
    }
    return p;
  }

  /**
   * The indices of {@code keys} ordered by key, ascending or descending, equal keys in index order
   * (an insertion sort: keys are axes, a handful; this runs once per primitive call, so it avoids
   * boxing streams).
   */
  static int[] argsort(int[] keys, boolean descending) {
    int[] order = identity(keys.length);
    for (int i = 1; i < order.length; i++) {
      int v = order[i];
      int j = i - 1;
      while (j >= 0 && (descending ? keys[order[j]] < keys[v] : keys[order[j]] > keys[v])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
    return order;
  }
}
