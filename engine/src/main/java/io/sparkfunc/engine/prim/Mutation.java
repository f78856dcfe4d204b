package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.InPlace;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.storage.Storage;
import java.util.Arrays;
import java.util.function.BinaryOperator;

/**
 * In-place primitives with PyTorch's semantics: {@code add_}, {@code mul_}, {@code copy_} and
 * {@code index_put_}, {@code self: t[s...], src -> self} (the very same tensor, now changed), and
 * {@code index_put}, the out-of-place twin of {@code index_put_}.
 *
 * <ul>
 *   <li>They write {@code self}'s storage through its strides, so writing a view writes its base.
 *   <li>The source broadcasts to {@code self}'s shape, never the other way.
 *   <li>{@code add_}/{@code mul_} compute in the promoted dtype of both operands, which must cast
 *       to {@code self}'s dtype: floats do not cast to i64 or bool, numbers do not cast to bool.
 *       {@code copy_} converts any dtype.
 *   <li>{@code self} must not have internal overlap (stride 0 from {@code expand}).
 *   <li>{@code index_put_} takes one i64 index along axis 0 and values of {@code self}'s exact
 *       dtype (as PyTorch's {@code index_put_}); duplicates sum with {@code accumulate}, else the
 *       last one wins (PyTorch leaves that order undefined; ours is the index order).
 * </ul>
 *
 * <p>One difference comes from the engine's promotion, not from these ops: {@code bool + bool}
 * is i64 here (PyTorch: bool), so {@code add_}/{@code mul_} into a bool tensor are rejected; use
 * {@code copy_} of a computed mask instead.
 *
 * <p>NOTE [In-place aliasing]. A source that shares memory with {@code self} but is not the very
 * same view ({@code x[1:].copy_(x[:-1])}, {@code x.add_(x.mT())}) is read as if cloned first, so
 * the result is what the same op gives on a copy. PyTorch raises "some elements of the input
 * tensor and the written-to tensor refer to a single memory location" for the overlaps it can
 * prove; we return the clone semantics there instead, and agree with PyTorch everywhere else.
 *
 * <p>Under transforms (as torch.func): vmap writes the batched tensor itself, and refuses to write
 * a batch into an unbatched {@code self} ({@link Rules#inPlaceBroadcasting}); grad, jvp and
 * functionalize write no memory but compute each card's functional twin ({@link InPlace}) and
 * rebind {@code self} (NOTE [Mutation under transforms] in {@code transform.AliasingTrace}).
 */
public final class Mutation {
  private Mutation() {}

  /** Parameters of {@link #INDEX_PUT_}: sum into duplicates, or overwrite. */
  public record IndexPut(boolean accumulate) implements Params {}

  /** {@code self: t[s...], other: u[b...] -> self} with {@code self += other}. */
  public static final Primitive ADD_ = arithmetic("add_", BinaryOp.ADD, ElementwiseBinary::add);

  /** {@code self: t[s...], other: u[b...] -> self} with {@code self *= other}. */
  public static final Primitive MUL_ = arithmetic("mul_", BinaryOp.MUL, ElementwiseBinary::mul);

  /**
   * {@code self: t[s...], src: u[b...] -> self} with {@code self[...] = src} converted. Its twin
   * is a fresh tensor, never src itself: the value must not change when src is written later.
   */
  public static final Primitive COPY_ =
      Primitive.define(
              "copy_",
              2,
              (in, p) -> checkBroadcastInto("copy_", in[0], in[1], "src"),
              (in, p, out) -> copy(in[0], in[1]))
          .inPlace(new InPlace("copy_(self, src)", "src.to(self.dtype()).expand(self.shape()).copy()",
              (a, p) -> Convert.copy(Rules.broadcastTo(Convert.convert(a[1], a[0].dtype()), a[0].shape()))));

  static {
    COPY_.batch(Rules.inPlaceBroadcasting(COPY_));
  }

  /**
   * {@code self: t[n,r...], index: i64[k], values: t[b...] -> self} with {@code self[index] =
   * values} (or {@code +=}).
   */
  public static final Primitive INDEX_PUT_ =
      Primitive.define(
          "index_put_",
          3,
          (in, p) -> indexPutType("index_put_", in[0], in[1], in[2]),
          (in, p, out) -> putRows("index_put_", in[0], in[1], in[2], accumulate(p)));

