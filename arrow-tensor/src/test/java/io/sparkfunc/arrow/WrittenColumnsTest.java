package io.sparkfunc.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writers fill buffers that are not zero-filled first and load them into the vector, so every
 * value, offset and validity bit must be written by them: tensors {@code t[n,3,4]} of every view
 * kind the engine hands out (contiguous, transposed as a per-sample matmul gradient is, broadcast,
 * at an offset, with the row axis inside, stepped) and {@code t[n,3,2,2]} permuted from a rank-4
 * base, f32 and f64, n in {0, 1, 4097}, written as FixedSizeList, List, tensor (identity and
 * reversed permutation) and plain columns, against the heap path ({@code toDoubleArray}). The
 * strided ones are written by raw stores into the Arrow buffer (NOTE [Raw stores] in the engine's
 * {@code BufferStorage}), whose last block ends on the buffer's last element. Leaks fail through
 * {@link LeakCheck}.
 */
@ExtendWith(LeakCheck.class)
class WrittenColumnsTest {

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      for (int n : new int[] {0, 1, 4097}) {
        for (Map.Entry<String, Tensor> v : views(t, n).entrySet()) {
          out.add(Arguments.of(t, n, v.getKey(), v.getValue()));
        }
      }
    }
    return out.stream();
  }

  /** Views of shape {@code [n,3,4]}, each over its own random base tensor. */
  static Map<String, Tensor> views(DType t, int n) {
    Map<String, Tensor> v = new LinkedHashMap<>();
    v.put("contiguous", Random.randn(Key.of(1), t, n, 3, 4));
    v.put("transposed", Random.randn(Key.of(2), t, n, 4, 3).transpose(1, 2));
    v.put("broadcast", Random.randn(Key.of(3), t, 1, 3, 4).expand(n, 3, 4));
    v.put("offset", Random.randn(Key.of(4), t, n + 2, 3, 4).slice(0, 2, n + 2, 1));
    v.put("rowAxisInside", Random.randn(Key.of(5), t, 3, n, 4).permute(1, 0, 2));
    v.put("stepped", Random.randn(Key.of(6), t, n, 3, 8).slice(2, 1, 8, 2));
    v.put("rank4", Random.randn(Key.of(7), t, n, 2, 3, 2).permute(0, 2, 3, 1));
    return v;
  }

  @ParameterizedTest(name = "{0} n={1} {2}")
  @MethodSource("cases")
  void fixedSizeListHoldsTheHeapPathsValues(DType t, int n, String kind, Tensor x,
      BufferAllocator alloc) {
    try (FixedSizeListVector v = ArrowTensors.toFixedSizeList(x, "x", alloc)) {
      assertAllValid(v, n);
      assertValues(x, (FieldVector) v.getDataVector());
    }
  }

  @ParameterizedTest(name = "{0} n={1} {2}")
  @MethodSource("cases")
  void listHoldsTheHeapPathsValuesAndOffsets(DType t, int n, String kind, Tensor x,
      BufferAllocator alloc) {
    try (ListVector v = ArrowTensors.toList(x, "x", alloc)) {
      assertAllValid(v, n);
      for (int i = 0; i <= n; i++) {
        assertEquals(12 * i, v.getOffsetBuffer().getInt(4L * i), "offset " + i);
      }
      assertValues(x, (FieldVector) v.getDataVector());
    }
  }

  @ParameterizedTest(name = "{0} n={1} {2}")
  @MethodSource("cases")
  void tensorColumnHoldsTheHeapPathsValues(DType t, int n, String kind, Tensor x,
      BufferAllocator alloc) {
    try (FixedShapeTensorVector v = ArrowTensors.toTensorVector(x, "x", alloc)) {
      assertAllValid(v.getUnderlyingVector(), n);
      assertValues(x, (FieldVector) v.getUnderlyingVector().getDataVector());
    }
  }

  @ParameterizedTest(name = "{0} n={1} {2}")
  @MethodSource("cases")
  void permutedTensorColumnHoldsTheRowsInPhysicalOrder(DType t, int n, String kind, Tensor x,
      BufferAllocator alloc) {
    int r = x.rank() - 1;
    int[] shape = new int[r];
    int[] permutation = new int[r];
    int[] physical = new int[r + 1];
    for (int i = 0; i < r; i++) {
      shape[i] = x.size(r - i);
      permutation[i] = r - 1 - i;
      physical[i + 1] = r - i;
    }
    FixedShapeTensorType type = new FixedShapeTensorType(shape, null, permutation);
    try (FixedShapeTensorVector v = ArrowTensors.toTensorVector(x, "x", alloc, type)) {
      assertAllValid(v.getUnderlyingVector(), n);
      assertValues(x.permute(physical), (FieldVector) v.getUnderlyingVector().getDataVector());
    }
  }

  @ParameterizedTest(name = "{0} n={1} {2}")
  @MethodSource("cases")
  void plainColumnHoldsTheHeapPathsValues(DType t, int n, String kind, Tensor x,
      BufferAllocator alloc) {
    Tensor column = x;                                    // [n], strided in every case but one
    while (column.rank() > 2) {
      column = column.select(column.rank() - 1, column.size(column.rank() - 1) - 1);
    }
    column = column.select(1, 1);
    try (FieldVector v = ArrowTensors.toValues(column, "y", alloc)) {
      assertEquals(t == DType.F32 ? Float4Vector.class : Float8Vector.class, v.getClass());
      assertValues(column, v);
    }
  }

  /** Every value of x, in row-major order, equal to the heap path's, and all of them valid. */
  static void assertValues(Tensor x, FieldVector values) {
    int count = (int) x.numel();
    assertAllValid(values, count);
    double[] got = new double[count];
    for (int i = 0; i < count; i++) {
      got[i] = values instanceof Float4Vector
          ? ((Float4Vector) values).get(i) : ((Float8Vector) values).get(i);
    }
    assertArrayEquals(x.toDoubleArray(), got);
  }

  /**
   * {@code count} slots, none null, and in the validity bitmap exactly the first count bits set:
   * bits past them are clear up to the buffer's capacity, so a later append starts from nulls.
   */
  static void assertAllValid(FieldVector v, int count) {
    assertEquals(count, v.getValueCount());
    assertEquals(0, v.getNullCount());
    ArrowBuf validity = v.getValidityBuffer();
    for (long i = 0; i < validity.capacity() * 8; i++) {
      boolean set = (validity.getByte(i / 8) >> (i % 8) & 1) != 0;
      if (set != i < count) {
        assertFalse(true, "validity bit " + i + " is " + set + " for " + count + " slots");
      }
    }
  }
}
