package io.sparkfunc.arrow;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.core.EngineException;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * A validated tensor column: {@code rows} rows of {@code prod(rowShape)} values of {@code dtype},
 * stored back to back from element 0 of {@code data} (the values vector's data buffer), so that
 * the column is the row-major tensor {@code [rows, ...rowShape]} (then permuted by {@code
 * permutation}, if not null).
 *
 * <p>{@link #of} checks, in order: the column kind, the element type, the row shape against the
 * list size, null rows, row lengths and offsets (lists), null elements and the values count. Each
 * failure is an {@link EngineException} naming the first offending row.
 */
record ColumnLayout(
    String where, int rows, int[] rowShape, int[] permutation, DType dtype, ArrowBuf data) {

  /** Elements in the column. */
  long numel() {
    return (long) rows * Shape.numel(rowShape);
  }

  /** The tensor's physical shape {@code [rows, ...rowShape]}. */
  int[] physicalShape() {
    int[] s = new int[rowShape.length + 1];
    s[0] = rows;
    System.arraycopy(rowShape, 0, s, 1, rowShape.length);
    return s;
  }

  /**
   * Validates {@code column} and describes its values.
   *
   * @param rowShape the per-row shape to read, or null to take it from the column (extension
   *     metadata, the list size, or for a ListVector the first row's length)
   */
  static ColumnLayout of(FieldVector column, int[] rowShape) {
    String where = "ArrowTensors.view(column '" + column.getName() + "': "
        + column.getField().getType() + (rowShape == null ? "" : ", rowShape="
        + Shape.str(rowShape)) + ")";
    int rows = column.getValueCount();
    checkNoNullRows(where, column);
    if (column instanceof FixedShapeTensorVector) {
      FixedShapeTensorType t = ((FixedShapeTensorVector) column).tensorType();
      if (rowShape != null && !Arrays.equals(rowShape, t.logicalShape())) {
        throw new EngineException(where, "the row shape of the tensor type, "
            + Shape.str(t.logicalShape()), "rowShape=" + Shape.str(rowShape),
            "omit rowShape for extension columns, or pass the type's logical shape");
      }
      FixedSizeListVector storage = ((FixedShapeTensorVector) column).getUnderlyingVector();
      int[] shape = listShape(where, storage.getListSize(), t.shape());
      return values(where, rows, shape, t.permutation(), storage.getDataVector(), null);
    } else if (column instanceof FixedSizeListVector) {
      FixedSizeListVector v = (FixedSizeListVector) column;
      int[] shape = listShape(where, v.getListSize(), rowShape);
      return values(where, rows, shape, null, v.getDataVector(), null);
    } else if (column instanceof ListVector) {
      ListVector v = (ListVector) column;
      int[] shape = rowShape != null ? rowShape.clone()
          : new int[] {rows == 0 ? 0 : v.getElementEndIndex(0) - v.getElementStartIndex(0)};
      return values(where, rows, shape, null, v.getDataVector(), v);
    } else if (column instanceof Float4Vector || column instanceof Float8Vector) {
      if (rowShape != null && rowShape.length > 0) {
        throw new EngineException(where, "rowShape [] for a column of plain numbers",
            "rowShape=" + Shape.str(rowShape), "omit rowShape; the tensor is [n]");
      }
      return values(where, rows, new int[0], null, column, null);
    }
    throw new EngineException(where,
        "a FixedSizeList, List or " + FixedShapeTensorType.NAME + " column of float or double,"
            + " or a Float4/Float8 column", column.getClass().getSimpleName(),
        "write per-row tensors as fixed-length float/double arrays");
  }

  /** The row shape of a FixedSizeList: {@code rowShape} if its product is the list size. */
  private static int[] listShape(String where, int listSize, int[] rowShape) {
    if (rowShape == null) {
      return new int[] {listSize};
    }
    if (Shape.numel(rowShape) != listSize) {
      throw new EngineException(where,
          "a row shape whose product equals the list size " + listSize,
          "shape " + Shape.str(rowShape) + " (product " + Shape.numel(rowShape) + ")",
          "pass the shape the rows were written with; nothing is padded or truncated");
    }
    return rowShape.clone();
  }

  private static ColumnLayout values(String where, int rows, int[] rowShape, int[] permutation,
      ValueVector values, ListVector offsets) {
    DType dtype = elementType(where, values);
    int d = (int) Shape.numel(rowShape);
    long numel = (long) rows * d;
    if (numel > Integer.MAX_VALUE - 8) {
      throw new EngineException(where, "at most 2^31-9 elements per column batch",
          rows + " rows of " + d + " elements", "split the batch into smaller ones");
    }
    if (offsets != null) {
      checkOffsets(where, offsets, rows, d);
    }
    if (values.getValueCount() < numel) {
      throw new EngineException(where, rows + " rows of " + d + " values (" + numel + ")",
          values.getValueCount() + " values in the child vector",
          "set the child's value count when writing the column");
    }
    checkNoNullElements(where, values, (int) numel, d);
    return new ColumnLayout(where, rows, rowShape, permutation, dtype,
        ((FieldVector) values).getDataBuffer());
  }

  private static DType elementType(String where, ValueVector values) {
    if (values instanceof Float4Vector) {
      return DType.F32;
    } else if (values instanceof Float8Vector) {
      return DType.F64;
    }
    throw new EngineException(where, "elements of type float (f32) or double (f64)",
        "elements of type " + values.getField().getType(),
        "cast the column to float or double before handing it to the engine");
  }

  private static void checkNoNullRows(String where, ValueVector column) {
    if (column.getNullCount() == 0) {
      return;
    }
    for (int i = 0; i < column.getValueCount(); i++) {
      if (column.isNull(i)) {
        throw new EngineException(where, "no null rows in a tensor column",
            "row " + i + " is null (" + column.getNullCount() + " null rows)",
            "filter null rows out (WHERE x IS NOT NULL) or fill them before the engine runs");
      }
    }
  }

  /** Row lengths all {@code d} and row i starting at {@code i*d}. */
  private static void checkOffsets(String where, ListVector v, int rows, int d) {
    if (rows == 0) {
      return;
    }
    IntBuffer offsets = v.getOffsetBuffer().nioBuffer(0, 4 * (rows + 1))
        .order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    for (int i = 0; i < rows; i++) {
      int start = offsets.get(i);
      int len = offsets.get(i + 1) - start;
      if (len != d) {
        throw new EngineException(where, "every row of length " + d,
            "row " + i + " of length " + len + " (ragged rows)",
            "pad or trim rows to one length upstream; the engine never pads or truncates");
      }
      if (start != (long) i * d) {
        throw new EngineException(where, "row i to start at offset i*" + d,
            "row " + i + " starting at offset " + start + ", not " + ((long) i * d),
            "write the column afresh (e.g. copy it) so its offsets are dense from 0");
      }
    }
  }

  private static void checkNoNullElements(String where, ValueVector values, int numel, int d) {
    if (values.getNullCount() == 0) {
      return;
    }
    for (int j = 0; j < numel; j++) {
      if (values.isNull(j)) {
        throw new EngineException(where, "no null elements inside tensor rows",
            "row " + (j / d) + " has a null at element " + (j % d),
            "fill nulls (e.g. with 0 or NaN) upstream; the engine never guesses a value");
      }
    }
  }
}
