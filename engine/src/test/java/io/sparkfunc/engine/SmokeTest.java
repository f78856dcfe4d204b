package io.sparkfunc.engine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void basics() {
    Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor b = Tensors.of(new float[] {10, 20, 30});
    assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, x.add(b).toFloatArray());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, x.transpose(0, 1).copy().toFloatArray());
    assertArrayEquals(new float[] {2, 8, 4, 10, 6, 12}, x.mT().mul(2).toFloatArray());
    assertArrayEquals(new float[] {2, 5}, x.select(1, 1).toFloatArray());
    Tensor col = x.slice(1, 1, 2, 1); // [2,1]
    assertArrayEquals(new float[] {2, 4, 6, 20, 25, 30}, x.mul(col).toFloatArray());
    assertEquals(Float.NaN, Tensors.of(new float[] {-1}).log().toFloatArray()[0]);
    System.out.println(x.exp() + " " + x.gt(3.0));
    Exception e = assertThrows(RuntimeException.class, () -> x.add(Tensors.of(new float[] {1, 2})));
    System.out.println(e.getMessage());
    System.out.println(assertThrows(RuntimeException.class, () -> x.reshape(4, 2)).getMessage());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, x.transpose(0,1).reshape(6).toFloatArray().length == 6 ? x.reshape(6).toFloatArray() : null);
  }
}
