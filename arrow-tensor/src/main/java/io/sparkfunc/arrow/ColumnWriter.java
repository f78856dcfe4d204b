package io.sparkfunc.arrow;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.storage.BufferStorage;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The writers behind {@link ArrowTensors}. Each allocates its buffers without zero-filling them
 * ({@code BufferAllocator.buffer}), writes every byte itself (list offsets, a validity bitmap of
 * n set bits, the values) and hands them to the vector with {@code loadFieldBuffers}, as an IPC
 * reader does: {@code allocateNew} would zero a buffer that is then overwritten whole. The values
 * are one copy of the tensor ({@code copy_} into a tensor over the data buffer): a bulk put for
 * a contiguous heap result, else the engine's strided copy, which writes strided and transposed
 * heap sources straight into the Arrow memory with raw stores (NOTE [Short runs] in the engine's
 * {@code Materialize}, NOTE [Raw stores] in its {@code BufferStorage}), one pass as into a Java
 * array. On any failure the half-built vector is closed.
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
      try (ArrowBuf offsets = alloc.buffer(4L * (n + 1))) {
        IntBuffer at = offsets.nioBuffer(0, 4 * (n + 1)).order(ByteOrder.LITTLE_ENDIAN)
            .asIntBuffer(); // a JIT-friendly loop; ArrowBuf.setInt checks bounds and refs per call
        for (int i = 0; i <= n; i++) {
          at.put(i, i * d);
        }
        load(v, n, offsets);
      }
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
    return fill(v, () -> copyValues(v, x, new int[] {x.size(0)}, null));
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
    load(v, n);
    copyValues((FieldVector) v.getDataVector(), x, physical(n, physicalRow), permutation);
  }

  private static int[] physical(int n, int[] row) {
    int[] s = new int[row.length + 1];
    s[0] = n;
    System.arraycopy(row, 0, s, 1, row.length);
    return s;
  }

  /**
   * Fills {@code values} with x: x is the physical tensor permuted by {@code permutation} (null for
   * identity), so the copy writes through that view, into a data buffer that is not zero-filled
   * first (every byte is written), and every value is valid.
   */
  private static void copyValues(FieldVector values, Tensor x, int[] physical, int[] permutation) {
    int numel = (int) Shape.numel(physical);
    int bytes = Math.multiplyExact(numel, x.dtype().byteSize());
    try (ArrowBuf data = values.getAllocator().buffer(bytes)) {
      if (numel > 0) {
        copy(x, BufferStorage.wrap(data.nioBuffer(0, bytes), x.dtype(), numel), physical,
            permutation);
      }
      load(values, numel, data);
    }
  }

  private static void copy(Tensor x, BufferStorage out, int[] physical, int[] permutation) {
    if (permutation == null && x instanceof DenseTensor d && d.isContiguous()
        && d.storage().isHeap()) {
      // the common case (a fresh engine result): one memcpy-speed bulk put, no strided copy
      if (x.dtype() == DType.F32) {
        out.write(0, d.storage().f32Array(), d.offset(), (int) x.numel());
      } else {
        out.write(0, d.storage().f64Array(), d.offset(), (int) x.numel());
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

  /**
   * Loads {@code count} valid slots into {@code v} over {@code buffers} (a list's offsets, a
   * values vector's data; none for a FixedSizeList), which v retains, and a validity bitmap
   * written here in one pass (Arrow's own all-valid bitmap would be zero-filled first).
   */
  private static void load(FieldVector v, int count, ArrowBuf... buffers) {
    try (ArrowBuf validity = allValid(v.getAllocator(), count)) {
      List<ArrowBuf> own = new ArrayList<>();
      own.add(validity);
      own.addAll(Arrays.asList(buffers));
      v.loadFieldBuffers(new ArrowFieldNode(count, 0), own);
    }
  }

  /** A bitmap with its first {@code count} bits set and every other bit of its capacity clear. */
  private static ArrowBuf allValid(BufferAllocator alloc, int count) {
    int bytes = BitVectorHelper.getValidityBufferSizeFromCount(count);
    ArrowBuf b = alloc.buffer(bytes);
    int full = count / 8;
    b.setOne(0, full);
    if (full < bytes) {
      b.setByte(full, (1 << (count % 8)) - 1);
    }
    b.setZero(bytes, b.capacity() - bytes);
    return b;
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