  /**
   * {@code self: t[n,r...], index: i64[k], values: t[b...] -> t[n,r...]}: a copy of self with
   * {@code [index] = values} (or {@code +=}), as {@link #INDEX_PUT_} writes it.
   */
  public static final Primitive INDEX_PUT =
      Primitive.define(
          "index_put",
          3,
          (in, p) -> indexPutType("index_put", in[0], in[1], in[2]),
          (in, p, out) -> putRows("index_put", Materialize.copy(in[0]), in[1], in[2], accumulate(p)));

  // Rules. index_put is linear in self and values (the index carries no derivative): jvp puts the
  // tangents; vjp gives self the cotangent with the overwritten rows zeroed (all of it with
  // accumulate) and values the cotangent rows they landed in (see landed). vmap folds the batch
  // into axis 0 (indexPutBatch). index_put_ is that batched index_put copied into self through a
  // view with its batch axis in front; its twin is index_put.
  static {
    INDEX_PUT
        .jvp((x, t, y, p) -> indexPut(orZeros(t[0], x[0]), x[1], orZeros(t[2], x[2]), accumulate(p)))
        .vjp((ct, x, y, p) -> new Tensor[] {
          accumulate(p) ? ct : indexPut(ct, x[1], ct.scalarLike(0), false),
          null,
          Rules.unbroadcast(landed(ct, x[1], accumulate(p)), x[2].type())
        })
        .batch(Mutation::indexPutBatch);
    INDEX_PUT_
        .inPlace(new InPlace("index_put_(self, index, values)",
            "self.indexPut(index, values, accumulate)", (a, p) -> Bind.bind(INDEX_PUT, p, a)))
        .batch((v, b, p, size) -> {
          Rules.requireBatchedSelf(INDEX_PUT_, v, b);
          copy_(Rules.moveToFront(v[0], b[0]), indexPutBatch(v, b, p, size).value());
          return new BatchRule.Batched(v[0], b[0]);
        });
  }

  private static boolean accumulate(Params p) {
    return ((IndexPut) p).accumulate();
  }

  private static Tensor orZeros(Tensor t, Tensor like) {
    return t != null ? t : Tensors.zerosLike(like);
  }

  /**
   * The cotangent of the values as rows {@code [k, r...]}: row j is {@code ct[index[j]]}; without
   * accumulate only the last j naming a row wrote it (the kernel's order), so the others get 0.
   */
  private static Tensor landed(Tensor ct, Tensor index, boolean accumulate) {
    int n = ct.shape()[0];
    int k = index.shape()[0];
    Tensor rows = normalized(index, n);
    int[] spread = ct.shape();
    spread[0] = k;
    int[] column = new int[spread.length];
    Arrays.fill(column, 1);
    column[0] = k;
    Tensor got = ct.gather(0, rows.reshape(column).expand(spread));
    if (accumulate) {
      return got;
    }
    Tensor order = Tensors.arange(k);
    Tensor last = indexPut(Tensors.full(-1, DType.I64, n), rows, order, false);
    return last.gather(0, rows).eq(order).reshape(column).where(got, got.scalarLike(0));
  }

  /** Indices in {@code [-n, n)} counted from the front: {@code i < 0 ? i + n : i}. */
  private static Tensor normalized(Tensor index, int n) {
    return index.lt(0).where(index.add(n), index);
  }

  /**
   * vmap of index_put: self becomes {@code [B*n, r...]} (row {@code b*n + i} is row i of element
   * b), each index {@code b*n + index[b][j]}, and the values {@code [B*k, r...]}; one index_put
   * of those, reshaped back, is the batched result (bdim 0). Duplicates stay within one element,
   * in order, so last-wins and accumulate mean the same as per element.
   */
  private static BatchRule.Batched indexPutBatch(Tensor[] v, int[] b, Params p, int size) {
    Tensor self = Rules.toFront(v[0], b[0], size);
    int[] shape = self.shape();
    Tensor index = Rules.toFront(v[1], b[1], size);
    int k = index.shape()[1];
    int[] put = shape.clone();
    put[1] = k;
    Tensor values = b[2] == BatchRule.NOT_MAPPED
        ? v[2] : Rules.padRank(Rules.moveToFront(v[2], b[2]), put.length - 1);
    Tensor out = indexPut(self.reshape(folded(shape)), flatIndex(index, shape[1], size),
        values.expand(put).reshape(folded(put)), accumulate(p));
    return new BatchRule.Batched(out.reshape(shape), 0);
  }

