package io.sparkfunc.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.storage.BufferStorage;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A view shares the column's memory both ways, keeps it alive while leased, and leaks loudly. */
@ExtendWith(LeakCheck.class)
class ZeroCopyTest {

  @Test
  void writesThroughTheTensorAreSeenInTheListVectorAndBack(BufferAllocator alloc) {
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    try (ListVector v = ArrowTensors.toList(x, "x", alloc);
        ArrowTensor view = ArrowTensors.view(v)) {
      assertTrue(view.zeroCopy());
      Tensor t = view.tensor();
      DenseTensor d = t.concrete("test");
      assertTrue(d.storage() instanceof BufferStorage);
      assertEquals(v.getDataVector().getDataBuffer().memoryAddress(),
          directAddress(((BufferStorage) d.storage()).buffer()));
      Float4Vector values = (Float4Vector) v.getDataVector();
      t.mul_(10.0);                      // engine writes, Arrow reads
      assertEquals(60f, values.get(5));
      values.set(0, -7f);                // Arrow writes, engine reads
      assertEquals(-7.0, t.get(0, 0));
      assertArrayEquals(new float[] {-7, 20, 30, 40, 50, 60}, t.toFloatArray());
    }
  }

  @Test
  void fixedSizeListViewSharesMemoryToo(BufferAllocator alloc) {
    Tensor x = Tensors.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    try (FixedSizeListVector v = ArrowTensors.toFixedSizeList(x, "x", alloc);
        ArrowTensor view = ArrowTensors.view(v)) {
      view.tensor().select(0, 1).copy_(Tensors.of(new double[] {7, 8, 9}));
      Float8Vector values = (Float8Vector) v.getDataVector();
      assertEquals(9.0, values.get(5));
      assertEquals(1.0, values.get(0));
    }
  }

  /** BufferStorage duplicates the ByteBuffer; its address is the Arrow buffer's address. */
  private static long directAddress(java.nio.ByteBuffer b) {
    return org.apache.arrow.memory.util.MemoryUtil.getByteBufferAddress(b);
  }

  @Test
  void theLeaseKeepsMemoryAfterTheVectorIsClosed(BufferAllocator alloc) {
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
    ArrowTensor view;
    try (FixedSizeListVector v = ArrowTensors.toFixedSizeList(x, "x", alloc)) {
      view = ArrowTensors.view(v);
    }
    assertTrue(alloc.getAllocatedMemory() > 0, "the lease holds the values buffer");
    assertArrayEquals(new float[] {1, 2, 3, 4}, view.tensor().toFloatArray());
    view.close();
    view.close();
    assertEquals(0, alloc.getAllocatedMemory());
    assertThrows(EngineException.class, view::tensor);
  }

  @Test
  void anUnclosedViewIsALeakTheAllocatorReports() {
    // A root of its own: after a failed close() Arrow refuses every release on this allocator,
    // so the 64 leaked bytes stay leaked (that is what the test shows).
    BufferAllocator root = new org.apache.arrow.memory.RootAllocator();
    ArrowTensor view;
    try (FixedSizeListVector v =
        ArrowTensors.toFixedSizeList(Tensors.ones(DType.F32, 4, 3), "x", root)) {
      view = ArrowTensors.view(v);
    }
    IllegalStateException leak = assertThrows(IllegalStateException.class, root::close);
    assertTrue(leak.getMessage().contains("Memory was leaked"), leak.getMessage());
    assertThrows(IllegalStateException.class, view::close);
  }

  @Test
  void copiesAreIndependentOfTheColumn(BufferAllocator alloc) {
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
    try (FixedSizeListVector v = ArrowTensors.toFixedSizeList(x, "x", alloc)) {
      Tensor c = ArrowTensors.copy(v);
      ((Float4Vector) v.getDataVector()).set(0, 100f);
      assertEquals(1.0, c.get(0, 0));
      assertFalse(c.concrete("test").storage() instanceof BufferStorage);
    }
  }

  @Test
  void aColumnAboveTheViewLimitIsCopiedOnceInstead(BufferAllocator alloc) {
    Tensor x = RoundTripTest.sample(DType.F32, 100, new int[] {3});
    try (FixedSizeListVector v = ArrowTensors.toFixedSizeList(x, "x", alloc);
        ArrowTensor small = ArrowTensors.read(ColumnLayout.of(v, null), 1000)) {
      assertFalse(small.zeroCopy());
      RoundTripTest.assertSame(x, small.tensor());
    }
  }

  @Test
  void writersReadStridedAndOffHeapSources(BufferAllocator alloc) {
    Tensor x = RoundTripTest.sample(DType.F64, 4, new int[] {3});
    Tensor xt = x.transpose(0, 1).copy().transpose(0, 1); // same values, column-major strides
    try (FixedSizeListVector a = ArrowTensors.toFixedSizeList(xt, "a", alloc);
        ArrowTensor va = ArrowTensors.view(a);
        ListVector b = ArrowTensors.toList(va.tensor(), "b", alloc)) {
      RoundTripTest.assertSame(x, ArrowTensors.copy(b));
    }
  }
}
