package io.sparkfunc.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.List;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code vmap(grad(f))} over Arrow columns, zero-copy in, one bulk copy out, against the same
 * computation on heap tensors: per-sample gradients of a linear model ({@code [n,d]}) and of a
 * one-hidden-layer MLP's first weight ({@code [n,d,h]}, written as a tensor column).
 */
@ExtendWith(LeakCheck.class)
class PerSampleGradsTest {
  private static final Fn LINEAR = Fn.of((w, x, y) -> x.matmul(w).sub(y).pow(2));
  private static final Fn MLP = Fn.of((w1, x, y) -> x.matmul(w1).tanh().sum().sub(y).pow(2));

  /** {@code vmap(grad(loss, 0), [NOT_MAPPED, 0, 0])(w, xs, ys)}: one gradient per row. */
  static Tensor perSampleGrads(Fn loss, Tensor w, Tensor xs, Tensor ys) {
    return Func.vmap(Func.grad(loss, 0), List.of(Func.NOT_MAPPED, 0, 0)).tensor(w, xs, ys);
  }

  @Test
  void linearModelOverAListColumnEqualsTheHeapPath(BufferAllocator alloc) {
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      int n = 4097;
      Tensor xs = Random.randn(Key.of(1), t, n, 16);
      Tensor ys = Random.randn(Key.of(2), t, n);
      Tensor w = Random.randn(Key.of(3), t, 16);
      Tensor want = perSampleGrads(LINEAR, w, xs, ys);
      try (ListVector xCol = ArrowTensors.toList(xs, "x", alloc);      // Spark's layout
          FieldVector yCol = ArrowTensors.toValues(ys, "y", alloc);
          ArrowTensor x = ArrowTensors.view(xCol);
          ArrowTensor y = ArrowTensors.view(yCol)) {
        assertTrue(x.zeroCopy() && y.zeroCopy());
        Tensor g = perSampleGrads(LINEAR, w, x.tensor(), y.tensor());
        try (ListVector gCol = ArrowTensors.toList(g, "grad", alloc)) {
          Tensor back = ArrowTensors.copy(gCol);
          assertArrayEquals(new int[] {n, 16}, back.shape());
          assertArrayEquals(want.toDoubleArray(), back.toDoubleArray());
        }
      }
    }
  }

  @Test
  void mlpGradientsOverATensorColumnComeBackAsARankThreeTensorColumn(BufferAllocator alloc) {
    Tensor xs = Random.randn(Key.of(4), DType.F32, 300, 8);
    Tensor ys = Random.randn(Key.of(5), DType.F32, 300);
    Tensor w1 = Random.randn(Key.of(6), DType.F32, 8, 5);
    Tensor want = perSampleGrads(MLP, w1, xs, ys);
    try (FixedShapeTensorVector xCol = ArrowTensors.toTensorVector(xs, "x", alloc);
        FieldVector yCol = ArrowTensors.toValues(ys, "y", alloc);
        ArrowTensor x = ArrowTensors.view(xCol);
        ArrowTensor y = ArrowTensors.view(yCol);
        FixedShapeTensorVector gCol = ArrowTensors.toTensorVector(
            perSampleGrads(MLP, w1, x.tensor(), y.tensor()), "grad_w1", alloc)) {
      assertArrayEquals(new int[] {8, 5}, gCol.tensorType().shape());
      Tensor back = ArrowTensors.copy(gCol);
      assertArrayEquals(new int[] {300, 8, 5}, back.shape());
      assertArrayEquals(want.toDoubleArray(), back.toDoubleArray());
    }
  }
}