  /** {@code [B, n, r...] -> [B*n, r...]}. */
  private static int[] folded(int[] shape) {
    int[] out = Arrays.copyOfRange(shape, 1, shape.length);
    out[0] *= shape[0];
    return out;
  }

  /**
   * {@code index: i64[B,k]} as rows of the folded self: {@code b*n + index[b][j]}, negative
   * indices counted from the end first. An index outside {@code [-n, n)} becomes {@code -B*n-1},
   * outside the folded rows too, so the kernel still refuses it instead of writing into a
   * neighbouring element (its message then names the folded shapes).
   */
  private static Tensor flatIndex(Tensor index, int n, int size) {
    Tensor above = index.gt(-n - 1);
    Tensor inRange = above.where(index.lt(n), above);
    Tensor rows = normalized(index, n).add(Tensors.arange(size).mul(n).reshape(size, 1));
    Tensor outside = Tensors.scalar(-(long) size * n - 1);
    return inRange.where(rows, outside).reshape(size * index.shape()[1]);
  }

  private static Primitive arithmetic(String name, BinaryOp op, BinaryOperator<Tensor> outOfPlace) {
    Primitive p = Primitive.define(
            name,
            2,
            (in, params) -> arithmeticType(name, in[0], in[1]),
            (in, params, out) -> apply(name, op, in[0], in[1]))
        .inPlace(new InPlace(name + "(self, other)", "self." + name.replace("_", "") + "(other)",
            (a, params) -> Convert.convert(outOfPlace.apply(a[0], a[1]), a[0].dtype())));
    return p.batch(Rules.inPlaceBroadcasting(p));
  }

  private static TensorType arithmeticType(String name, TensorType self, TensorType other) {
    checkBroadcastInto(name, self, other, "other");
    DType result = Elementwise.binaryType(name, self, other, false).dtype();
    if (!canCast(result, self.dtype())) {
      throw new EngineException(
          name,
          "a result type that casts to self's dtype " + self.dtype()
              + " (floats do not cast to integers or bool, numbers do not cast to bool)",
          "self: " + self + ", other: " + other + ": result type " + result
              + " can't be cast to the desired output type " + self.dtype(),
          "use the out-of-place op, whose result is " + result + ", or convert other first if"
              + " truncation is meant: other.to(DType." + self.dtype().name() + ")");
    }
    return self;
  }

  /** PyTorch's {@code canCast}: no float to integral or bool, no non-bool to bool. */
  private static boolean canCast(DType from, DType to) {
    return !(from.isFloating() && !to.isFloating()) && !(from != DType.BOOL && to == DType.BOOL);
  }

  /** Checks that {@code src} broadcasts to self's shape without growing it; returns self's type. */
  private static TensorType checkBroadcastInto(
      String name, TensorType self, TensorType src, String arg) {
    int[] b = Shape.broadcast(name, self, src);
    if (!Arrays.equals(b, self.shape())) {
      throw new EngineException(
          name,
          arg + " broadcastable to self's shape " + Shape.str(self.shape())
              + " (an in-place op cannot change the destination's shape)",
          "self: " + self + ", " + arg + ": " + src + ": output with shape "
              + Shape.str(self.shape()) + " doesn't match the broadcast shape " + Shape.str(b),
          "write into a tensor of the broadcast shape, e.g. x.expand(...).copy() first, or use the"
              + " out-of-place op");
    }
    return self;
  }

