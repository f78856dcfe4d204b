package io.sparkfunc.engine.transform;

import static io.sparkfunc.engine.transform.TestData.assertClose;
import static io.sparkfunc.engine.transform.TestData.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed document's examples (vmap, grad, higher order, jvp/vjp, per-sample grads, hessian), checked by hand-derived values and loops. */
class SeedExamplesTest {

  static Tensor norm(Tensor x) {
    return x.pow(2).sum().sqrt();
  }

  @Test
  void vmapOfRowNormEqualsLoop() {
    Tensor batch = randn(1, DType.F32, 100, 3);
    Tensor vmapped = Func.vmap(Fn.of(SeedExamplesTest::norm)).tensor(batch);
    List<Tensor> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(norm(batch.select(0, i)));
    }
    assertClose(io.sparkfunc.engine.prim.Combine.stack(rows, 0), vmapped, 1e-6);
  }

  @Test
  void gradOfMseEqualsHandDerivative() {
    Tensor w = randn(2, DType.F64, 5);
    Tensor b = randn(3, DType.F64, 1);
    Tensor x = randn(4, DType.F64, 100, 5);
    Tensor y = randn(5, DType.F64, 100);
    Fn loss = Fn.of((ww, bb, xx, yy) -> xx.matmul(ww).add(bb).sub(yy).pow(2).mean());
    Tensor g = Func.grad(loss, 0).tensor(w, b, x, y);
    // d/dw mean((xw + b - y)^2) = 2/n * x^T (xw + b - y)
    Tensor r = x.matmul(w).add(b).sub(y);
    Tensor want = x.mT().matmul(r).mul(2.0 / 100);
    assertClose(want, g, 1e-12);
  }

  @Test
  void secondDerivativeEqualsHessianDiagonal() {
    Tensor x = randn(6, DType.F64, 5);
    Fn f = Fn.of(v -> v.pow(4).sum());
    Tensor first = Func.grad(f).tensor(x);
    assertClose(x.pow(3).mul(4), first, 1e-12);
    // grad(grad(f)) needs a scalar: sum the first derivative, as the seed's diagonal check does per element
    Tensor hess = Func.hessian(f).tensor(x);
    Tensor diag = x.pow(2).mul(12);
    double[] h = hess.toDoubleArray();
    double[] d = diag.toDoubleArray();
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        org.junit.jupiter.api.Assertions.assertEquals(i == j ? d[i] : 0, h[i * 5 + j], 1e-10);
      }
    }
    Tensor gradOfGrad = Func.grad(Fn.of(v -> Func.grad(f).tensor(v).sum())).tensor(x);
    assertClose(diag, gradOfGrad, 1e-12);
  }

  @Test
  void jvpAndVjpOfPolynomials() {
    Tensor x = Tensors.of(new float[] {1, 2, 3});
    Fn f = Fn.of(v -> v.pow(3).add(v.pow(2).mul(2)).add(v));
    Func.JvpResult r = Func.jvp(f, new Object[] {x}, new Object[] {Tensors.onesLike(x)});
    assertClose(new double[] {8, 21, 40}, (Tensor) r.tangent(), 1e-6);
    assertClose(new double[] {4, 18, 48}, (Tensor) r.out(), 1e-6);
    Func.VjpResult v = Func.vjp(Fn.of(t -> t.pow(2)), x);
    assertClose(new double[] {2, 4, 6}, v.vjpFn().tensor(Tensors.onesLike(x)), 1e-6);
  }

  @Test
  void perSampleGradsEqualLoop() {
    Tensor w = randn(7, DType.F32, 5);
    Tensor xs = randn(8, DType.F32, 100, 5);
    Tensor ys = randn(9, DType.F32, 100);
    Fn loss = Fn.of((ww, xx, yy) -> xx.matmul(ww).sub(yy).pow(2));
    Tensor g = Func.vmap(Func.grad(loss, 0), List.of(Func.NOT_MAPPED, 0, 0)).tensor(w, xs, ys);
    assertArrayEquals(new int[] {100, 5}, g.shape());
    for (int i = 0; i < 100; i++) {
      Tensor one = Func.grad(loss, 0).tensor(w, xs.select(0, i), ys.select(0, i));
      assertClose(one, g.select(0, i), 1e-5);
    }
  }

  @Test
  void jacrevOfGradEqualsHessian() {
    Tensor x = randn(10, DType.F64, 3);
    Fn f = Fn.of(v -> v.pow(4).sum());
    Tensor h1 = Func.jacrev(Func.grad(f)).tensor(x);
    Tensor h2 = Func.hessian(f).tensor(x);
    assertArrayEquals(new int[] {3, 3}, h1.shape());
    assertClose(h2, h1, 1e-12);
  }
}
