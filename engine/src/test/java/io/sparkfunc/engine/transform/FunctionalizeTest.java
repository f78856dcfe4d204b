package io.sparkfunc.engine.transform;

import static io.sparkfunc.engine.transform.TestData.assertClose;
import static io.sparkfunc.engine.transform.TestData.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * functionalize, and in-place ops under every transform, against the same function run eagerly:
 * outputs equal, inputs left as eager mode leaves them (torch.func copies input mutations back at
 * the end), writes through views reaching their base, derivatives through in-place ops, and the
 * errors for writes a transform cannot perform.
 */
@Tag("unit")
class FunctionalizeTest {

  /** The seed's example: {@code x.add_(1); x.mul_(2); return x}. */
  private static final Fn SEED = Fn.of(x -> {
    x.add_(1);
    x.mul_(2);
    return x;
  });

  @Test
  void seedExampleMatchesEagerAndCopiesTheMutationBack() {
    Tensor x = randn(1, DType.F32, 5);
    Tensor eagerX = x.copy();
    Tensor eager = SEED.tensor(eagerX);
    Tensor out = Func.functionalize(SEED).tensor(x);
    assertClose(eager, out, 0);
    assertClose(eagerX, x, 0);
    assertNotSame(x, out);
  }

  @Test
  void inputsAreNotWrittenWhileTheFunctionRuns() {
    Tensor x = Tensors.of(new double[] {1, 2, 3});
    double[] seen = new double[3];
    Fn f = Fn.of(v -> {
      v.mul_(10);
      System.arraycopy(x.toDoubleArray(), 0, seen, 0, 3);
      return v.add(0);
    });
    Tensor out = Func.functionalize(f).tensor(x);
    assertArrayEquals(new double[] {1, 2, 3}, seen);
    assertArrayEquals(new double[] {10, 20, 30}, out.toDoubleArray());
    assertArrayEquals(new double[] {10, 20, 30}, x.toDoubleArray());
  }

  @Test
  void functionalizeInsideVmapWritesTheBatchedInput() {
    Tensor xs = randn(2, DType.F64, 3, 5);
    Tensor want = xs.add(1).mul(2);
    Tensor out = Func.vmap(Func.functionalize(SEED)).tensor(xs);
    assertClose(want, out, 1e-15);
    assertClose(want, xs, 1e-15);
  }

  @Test
  void gradOfFunctionalizeDifferentiatesThroughTheMutations() {
    Tensor x = randn(3, DType.F64, 4);
    Tensor before = x.copy();
    Fn f = Fn.of(v -> {
      v.add_(1);
      v.mul_(v);
      return v.sum();
    });
    Tensor g = Func.grad(Func.functionalize(f)).tensor(x);
    assertClose(x.add(1).mul(2), g, 1e-15);
    assertClose(before, x, 0);
  }

  @Test
  void writesThroughViewsReachTheBase() {
    Fn f = a -> {
      Tensor x = (Tensor) a[0];
      Tensor sibling = x.slice(1, 1, 4, 1);
      x.slice(1, 0, 3, 1).add_(10);
      x.mT().select(0, 3).mul_(-1);
      x.select(0, 1).slice(0, 0, 4, 2).copy_(Tensors.scalar(7, DType.F64));
      return List.of(sibling.mul(1), x.sum(false, 0));
    };
    Tensor x = randn(4, DType.F64, 3, 4);
    Tensor eagerX = x.copy();
    List<?> eager = (List<?>) f.apply(eagerX);
    List<?> out = (List<?>) Func.functionalize(f).apply(x);
    for (int i = 0; i < 2; i++) {
      assertClose((Tensor) eager.get(i), (Tensor) out.get(i), 0);
    }
    assertClose(eagerX, x, 0);
  }

  @Test
  void viewsOfAMutatedInputAreRecomputedFromIt() {
    Fn f = Fn.of(x -> {
      Tensor row = x.select(0, 0);
      x.mul_(3);
      return row;
    });
    Tensor x = Tensors.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor out = Func.functionalize(f).tensor(x);
    assertArrayEquals(new double[] {3, 6}, out.toDoubleArray());
    assertArrayEquals(new double[] {3, 6, 9, 12}, x.toDoubleArray());
  }

  @Test
  void mutationsAndViewsReturnsFreshTensors() {
    Tensor x = Tensors.of(new double[] {1, 2, 3, 4});
    Tensor view = Func.functionalize(Fn.of(v -> v.slice(0, 0, 2, 1))).tensor(x);
    assertEquals(((DenseTensor) x).storage(), ((DenseTensor) view).storage());
    Fn both = Func.functionalize(Fn.of(v -> v.slice(0, 0, 2, 1)), Remove.MUTATIONS_AND_VIEWS);
    Tensor fresh = both.tensor(x);
    fresh.mul_(0);
    Tensor itself = Func.functionalize(Fn.of(v -> v), Remove.MUTATIONS_AND_VIEWS).tensor(x);
    itself.mul_(0);
    assertArrayEquals(new double[] {1, 2, 3, 4}, x.toDoubleArray());
  }

