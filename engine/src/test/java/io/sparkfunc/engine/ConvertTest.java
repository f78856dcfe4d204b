package io.sparkfunc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.prim.Convert;
import io.sparkfunc.engine.storage.BufferStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ConvertTest {

  @Test
  void floatToI64TruncatesTowardZero() {
    Tensor x = Tensors.of(new float[] {-2.7f, -0.5f, 0.5f, 2.7f, 3f, -3f});
    Tensor y = x.to(DType.I64);
    assertEquals(new TensorType(DType.I64, 6), y.type());
    assertArrayEquals(new long[] {-2, 0, 0, 2, 3, -3}, y.toLongArray());
    assertArrayEquals(
        new long[] {-1, 1}, Tensors.of(new double[] {-1.9999999, 1.9999999}).to(DType.I64).toLongArray());
  }

  @Test
  void nonFiniteAndOutOfRangeFloatsToI64FollowJavaCasts() {
    Tensor x = Tensors.of(new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e20, -1e20});
    assertArrayEquals(
        new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE},
        x.to(DType.I64).toLongArray());
  }

  @Test
  void toBoolIsNonZero() {
    Tensor f = Tensors.of(new float[] {0f, -0f, 2f, Float.NaN, -1e-30f});
    assertArrayEquals(new boolean[] {false, false, true, true, true}, f.to(DType.BOOL).toBooleanArray());
    Tensor i = Tensors.of(new long[] {0, 7, -1});
    assertArrayEquals(new boolean[] {false, true, true}, i.to(DType.BOOL).toBooleanArray());
  }

  @Test
  void fromBoolTrueIsOne() {
    Tensor b = Tensors.of(new boolean[] {true, false, true});
    assertArrayEquals(new float[] {1, 0, 1}, b.to(DType.F32).toFloatArray());
    assertArrayEquals(new double[] {1, 0, 1}, b.to(DType.F64).toDoubleArray());
    assertArrayEquals(new long[] {1, 0, 1}, b.to(DType.I64).toLongArray());
  }

  @Test
  void floatWidthsRoundToNearest() {
    Tensor d = Tensors.of(new double[] {0.1, 1e40, -1e-50, 1 + 0x1p-30});
    assertArrayEquals(
        new float[] {0.1f, Float.POSITIVE_INFINITY, -0f, 1f}, d.to(DType.F32).toFloatArray());
    Tensor f = Tensors.of(new float[] {0.1f, Float.MIN_VALUE});
    assertArrayEquals(new double[] {0.1f, Float.MIN_VALUE}, f.to(DType.F64).toDoubleArray());
    Tensor big = Tensors.of(new long[] {(1L << 24) + 1, (1L << 53) + 1, -5});
    assertArrayEquals(new float[] {1 << 24, 0x1p53f, -5f}, big.to(DType.F32).toFloatArray());
    assertArrayEquals(new double[] {1 << 24 | 1, 0x1p53, -5}, big.to(DType.F64).toDoubleArray());
  }

  @Test
  void sameDtypeReturnsTheTensorItself() {
    Tensor x = Tensors.of(new float[] {1, 2});
    assertSame(x, x.to(DType.F32));
    Tensor y = x.to(DType.F64);
    assertNotSame(x, y);
    assertArrayEquals(new double[] {1, 2}, y.toDoubleArray());
  }

  @Test
  void stridedAndBroadcastViewsConvertInRowMajorOrder() {
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, x.mT().to(DType.F64).toDoubleArray());
    assertArrayEquals(new double[] {1, 3, 4, 6}, x.slice(1, 0, 3, 2).to(DType.F64).toDoubleArray());
    Tensor row = Tensors.of(new double[] {0.5, -1.5});
    assertArrayEquals(new float[] {0.5f, -1.5f, 0.5f, -1.5f}, row.expand(2, 2).to(DType.F32).toFloatArray());
    assertArrayEquals(new long[] {0, -1, 0, -1}, row.expand(2, 2).to(DType.I64).toLongArray());
  }

  @Test
  void offHeapInputConverts() {
    ByteBuffer buf = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
    buf.putFloat(0, 1.5f).putFloat(4, -2.5f).putFloat(8, 7f);
    Tensor x = DenseTensor.contiguous(BufferStorage.wrap(buf, DType.F32, 3), 3);
    assertArrayEquals(new double[] {1.5, -2.5, 7}, x.to(DType.F64).toDoubleArray());
    assertArrayEquals(new long[] {1, -2, 7}, x.to(DType.I64).toLongArray());
  }

  @Test
  void resultIsAFreshContiguousTensor() {
    Tensor x = Tensors.of(new long[] {1, 2, 3, 4}, 2, 2);
    DenseTensor y = (DenseTensor) Convert.convert(x, DType.F32);
    assertTrue(y.isDenseHeap());
    assertArrayEquals(new int[] {2, 2}, y.shape());
    assertTrue(Primitive.all().contains(Convert.CONVERT_ELEMENT_TYPE));
    assertEquals("convert_element_type", Convert.CONVERT_ELEMENT_TYPE.name());
    assertEquals(new TensorType(DType.BOOL), Tensors.scalar(3, DType.F64).to(DType.BOOL).type());
  }
}
