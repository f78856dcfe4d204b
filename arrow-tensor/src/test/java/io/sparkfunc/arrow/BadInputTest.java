package io.sparkfunc.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every malformed column is an error naming the first bad row; nothing is padded or truncated. */
@ExtendWith(LeakCheck.class)
class BadInputTest {

  /** A List<float> column with the given rows (null for a null row; NaN-free values). */
  private static ListVector floatList(BufferAllocator alloc, Float[][] rows) {
    ListVector v = ListVector.empty("x", alloc);
    Float4Vector values = (Float4Vector) v.addOrGetVector(
        FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE))).getVector();
    v.allocateNew();
    int at = 0;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null) {
        v.setNull(i);
        continue;
      }
      v.startNewValue(i);
      for (Float f : rows[i]) {
        if (f == null) {
          values.setNull(at++);
        } else {
          values.setSafe(at++, f);
        }
      }
      v.endValue(i, rows[i].length);
    }
    v.setValueCount(rows.length);
    return v;
  }

  private static EngineException viewFails(FieldVector v) {
    return assertThrows(EngineException.class, () -> ArrowTensors.view(v).close());
  }

  private static EngineException viewFails(FieldVector v, int... rowShape) {
    return assertThrows(EngineException.class, () -> ArrowTensors.view(v, rowShape).close());
  }

  private static void assertMentions(EngineException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
  }

  @Test
  void nullRowsAreNamed(BufferAllocator alloc) {
    try (ListVector v = floatList(alloc, new Float[][] {{1f, 2f}, {3f, 4f}, null, {5f, 6f}})) {
      assertMentions(viewFails(v), "row 2 is null", "column 'x'", "IS NOT NULL");
    }
    try (FixedSizeListVector v = ArrowTensors.toFixedSizeList(Tensors.ones(DType.F32, 3, 2), "x", alloc)) {
      v.setNull(1);
      assertMentions(viewFails(v), "row 1 is null");
    }
  }

  @Test
  void nullElementsInsideRowsAreNamed(BufferAllocator alloc) {
    try (ListVector v = floatList(alloc, new Float[][] {{1f, 2f}, {3f, null}})) {
      assertMentions(viewFails(v), "row 1 has a null at element 1");
    }
    try (FixedSizeListVector v = ArrowTensors.toFixedSizeList(Tensors.ones(DType.F64, 3, 4), "x", alloc)) {
      ((org.apache.arrow.vector.Float8Vector) v.getDataVector()).setNull(9);
      assertMentions(viewFails(v, 2, 2), "row 2 has a null at element 1");
    }
  }

  @Test
  void raggedRowsAreNamed(BufferAllocator alloc) {
    try (ListVector v = floatList(alloc, new Float[][] {{1f, 2f, 3f}, {4f, 5f, 6f}, {7f, 8f}})) {
      EngineException e = viewFails(v);
      assertMentions(e, "every row of length 3", "row 2 of length 2", "never pads or truncates");
      assertEquals("ArrowTensors.view(column 'x': List)", e.where());
    }
    try (ListVector v = floatList(alloc, new Float[][] {{1f, 2f}, {4f, 5f}})) {
      assertMentions(viewFails(v, 3), "every row of length 3", "row 0 of length 2");
    }
  }

  @Test
  void offsetsThatAreNotIandDAreNamed(BufferAllocator alloc) {
    try (ListVector v = floatList(alloc, new Float[][] {{1f, 2f}, {3f, 4f}, {5f, 6f}})) {
      // rows of length 2 that start at 1, 3, 5: a slice-like layout with a gap at the front
      for (int i = 0; i <= 3; i++) {
        v.getOffsetBuffer().setInt(4L * i, 1 + 2 * i);
      }
      v.getDataVector().setValueCount(7);
      assertMentions(viewFails(v, 2), "row 0 starting at offset 1, not 0");
    }
  }

  @Test
  void wrongElementTypesAreNamed(BufferAllocator alloc) {
    try (ListVector v = ListVector.empty("ids", alloc)) {
      IntVector ints = (IntVector) v.addOrGetVector(FieldType.nullable(new ArrowType.Int(32, true))).getVector();
      v.allocateNew();
      v.startNewValue(0);
      ints.setSafe(0, 1);
      v.endValue(0, 1);
      v.setValueCount(1);
      assertMentions(viewFails(v), "float (f32) or double (f64)", "Int(32, true)", "cast");
    }
    try (VarCharVector v = new VarCharVector("s", alloc)) {
      assertMentions(viewFails(v), "VarCharVector");
    }
    assertMentions(assertThrows(EngineException.class,
        () -> ArrowTensors.toList(Tensors.arange(4), "i", alloc)), "f32 or f64", "i64");
  }

  @Test
  void aRowShapeThatDisagreesWithTheListSizeIsRefused(BufferAllocator alloc) {
    try (FixedSizeListVector v = ArrowTensors.toFixedSizeList(Tensors.ones(DType.F32, 2, 6), "x", alloc)) {
      assertMentions(viewFails(v, 2, 2), "product equals the list size 6", "shape [2,2] (product 4)");
      assertMentions(viewFails(v, 7), "shape [7] (product 7)");
    }
    try (FixedShapeTensorVector v = ArrowTensors.toTensorVector(Tensors.ones(DType.F32, 2, 2, 3), "x", alloc)) {
      assertMentions(viewFails(v, 3, 2), "the row shape of the tensor type, [2,3]");
    }
  }

  @Test
  void shapeMetadataThatDisagreesWithTheListSizeFailsOnRead(BufferAllocator alloc) throws Exception {
    // A file whose field claims shape [2,2] over FixedSizeList(6) rows.
    Field item = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    Field x = new Field("x", new FieldType(false, new ArrowType.FixedSizeList(6), null, Map.of(
        "ARROW:extension:name", FixedShapeTensorType.NAME,
        "ARROW:extension:metadata", "{\"shape\":[2,2]}")), List.of(item));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(x)), alloc);
        ArrowFileWriter w = new ArrowFileWriter(root, null, Channels.newChannel(bytes))) {
      root.setRowCount(0);
      w.start();
      w.writeBatch();
      w.end();
    }
    EngineException e = assertThrows(EngineException.class, () -> TensorIpc.readFile(
        new ByteArrayReadableSeekableByteChannel(bytes.toByteArray()), alloc, b -> { }));
    assertMentions(e, "shape [2, 2] (product 4) over FixedSizeList(6)", "nothing is padded");
  }

  @Test
  void malformedMetadataIsRefused() {
    FixedShapeTensorType t = FixedShapeTensorType.of(2, 3);
    ArrowType storage = new ArrowType.FixedSizeList(6);
    assertMentions(assertThrows(EngineException.class, () -> t.deserialize(storage, "{\"dims\":[6]}")),
        "\"shape\" array");
    assertMentions(assertThrows(EngineException.class,
        () -> t.deserialize(storage, "{\"shape\":[2,3],\"permutation\":[0,0]}")), "a permutation of 0..1");
    assertMentions(assertThrows(EngineException.class,
        () -> t.deserialize(storage, "{\"shape\":[2,3],\"dim_names\":[\"a\"]}")), "one dim_name per axis");
    assertMentions(assertThrows(EngineException.class,
        () -> t.deserialize(new ArrowType.List(), "{\"shape\":[2,3]}")), "storage type FixedSizeList");
  }
}
