package io.sparkfunc.arrow;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.storage.BufferStorage;
import io.sparkfunc.engine.storage.HeapStorage;
import io.sparkfunc.engine.storage.Storage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Arrow columns to engine tensors and back. A column of n rows, each a fixed-shape array of
 * floats or doubles, is one tensor {@code t[n, ...rowShape]}.
 *
 * <p>Reading ({@link #view}) accepts a {@link FixedShapeTensorVector} (shape and permutation
 * from its metadata), a {@code FixedSizeListVector} ({@code [n, listSize]} or a row shape whose
 * product is the list size), a {@code ListVector} whose rows all have one length {@code d} and
 * whose offsets are exactly {@code i*d} (what Spark's Arrow writer produces for {@code
 * array<float>}), and a plain {@code Float4Vector}/{@code Float8Vector} ({@code [n]}). It
 * validates first (null rows, ragged rows, offsets, null elements, element type, shape against
 * list size; errors name the first bad row) and then:
 *
 * <ul>
 *   <li><b>zero-copy</b>: the tensor's storage is a view of the values vector's data buffer. This
 *       is every valid column up to 2 GiB of values (the limit of one {@code ByteBuffer} view).
 *   <li><b>one bulk copy</b>: a column of more than 2 GiB of values is copied to the heap in one
 *       pass; {@link #copy} always copies (for a tensor that must outlive the column).
 * </ul>
 *
 * <p>Writing ({@link #toFixedSizeList}, {@link #toList}, {@link #toTensorVector}, {@link
 * #toValues}) allocates a new vector from the caller's allocator and fills its values buffer in
 * one bulk copy (the caller closes the vector). Tensors of f32 and f64 only.
 */
public final class ArrowTensors {
  private ArrowTensors() {}

  /** Largest view: one {@code ByteBuffer} spans at most 2^31-1 bytes. */
  static final long MAX_VIEW_BYTES = Integer.MAX_VALUE;

  /**
   * {@code column -> t[n, ...rowShape]}, zero-copy when possible (see the class comment).
   *
   * @param column a tensor column (kinds above); the row shape comes from the column
   */
  public static ArrowTensor view(FieldVector column) {
    return read(ColumnLayout.of(column, null), MAX_VIEW_BYTES);
  }

  /**
   * {@code column -> t[n, ...rowShape]} with an explicit row shape, e.g. {@code [a, b]} for a
   * {@code FixedSizeList(a*b)} or for a {@code ListVector} of rows of length {@code a*b}.
   */
  public static ArrowTensor view(FieldVector column, int... rowShape) {
    return read(ColumnLayout.of(column, rowShape), MAX_VIEW_BYTES);
  }

  /**
   * {@code column -> t[n, ...rowShape]} as a heap tensor, in one bulk copy, after the same
   * validation as {@link #view(FieldVector)}; the tensor does not depend on the column afterwards.
   */
  public static Tensor copy(FieldVector column) {
    return read(ColumnLayout.of(column, null), 0).tensor();
  }

  /** {@link #copy(FieldVector)} with an explicit row shape, as for view. */
  public static Tensor copy(FieldVector column, int... rowShape) {
    return read(ColumnLayout.of(column, rowShape), 0).tensor();
  }

  /** Views a layout when its values fit {@code maxViewBytes}, else copies them to the heap. */
  static ArrowTensor read(ColumnLayout layout, long maxViewBytes) {
    int numel = (int) layout.numel();
    long bytes = (long) numel * layout.dtype().byteSize();
    ArrowBuf data = layout.data();
    ArrowBuf lease = null;
    Storage storage;
    if (bytes <= maxViewBytes && bytes > 0) {
      storage = BufferStorage.wrap(data.nioBuffer(0, (int) bytes), layout.dtype(), numel);
      data.getReferenceManager().retain();
      lease = data;
    } else {
      storage = bulkCopy(data, layout.dtype(), numel);
    }
    Tensor t = DenseTensor.contiguous(storage, layout.physicalShape());
    int[] perm = layout.permutation();
    if (perm != null) {
      int[] axes = new int[perm.length + 1];
      for (int i = 0; i < perm.length; i++) {
        axes[i + 1] = perm[i] + 1;
      }
      t = t.permute(axes);
    }
    return new ArrowTensor(t, lease);
  }

  /** Copies {@code numel} little-endian values to a heap array, 1 GiB per memcpy. */
  private static Storage bulkCopy(ArrowBuf data, DType dtype, int numel) {
    int width = dtype.byteSize();
    int chunk = (1 << 30) / width;
    float[] f = dtype == DType.F32 ? new float[numel] : null;
    double[] d = dtype == DType.F64 ? new double[numel] : null;
    for (int at = 0; at < numel; at += chunk) {
      int len = Math.min(chunk, numel - at);
      ByteBuffer bb = data.nioBuffer((long) at * width, len * width).order(ByteOrder.LITTLE_ENDIAN);
      if (f != null) {
        bb.asFloatBuffer().get(f, at, len);
      } else {
        bb.asDoubleBuffer().get(d, at, len);
      }
    }
    return f != null ? HeapStorage.of(f) : HeapStorage.of(d);
  }

  // ---- writing ----

  /**
   * {@code x: t[n, ...rowShape] -> FixedSizeList<t>[prod(rowShape)]} of n rows, in one bulk copy.
   * The shape beyond the list size is not recorded: use {@link #toTensorVector} to keep it.
   */
  public static FixedSizeListVector toFixedSizeList(Tensor x, String name, BufferAllocator alloc) {
    return ColumnWriter.fixedSizeList(x, name, alloc);
  }

  /**
   * {@code x: t[n, ...rowShape] -> List<t>} of n rows of {@code prod(rowShape)} values with
   * offsets {@code i*d} (the layout Spark reads), in one bulk copy of the values.
   */
  public static ListVector toList(Tensor x, String name, BufferAllocator alloc) {
    return ColumnWriter.list(x, name, alloc);
  }

  /**
   * {@code x: t[n, ...rowShape] -> arrow.fixed_shape_tensor} with {@code shape = rowShape}, in
   * one bulk copy.
   */
  public static FixedShapeTensorVector toTensorVector(
      Tensor x, String name, BufferAllocator alloc) {
    int[] s = x.shape();
    return toTensorVector(x, name, alloc,
        FixedShapeTensorType.of(java.util.Arrays.copyOfRange(s, 1, s.length)));
  }

  /**
   * {@code x: t[n, ...logicalShape] -> type}: the rows are stored in the type's physical order
   * (for a permutation, the one copy writes through a permuted view).
   *
   * @param type a tensor type whose {@link FixedShapeTensorType#logicalShape()} is x's row shape
   */
  public static FixedShapeTensorVector toTensorVector(
      Tensor x, String name, BufferAllocator alloc, FixedShapeTensorType type) {
    return ColumnWriter.tensorVector(x, name, alloc, type);
  }

  /** {@code x: t[n] -> Float4Vector (f32) or Float8Vector (f64)}, in one bulk copy. */
  public static FieldVector toValues(Tensor x, String name, BufferAllocator alloc) {
    return ColumnWriter.values(x, name, alloc);
  }
}