  /**
   * {@code self op= other}: computed in the promoted dtype, cast into self. Writes in place with
   * the kernels when the dtype is already self's and self's layout allows, else through a
   * temporary copied in with {@link Materialize#copyInto}.
   */
  private static DenseTensor apply(String name, BinaryOp op, DenseTensor self, DenseTensor other) {
    checkNoInternalOverlap(name, self);
    DenseTensor src = unaliased(self, other);
    TensorType result = Elementwise.binaryType(name, self.type(), src.type(), false);
    if (result.dtype() == self.dtype() && Elementwise.kernelWritable(self)) {
      Elementwise.binaryInto(op, self, src, self);
    } else {
      Materialize.copyInto(Elementwise.binary(op, self, src, result), self);
    }
    return self;
  }

  private static DenseTensor copy(DenseTensor self, DenseTensor src) {
    checkNoInternalOverlap("copy_", self);
    Materialize.copyInto(unaliased(self, src), self);
    return self;
  }

  /** PyTorch's internal-overlap check: an axis of extent above 1 with stride 0. */
  private static void checkNoInternalOverlap(String name, DenseTensor self) {
    int[] shape = self.shapeRef();
    int[] strides = self.stridesRef();
    for (int i = 0; i < shape.length; i++) {
      if (strides[i] == 0 && shape[i] > 1) {
        throw new EngineException(
            name,
            "a destination whose elements each have their own memory location",
            "self: " + self.type() + " with stride 0 on axis " + i + " (an expanded view)."
                + " unsupported operation: more than one element of the written-to tensor"
                + " refers to a single memory location",
            "Please clone() the tensor before performing the operation (x.copy()), or write"
                + " into the tensor that was expanded");
      }
    }
  }

  /**
   * {@code src}, or a copy of it if it shares memory with self as another view (NOTE [In-place
   * aliasing]).
   */
  private static DenseTensor unaliased(DenseTensor self, DenseTensor src) {
    boolean sameView =
        src.offset() == self.offset()
            && Arrays.equals(src.shapeRef(), self.shapeRef())
            && Arrays.equals(src.stridesRef(), self.stridesRef());
    return src.storage() == self.storage() && !sameView ? Materialize.copy(src) : src;
  }

  private static TensorType indexPutType(
      String name, TensorType self, TensorType index, TensorType values) {
    if (self.rank() == 0 || index.dtype() != DType.I64 || index.rank() != 1) {
      throw new EngineException(
          name, "self with at least one axis and index: i64[k] (positions along axis 0)",
          "self: " + self + ", index: " + index,
          "pass the row positions as a 1-d i64 tensor, e.g. Tensors.of(new long[] {0, 2})");
    }
    if (values.dtype() != self.dtype()) {
      throw new EngineException(
          name, "values of self's dtype " + self.dtype(),
          "self: " + self + ", values: " + values + " (index put requires the source and"
              + " destination dtypes match)",
          "convert the values first: values.to(DType." + self.dtype().name() + ")");
    }
    int[] indexed = self.shape();
    indexed[0] = index.dim(0);
    if (!broadcastsTo(values.shape(), indexed)) {
      throw new EngineException(
          name, "values broadcastable to the indexing result's shape " + Shape.str(indexed),
          "values: " + values + " for self: " + self + ", index: " + index + ": shape mismatch:"
              + " value tensor of shape " + Shape.str(values.shape()) + " cannot be broadcast to"
              + " indexing result of shape " + Shape.str(indexed),
          "pass one row of values per index, or a single row to broadcast");
    }
    return self;
  }

  private static boolean broadcastsTo(int[] src, int[] target) {
    int lead = target.length - src.length;
    for (int i = 0; i < src.length; i++) {
      if (lead < 0 || (src[i] != 1 && src[i] != target[lead + i])) {
        return false;
      }
    }
    return lead >= 0;
  }