  @Test
  void vmapWritesTheBatchedTensorItself() {
    Tensor xs = Tensors.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor ys = Tensors.of(new double[] {10, 20, 30}, 3);
    Fn f = Fn.of((x, y) -> x.add_(y));
    Func.vmap(f, List.of(1, 0)).apply(xs, ys);
    assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, xs.toDoubleArray());
  }

  @Test
  void vmapRefusesToWriteABatchIntoOneTensor() {
    Tensor x = Tensors.of(new float[] {1, 2, 3});
    Tensor ys = randn(5, DType.F32, 4, 3);
    Fn f = Fn.of((a, b) -> a.add_(b));
    EngineException e = assertThrows(EngineException.class,
        () -> Func.vmap(f, List.of(Func.NOT_MAPPED, 0)).apply(x, ys));
    assertEquals("vmap: add_(self, other)", e.where());
    assertEquals("self to be batched when other is (an in-place op cannot write a batch into one"
        + " tensor)", e.expected());
    assertEquals("self: f32[3] not batched, other: f32[3] batched", e.got());
    assertEquals("use the out-of-place op (self.add(other)) or map self too", e.fix());
    assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray());
  }

  /** {@code y = x.copy(); y.mul_(x); return y.sum()}: d/dx = 2x. */
  private static final Fn SQUARE_SUM = Fn.of(x -> {
    Tensor y = x.copy();
    y.mul_(x);
    return y.sum();
  });

  @Test
  void gradThroughAnInPlaceProductIsTwoX() {
    Tensor x = randn(6, DType.F64, 5);
    Tensor before = x.copy();
    assertClose(x.mul(2), Func.grad(SQUARE_SUM).tensor(x), 1e-15);
    assertClose(x.mul(2), Func.grad(Func.functionalize(SQUARE_SUM)).tensor(x), 1e-15);
    assertClose(before, x, 0);
  }

  @Test
  void jvpThroughAnInPlaceProductIsTwoXDotT() {
    Tensor x = randn(7, DType.F64, 5);
    Tensor t = randn(8, DType.F64, 5);
    Func.JvpResult r = Func.jvp(SQUARE_SUM, new Object[] {x}, new Object[] {t});
    assertEquals(x.mul(x).sum().item(), ((Tensor) r.out()).item(), 1e-12);
    assertEquals(x.mul(t).sum().mul(2).item(), ((Tensor) r.tangent()).item(), 1e-12);
  }

  @Test
  void gradAndJvpFollowWritesThroughViews() {
    Fn f = Fn.of(x -> {
      Tensor y = x.copy();
      y.slice(0, 0, 2, 1).mul_(x.slice(0, 2, 4, 1));
      return y.pow(2).sum();
    });
    Tensor x = Tensors.of(new double[] {1, 2, 3, 4});
    // f = (x0 x2)^2 + (x1 x3)^2 + x2^2 + x3^2
    double[] want = {2 * 1 * 9, 2 * 2 * 16, 2 * 1 * 3 + 6, 2 * 4 * 4 + 8};
    assertArrayEquals(want, Func.grad(f).tensor(x).toDoubleArray(), 1e-12);
    Tensor t = Tensors.of(new double[] {1, -1, 0.5, 2});
    double dot = want[0] - want[1] + 0.5 * want[2] + 2 * want[3];
    Object tangent = Func.jvp(f, new Object[] {x}, new Object[] {t}).tangent();
    assertEquals(dot, ((Tensor) tangent).item(), 1e-12);
  }

  @Test
  void gradRefusesToWriteIntoATensorItDoesNotTrace() {
    Fn f = Fn.of(x -> Tensors.zeros(DType.F64, 3).add_(x).sum());
    EngineException e = assertThrows(EngineException.class,
        () -> Func.grad(f).apply(Tensors.of(new double[] {1, 2, 3})));
    assertEquals("grad(f, argnums=[0]): add_(self, other)", e.where());
    assertEquals("self: f64[3] not traced, other: f64[3] traced", e.got());
  }

  @Test
  void functionalizeRefusesToWriteIntoACapturedTensor() {
    Tensor captured = Tensors.zeros(DType.F64, 3);
    Fn f = Fn.of(x -> captured.add_(x));
    EngineException e = assertThrows(EngineException.class,
        () -> Func.functionalize(f).apply(Tensors.of(new double[] {1, 2, 3})));
    assertEquals("functionalize(f, remove=MUTATIONS): add_(self, other)", e.where());
    assertEquals("use the out-of-place op (self.add(other)) or pass self to the function as an"
        + " argument", e.fix());
  }

  @Test
  void vmapWritesInsideFunctionalizeAndGradReachTheirBases() {
    Tensor xs = randn(9, DType.F64, 5, 3);
    Tensor want = xs.add(1).mul(2);
    Fn mapped = Func.vmap(SEED, 1, 1);
    assertClose(want, Func.functionalize(mapped).tensor(xs), 1e-15);
    assertClose(want, xs, 1e-15);
    Tensor ys = randn(10, DType.F64, 5, 3);
    Tensor before = ys.copy();
    Tensor g = Func.grad(Fn.of(y -> mapped.tensor(y).sum())).tensor(ys);
    assertClose(Tensors.full(2, DType.F64, 5, 3), g, 0);
    assertClose(before, ys, 0);
  }

  @Test
  void batchedIndexPutMatchesTheLoopAndRefusesOutOfRangeRows() {
    Tensor self = randn(11, DType.F64, 2, 4, 3);
    Tensor index = Tensors.of(new long[] {3, -1, 0, 2, 2, 1}, 2, 3);
    Tensor values = randn(12, DType.F64, 2, 3, 3);
    Fn put = a -> ((Tensor) a[0]).indexPut_((Tensor) a[1], (Tensor) a[2], false);
    Tensor want = Tensor.stack(List.of(
        self.select(0, 0).copy().indexPut_(index.select(0, 0), values.select(0, 0), false),
        self.select(0, 1).copy().indexPut_(index.select(0, 1), values.select(0, 1), false)), 0);
    Func.vmap(put).apply(self, index, values);
    assertClose(want, self, 0);
    Tensor bad = Tensors.of(new long[] {0, 4, 1, 2, 3, 0}, 2, 3);
    Tensor before = self.copy();
    assertThrows(EngineException.class, () -> Func.vmap(put).apply(self, bad, values));
    assertClose(before, self, 0);
  }
}
