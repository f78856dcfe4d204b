package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.storage.Storage;
import java.util.Arrays;

/**
 * In-place primitives with PyTorch's semantics: {@code add_}, {@code mul_}, {@code copy_} and
 * {@code index_put_}, {@code self: t[s...], src -> self} (the very same tensor, now changed). They
 * are what functionalization will rewrite into pure ops.
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
 */
public final class Mutation {
  private Mutation() {}

  /** Parameters of {@link #INDEX_PUT_}: sum into duplicates, or overwrite. */
  public record IndexPut(boolean accumulate) implements Params {}

  /** {@code self: t[s...], other: u[b...] -> self} with {@code self += other}. */
  public static final Primitive ADD_ = arithmetic("add_", BinaryOp.ADD);

  /** {@code self: t[s...], other: u[b...] -> self} with {@code self *= other}. */
  public static final Primitive MUL_ = arithmetic("mul_", BinaryOp.MUL);

  /** {@code self: t[s...], src: u[b...] -> self} with {@code self[...] = src} converted. */
  public static final Primitive COPY_ =
      Primitive.define(
          "copy_",
          2,
          (in, p) -> checkBroadcastInto("copy_", in[0], in[1], "src"),
          (in, p, out) -> copy(in[0], in[1]));

  /**
   * {@code self: t[n,r...], index: i64[k], values: t[b...] -> self} with {@code self[index] =
   * values} (or {@code +=}).
   */
  public static final Primitive INDEX_PUT_ =
      Primitive.define(
          "index_put_",
          3,
          (in, p) -> indexPutType(in[0], in[1], in[2]),
          (in, p, out) -> indexPut(in[0], in[1], in[2], ((IndexPut) p).accumulate()));

  private static Primitive arithmetic(String name, BinaryOp op) {
    return Primitive.define(
        name,
        2,
        (in, p) -> arithmeticType(name, in[0], in[1]),
        (in, p, out) -> apply(name, op, in[0], in[1]));
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

  private static TensorType indexPutType(TensorType self, TensorType index, TensorType values) {
    if (self.rank() == 0 || index.dtype() != DType.I64 || index.rank() != 1) {
      throw new EngineException(
          "index_put_", "self with at least one axis and index: i64[k] (positions along axis 0)",
          "self: " + self + ", index: " + index,
          "pass the row positions as a 1-d i64 tensor, e.g. Tensors.of(new long[] {0, 2})");
    }
    if (values.dtype() != self.dtype()) {
      throw new EngineException(
          "index_put_", "values of self's dtype " + self.dtype(),
          "self: " + self + ", values: " + values + " (index put requires the source and"
              + " destination dtypes match)",
          "convert the values first: values.to(DType." + self.dtype().name() + ")");
    }
    int[] indexed = self.shape();
    indexed[0] = index.dim(0);
    if (!broadcastsTo(values.shape(), indexed)) {
      throw new EngineException(
          "index_put_", "values broadcastable to the indexing result's shape " + Shape.str(indexed),
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
  private static DenseTensor indexPut(
      DenseTensor self, DenseTensor index, DenseTensor values, boolean accumulate) {
    checkNoInternalOverlap("index_put_", self);
    long[] idx = checkedIndices(self, index);
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
        apply("index_put_", BinaryOp.ADD, row(self, r), row(v, j));
      } else {
        Materialize.copyInto(row(v, j), row(self, r));
      }
    }
    return self;
  }

  /** The indices as longs, after checking every one against axis 0 of self. */
  private static long[] checkedIndices(DenseTensor self, DenseTensor index) {
    long[] idx = Materialize.toLongArray(index);
    int rows = self.shapeRef()[0];
    for (long i : idx) {
      if (i < -rows || i >= rows) {
        throw new EngineException(
            "index_put_", "indices in [" + -rows + ", " + (rows - 1) + "] for self: " + self.type(),
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
}