  /**
   * Row {@code index[j]} of self gets row j of the values (broadcast to {@code [k, rest...]}), in
   * order j = 0, 1, ...: with duplicate indices the last write wins, or with {@code accumulate}
   * every row is added. Indices may be negative (from the end); all are checked before any write.
   */
  private static DenseTensor putRows(
      String name, DenseTensor self, DenseTensor index, DenseTensor values, boolean accumulate) {
    checkNoInternalOverlap(name, self);
    long[] idx = checkedIndices(name, self, index);
    int[] indexed = self.shape();
    indexed[0] = idx.length;
    DenseTensor src = unaliased(self, values);
    DenseTensor v = new DenseTensor(
        src.storage(), indexed, StridedLoop.broadcastStrides(src, indexed), src.offset());
    int rows = self.shapeRef()[0];
    for (int j = 0; j < idx.length; j++) {
      int r = (int) (idx[j] < 0 ? idx[j] + rows : idx[j]);
      if (self.rank() == 1) {
        putElement(self, r, v, j, accumulate);
      } else if (accumulate) {
        apply(name, BinaryOp.ADD, row(self, r), row(v, j));
      } else {
        Materialize.copyInto(row(v, j), row(self, r));
      }
    }
    return self;
  }

  /** The indices as longs, after checking every one against axis 0 of self. */
  private static long[] checkedIndices(String name, DenseTensor self, DenseTensor index) {
    long[] idx = Materialize.toLongArray(index);
    int rows = self.shapeRef()[0];
    for (long i : idx) {
      if (i < -rows || i >= rows) {
        throw new EngineException(
            name, "indices in [" + -rows + ", " + (rows - 1) + "] for self: " + self.type(),
            "index: " + index.type() + ": index " + i + " is out of bounds for dimension 0 with"
                + " size " + rows,
            "keep indices within axis 0 (negative ones count from the end)");
      }
    }
    return idx;
  }

  /**
   * {@code self[r] = v[j]} (or {@code +=}) for 1-d tensors of one dtype, without the per-row
   * drivers. Floats add in f64 and round once, which is the f32 sum exactly; bool adds as i64 and
   * casts back (logical or), as the row path does.
   */
  private static void putElement(
      DenseTensor self, int r, DenseTensor v, int j, boolean accumulate) {
    Storage d = self.storage();
    Storage s = v.storage();
    int at = self.offset() + r * self.stridesRef()[0];
    int from = v.offset() + j * v.stridesRef()[0];
    if (self.dtype().isFloating()) {
      d.setDouble(at, accumulate ? d.getDouble(at) + s.getDouble(from) : s.getDouble(from));
    } else {
      d.setLong(at, accumulate ? d.getLong(at) + s.getLong(from) : s.getLong(from));
    }
  }

  /** The view {@code t[r]}: axis 0 fixed at {@code r}. */
  private static DenseTensor row(DenseTensor t, int r) {
    int[] shape = t.shapeRef();
    int[] strides = t.stridesRef();
    return new DenseTensor(
        t.storage(),
        Arrays.copyOfRange(shape, 1, shape.length),
        Arrays.copyOfRange(strides, 1, strides.length),
        t.offset() + r * strides[0]);
  }

  /** {@code self += other} in place; returns self. */
  public static Tensor add_(Tensor self, Tensor other) {
    return Bind.bind(ADD_, Params.NONE, self, other);
  }

  /** {@code self *= other} in place; returns self. */
  public static Tensor mul_(Tensor self, Tensor other) {
    return Bind.bind(MUL_, Params.NONE, self, other);
  }

  /** Copies {@code src} (broadcast, converted) into {@code self}; returns self. */
  public static Tensor copy_(Tensor self, Tensor src) {
    return Bind.bind(COPY_, Params.NONE, self, src);
  }

  /**
   * {@code self[index[j]] = values[j]} (or {@code +=} with {@code accumulate}) along axis 0;
   * returns self. See {@link #INDEX_PUT_}.
   */
  public static Tensor indexPut_(Tensor self, Tensor index, Tensor values, boolean accumulate) {
    return Bind.bind(INDEX_PUT_, new IndexPut(accumulate), self, index, values);
  }

  /**
   * Out-of-place index put: a copy of self with {@code [index[j]] = values[j]} (or {@code +=}):
   * {@code self: t[n,r...], index: i64[k], values: t[b...] -> t[n,r...]}. See {@link #INDEX_PUT}.
   */
  public static Tensor indexPut(Tensor self, Tensor index, Tensor values, boolean accumulate) {
    return Bind.bind(INDEX_PUT, new IndexPut(accumulate), self, index, values);
  }
}
