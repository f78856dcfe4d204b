package io.sparkfunc.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tensor -> Arrow vector -> tensor, for every layout, dtype, rank and n in {0, 1, 4097}. */
@ExtendWith(LeakCheck.class)
class RoundTripTest {

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      for (int n : new int[] {0, 1, 4097}) {
        for (int[] row : new int[][] {{}, {5}, {2, 3}}) {
          out.add(Arguments.of(t, n, row));
        }
      }
    }
    return out.stream();
  }

  /** Distinct, exactly representable values (so f32/f64 round trips compare exactly). */
  static Tensor sample(DType t, int n, int[] row) {
    int[] shape = new int[row.length + 1];
    shape[0] = n;
    System.arraycopy(row, 0, shape, 1, row.length);
    int numel = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] v = new double[numel];
    for (int i = 0; i < numel; i++) {
      v[i] = (i % 1000) * 0.25 - (i / 1000) - 3.5;
    }
    return Tensors.of(v, shape).to(t);
  }

  static void assertSame(Tensor want, Tensor got) {
    assertEquals(want.dtype(), got.dtype());
    assertArrayEquals(want.shape(), got.shape());
    assertArrayEquals(want.toDoubleArray(), got.toDoubleArray());
  }

  @ParameterizedTest(name = "{0} n={1} row={2}")
  @MethodSource("cases")
  void fixedSizeListRoundTrip(DType t, int n, int[] row, BufferAllocator alloc) {
    Tensor x = sample(t, n, row);
    try (FieldVector v = ArrowTensors.toFixedSizeList(x, "x", alloc);
        ArrowTensor back = ArrowTensors.view(v, row)) {
      assertEquals(n, v.getValueCount());
      assertEquals(n > 0, back.zeroCopy());
      assertSame(x, back.tensor());
    }
  }

  @ParameterizedTest(name = "{0} n={1} row={2}")
  @MethodSource("cases")
  void listRoundTrip(DType t, int n, int[] row, BufferAllocator alloc) {
    Tensor x = sample(t, n, row);
    try (ListVector v = ArrowTensors.toList(x, "x", alloc);
        ArrowTensor back = ArrowTensors.view(v, row)) {
      int d = Arrays.stream(row).reduce(1, (a, b) -> a * b);
      for (int i = 0; i <= n; i++) {
        assertEquals(i * d, v.getOffsetBuffer().getInt(4L * i), "offset " + i);
      }
      assertSame(x, back.tensor());
      assertSame(x, ArrowTensors.copy(v, row));
    }
  }

  @ParameterizedTest(name = "{0} n={1} row={2}")
  @MethodSource("cases")
  void tensorVectorRoundTripThroughIpcFileAndStream(
      DType t, int n, int[] row, BufferAllocator alloc) {
    Tensor x = sample(t, n, row);
    try (FixedShapeTensorVector v = ArrowTensors.toTensorVector(x, "x", alloc);
        VectorSchemaRoot root = VectorSchemaRoot.of(v)) {
      assertSame(x, ArrowTensors.copy(v));
      for (boolean file : new boolean[] {true, false}) {
        List<Tensor> read = roundTrip(root, file, alloc);
        assertEquals(1, read.size());
        assertSame(x, read.get(0));
      }
    }
  }

  /** Writes {@code root} as an IPC file or stream and reads back each batch's column 0 (copied). */
  static List<Tensor> roundTrip(VectorSchemaRoot root, boolean file, BufferAllocator alloc) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Tensor> out = new ArrayList<>();
    if (file) {
      TensorIpc.writeFile(List.of(root), Channels.newChannel(bytes), alloc);
      TensorIpc.readFile(new ByteArrayReadableSeekableByteChannel(bytes.toByteArray()), alloc,
          b -> out.add(readBack(root, b)));
    } else {
      TensorIpc.writeStream(List.of(root), Channels.newChannel(bytes), alloc);
      TensorIpc.readStream(Channels.newChannel(new java.io.ByteArrayInputStream(bytes.toByteArray())),
          alloc, b -> out.add(readBack(root, b)));
    }
    return out;
  }

  private static Tensor readBack(VectorSchemaRoot written, VectorSchemaRoot b) {
    assertEquals(written.getSchema(), b.getSchema());
    FieldVector col = b.getVector(0);
    assertInstanceOf(FixedShapeTensorVector.class, col);
    return ArrowTensors.copy(col);
  }

  @Test
  void plainValuesVectorsHoldRankOneTensors(BufferAllocator alloc) {
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      Tensor x = sample(t, 4097, new int[0]);
      try (FieldVector v = ArrowTensors.toValues(x, "y", alloc);
          ArrowTensor back = ArrowTensors.view(v)) {
        assertEquals(t == DType.F32 ? Float4Vector.class : Float8Vector.class, v.getClass());
        assertTrue(back.zeroCopy());
        assertSame(x, back.tensor());
      }
    }
  }

  @Test
  void dimNamesAndPermutationSurviveIpcAndPermuteTheView(BufferAllocator alloc) {
    FixedShapeTensorType type = new FixedShapeTensorType(
        new int[] {2, 3, 4}, List.of("C", "H", "W"), new int[] {1, 2, 0});
    assertArrayEquals(new int[] {3, 4, 2}, type.logicalShape());
    Tensor x = sample(DType.F32, 7, new int[] {3, 4, 2});
    try (FixedShapeTensorVector v = ArrowTensors.toTensorVector(x, "img", alloc, type);
        VectorSchemaRoot root = VectorSchemaRoot.of(v)) {
      assertEquals("{\"shape\":[2,3,4],\"dim_names\":[\"C\",\"H\",\"W\"],\"permutation\":[1,2,0]}",
          v.getField().getMetadata().get("ARROW:extension:metadata"));
      try (ArrowTensor view = ArrowTensors.view(v)) {
        assertSame(x, view.tensor());
        // physical row 0 is x[0] in (C,H,W) order: x[0].permute(2,0,1)
        Tensor physical = ArrowTensors.copy(v.getUnderlyingVector(), 2, 3, 4);
        assertSame(x.select(0, 0).permute(2, 0, 1).copy(), physical.select(0, 0).copy());
      }
      for (boolean file : new boolean[] {true, false}) {
        assertSame(x, roundTrip(root, file, alloc).get(0));
      }
    }
  }

  @Test
  void manyBatchesKeepTheirOrder(BufferAllocator alloc) {
    Tensor a = sample(DType.F64, 3, new int[] {2});
    Tensor b = sample(DType.F64, 5, new int[] {2}).mul(-1.0);
    try (FixedShapeTensorVector va = ArrowTensors.toTensorVector(a, "x", alloc);
        FixedShapeTensorVector vb = ArrowTensors.toTensorVector(b, "x", alloc);
        VectorSchemaRoot ra = VectorSchemaRoot.of(va);
        VectorSchemaRoot rb = VectorSchemaRoot.of(vb)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      TensorIpc.writeFile(List.of(ra, rb), Channels.newChannel(bytes), alloc);
      List<Tensor> got = new ArrayList<>();
      TensorIpc.readFile(new ByteArrayReadableSeekableByteChannel(bytes.toByteArray()), alloc,
          r -> got.add(ArrowTensors.copy(r.getVector("x"))));
      assertEquals(2, got.size());
      assertSame(a, got.get(0));
      assertSame(b, got.get(1));
    }
  }
}
