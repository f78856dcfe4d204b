package io.sparkfunc.arrow;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.storage.BufferStorage;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The writers behind {@link ArrowTensors}: allocate the vector, mark every row and value valid,
 * write list offsets if any, then copy the tensor into the values buffer in one bulk copy ({@code
 * copy_} into a tensor over that buffer, so strided, permuted and off-heap sources need no extra
 * staging copy). On any failure the half-built vector is closed.
 */
final class ColumnWriter {
  private ColumnWriter() {}

  static FixedSizeListVector fixedSizeList(Tensor x, String name, BufferAllocator alloc) {
    String where = "ArrowTensors.toFixedSizeList(" + x.type() + ", '" + name + "')";
    int[] rowShape = rowShape(where, x);
    FixedSizeListVector v = new FixedSizeListVector(name, alloc,
        FieldType.notNullable(new ArrowType.FixedSizeList((int) Shape.numel(rowShape))), null);
    return fill(v, () -> {
      v.addOrGetVector(itemType(x));
      fillFixedSizeList(v, x, rowShape, null);
    });
  }

  static FixedShapeTensorVector tensorVector(
      Tensor x, String name, BufferAllocator alloc, FixedShapeTensorType type) {
    String where = "ArrowTensors.toTensorVector(" + x.type() + ", '" + name + "', " + type + ")";
    int[] rowShape = rowShape(where, x);
    if (!Arrays.equals(rowShape, type.logicalShape())) {
      throw new EngineException(where, "a tensor of row shape " + Shape.str(type.logicalShape())
          + " (the type's logical shape)", "row shape " + Shape.str(rowShape),
          "pass a type whose shape (permuted) is the tensor's row shape");
    }
    FixedShapeTensorVector v =
        (FixedShapeTensorVector) type.field(name, x.dtype()).createVector(alloc);
    return fill(v,
        () -> fillFixedSizeList(v.getUnderlyingVector(), x, type.shape(), type.permutation()));
  }

  static ListVector list(Tensor x, String name, BufferAllocator alloc) {
    String where = "ArrowTensors.toList(" + x.type() + ", '" + name + "')";
    int[] rowShape = rowShape(where, x);
    ListVector v =
        new ListVector(name, alloc, FieldType.notNullable(ArrowType.List.INSTANCE), null);
    return fill(v, () -> {
      FieldVector values = (FieldVector) v.addOrGetVector(itemType(x)).getVector();
      int n = x.size(0);
      int d = (int) Shape.numel(rowShape);
      v.setInitialCapacity(n, d); // values capacity n*d: no growth (and copy) on setValueCount
      v.allocateNew();
      if (n > 0) {
        IntBuffer offsets = v.getOffsetBuffer().nioBuffer(0, 4 * (n + 1))
            .order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        for (int i = 0; i <= n; i++) {
          offsets.put(i, i * d);
        }
      }
      v.setLastSet(n - 1);
      v.setValueCount(n);
      allValid(v.getValidityBuffer(), n);
      copyValues(values, x, physical(n, rowShape), null);
    });
  }

  static FieldVector values(Tensor x, String name, BufferAllocator alloc) {
    String where = "ArrowTensors.toValues(" + x.type() + ", '" + name + "')";
    if (rowShape(where, x).length != 0) {
      throw new EngineException(where, "a 1-d tensor t[n]", x.type().toString(),
          "use toFixedSizeList, toList or toTensorVector for rows with axes");
    }
    FieldVector v = x.dtype() == DType.F32
        ? new Float4Vector(name, itemType(x), alloc) : new Float8Vector(name, itemType(x), alloc);
    return fill(v, () -> {
      v.setInitialCapacity(x.size(0));
      v.allocateNew();
      copyValues(v, x, new int[] {x.size(0)}, null);
    });
  }

  /** The rows' shape {@code x.shape[1:]}, after checking x is a float tensor with a row axis. */
  private static int[] rowShape(String where, Tensor x) {
    FixedShapeTensorType.arrowType(x.dtype());
    if (x.rank() == 0) {
      throw new EngineException(where, "a tensor t[n, ...] with a row axis", x.type().toString(),
          "unsqueeze a scalar to [1] first");
    }
    int[] s = x.shape();
    return Arrays.copyOfRange(s, 1, s.length);
  }

  private static FieldType itemType(Tensor x) {
    return FieldType.notNullable(FixedShapeTensorType.arrowType(x.dtype()));
  }

  private static void fillFixedSizeList(
      FixedSizeListVector v, Tensor x, int[] physicalRow, int[] permutation) {
    int n = x.size(0);
    v.setInitialCapacity(n);
    v.allocateNew();
    v.setValueCount(n);
    allValid(v.getValidityBuffer(), n);
    copyValues((FieldVector) v.getDataVector(), x, physical(n, physicalRow), permutation);
  }

  private static int[] physical(int n, int[] row) {
    int[] s = new int[row.length + 1];
    s[0] = n;
    System.arraycopy(row, 0, s, 1, row.length);
    return s;
  }

  /**
   * Marks the {@code physical} values valid and copies x into them: x is the physical tensor
   * permuted by {@code permutation} (null for identity), so the copy writes through that view.
   */
  private static void copyValues(FieldVector values, Tensor x, int[] physical, int[] permutation) {
    int numel = (int) Shape.numel(physical);
    values.setValueCount(numel);
    allValid(values.getValidityBuffer(), numel);
    if (numel == 0) {
      return;
    }
    int bytes = Math.multiplyExact(numel, x.dtype().byteSize());
    BufferStorage out =
        BufferStorage.wrap(values.getDataBuffer().nioBuffer(0, bytes), x.dtype(), numel);
    if (permutation == null && x instanceof DenseTensor d && d.isContiguous()
        && d.storage().isHeap()) {
      // the common case (a fresh engine result): one memcpy-speed bulk put, no strided copy
      if (x.dtype() == DType.F32) {
        out.write(0, d.storage().f32Array(), d.offset(), numel);
      } else {
        out.write(0, d.storage().f64Array(), d.offset(), numel);
      }
      return;
    }
    Tensor dst = DenseTensor.contiguous(out, physical);
    if (permutation != null) {
      int[] axes = new int[permutation.length + 1];
      for (int i = 0; i < permutation.length; i++) {
        axes[i + 1] = permutation[i] + 1;
      }
      dst = dst.permute(axes);
    }
    dst.copy_(x);
  }

  /** Sets the first {@code count} validity bits: whole bytes in bulk, then the rest bit by bit. */
  private static void allValid(ArrowBuf validity, int count) {
    int full = count / 8;
    validity.setOne(0, full);
    for (int i = full * 8; i < count; i++) {
      BitVectorHelper.setBit(validity, i);
    }
  }

  /** Runs {@code body}, closing {@code v} if it throws; returns v. */
  private static <V extends FieldVector> V fill(V v, Runnable body) {
    try {
      body.run();
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }
}
