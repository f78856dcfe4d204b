package io.sparkfunc.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.List;
import java.util.Random;
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

  static Tensor randn(DType t, long seed, int... shape) {
    Random r = new Random(seed);
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
    }
    return Tensors.of(v, shape).to(t);
  }

  /** {@code vmap(grad(loss, 0), [NOT_MAPPED, 0, 0])(w, xs, ys)}: one gradient per row. */
  static Tensor perSampleGrads(Fn loss, Tensor w, Tensor xs, Tensor ys) {
    return Func.vmap(Func.grad(loss, 0), List.of(Func.NOT_MAPPED, 0, 0)).tensor(w, xs, ys);
  }

  @Test
  void linearModelOverAListColumnEqualsTheHeapPath(BufferAllocator alloc) {
    for (DType t : new DType[] {DType.F32, DType.F64}) {
      int n = 4097;
      Tensor xs = randn(t, 1, n, 16);
      Tensor ys = randn(t, 2, n);
      Tensor w = randn(t, 3, 16);
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
    Tensor xs = randn(DType.F32, 4, 300, 8);
    Tensor ys = randn(DType.F32, 5, 300);
    Tensor w1 = randn(DType.F32, 6, 8, 5);
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
