package io.sparkfunc.engine.transform;

import static io.sparkfunc.engine.transform.TestData.assertClose;
import static io.sparkfunc.engine.transform.TestData.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The transform API: dims, trees, chunking, randomness, aux outputs, compositions and thread safety. */
class FuncApiTest {

  @Test
  void outDimsAndNegativeInDims() {
    Tensor x = randn(1, DType.F64, 4, 3);
    Tensor got = Func.vmap(Fn.of(r -> r.mul(2)), -2, 1).tensor(x);
    assertArrayEquals(new int[] {3, 4}, got.shape());
    assertClose(x.mul(2).mT(), got, 0);
    Tensor cols = Func.vmap(Fn.of(c -> c.sum()), -1).tensor(x);
    assertClose(x.sum(false, 0), cols, 1e-12);
  }

  @Test
  void unbatchedOutputIsBroadcastAndNotMappedOutDimKeepsIt() {
    Tensor x = randn(2, DType.F64, 5, 2);
    Tensor c = randn(3, DType.F64, 2);
    Tensor got = Func.vmap(Fn.of(r -> c)).tensor(x);
    assertArrayEquals(new int[] {5, 2}, got.shape());
    Object pair = Func.vmap(a -> List.of(((Tensor) a[0]).sum(), c), 0, List.of(0, Func.NOT_MAPPED)).apply(x);
    assertArrayEquals(new int[] {2}, ((Tensor) ((List<?>) pair).get(1)).shape());
  }

  record Layer(Tensor w, Tensor b) {}

  @Test
  void treesOfListsMapsAndRecords() {
    Tree.register(Layer.class);
    Layer layer = new Layer(randn(4, DType.F64, 3, 2), randn(5, DType.F64, 2));
    Map<String, Object> batch = new LinkedHashMap<>();
    batch.put("x", randn(6, DType.F64, 7, 3));
    batch.put("scale", Tensors.scalar(2, DType.F64));
    Map<String, Object> dims = new LinkedHashMap<>();
    dims.put("x", 0);
    dims.put("scale", Func.NOT_MAPPED);
    Fn f = a -> {
      Layer l = (Layer) a[0];
      Map<?, ?> m = (Map<?, ?>) a[1];
      return ((Tensor) m.get("x")).matmul(l.w()).add(l.b()).mul((Tensor) m.get("scale"));
    };
    Tensor got = Func.vmap(f, Arrays.asList(Func.NOT_MAPPED, dims)).tensor(layer, batch);
    Tensor want = ((Tensor) batch.get("x")).matmul(layer.w()).add(layer.b()).mul(2);
    assertClose(want, got, 1e-12);
    Object g = Func.grad(a -> ((Tensor) f.apply(a)).sum(), 0).apply(layer, batch);
    assertEquals(Layer.class, g.getClass());
    assertClose(((Tensor) batch.get("x")).sum(false, 0).unsqueeze(-1).expand(3, 2).mul(2), ((Layer) g).w(), 1e-12);
  }

  @Test
  void chunkedVmapEqualsWholeBatch() {
    Tensor x = randn(7, DType.F64, 10, 3);
    Fn norm = Fn.of(r -> r.pow(2).sum().sqrt());
    Tensor whole = Func.vmap(norm).tensor(x);
    Tensor chunked = Func.vmap(norm, 0, 0, 3, Randomness.ERROR).tensor(x);
    assertClose(whole, chunked, 0);
  }

  @Test
  void randomnessSameAndDifferentAreReproducible() {
    Key key = Key.of(11);
    Tensor x = Tensors.zeros(DType.F64, 4, 3);
    Fn noisy = Fn.of(r -> r.add(Random.rand(key, DType.F64, 3)));
    Tensor same = Func.vmap(noisy, 0, 0, 0, Randomness.SAME).tensor(x);
    for (int i = 1; i < 4; i++) {
      assertClose(same.select(0, 0), same.select(0, i), 0);
    }
    Tensor diff = Func.vmap(noisy, 0, 0, 0, Randomness.DIFFERENT).tensor(x);
    assertNotEquals(diff.get(0, 0), diff.get(1, 0));
    assertClose(Random.rand(key, DType.F64, 4, 3), diff, 0);
    assertClose(diff, Func.vmap(noisy, 0, 0, 0, Randomness.DIFFERENT).tensor(x), 0);
  }

  @Test
  void gradWithAuxGradAndValueAndSeveralArgnums() {
    Tensor a = randn(8, DType.F64, 3);
    Tensor b = randn(9, DType.F64, 3);
    Fn f = x -> List.of(((Tensor) x[0]).mul((Tensor) x[1]).sum(), ((Tensor) x[0]).mul(2));
    List<?> withAux = (List<?>) Func.grad(f, new int[] {0}, true).apply(a, b);
    assertClose(b, (Tensor) withAux.get(0), 0);
    assertClose(a.mul(2), (Tensor) withAux.get(1), 0);
    List<?> both = (List<?>) Func.grad(Fn.of((x, y) -> x.mul(y).sum()), 0, 1).apply(a, b);
    assertClose(b, (Tensor) both.get(0), 0);
    assertClose(a, (Tensor) both.get(1), 0);
    List<?> gv = (List<?>) Func.gradAndValue(Fn.of((x, y) -> x.mul(y).sum()), new int[] {1}, false).apply(a, b);
    assertClose(a, (Tensor) gv.get(0), 0);
    assertEquals(a.mul(b).sum().item(), ((Tensor) gv.get(1)).item(), 1e-12);
  }

  @Test
  void jacobiansOfAVectorFunction() {
    Tensor x = randn(10, DType.F64, 3);
    Fn f = Fn.of(v -> v.sin().mul(v.sum()));
    // J[i][j] = cos(x_i) s delta_ij + sin(x_i), s = sum(x)
    double s = x.sum().item();
    double[] xv = x.toDoubleArray();
    double[] want = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        want[i * 3 + j] = (i == j ? Math.cos(xv[i]) * s : 0) + Math.sin(xv[i]);
      }
    }
    assertClose(want, Func.jacrev(f).tensor(x), 1e-12);
    assertClose(want, Func.jacfwd(f).tensor(x), 1e-12);
    Func.LinearizeResult lin = Func.linearize(f, x);
    Tensor t = randn(11, DType.F64, 3);
    assertClose(Tensors.of(want, 3, 3).matmul(t), lin.jvpFn().tensor(t), 1e-12);
  }

  @Test
  void compositions() {
    Tensor xs = randn(12, DType.F64, 5, 3);
    Fn cube = Fn.of(v -> v.pow(3).sum());
    // vmap(hessian): per row, diag(6 x)
    Tensor hs = Func.vmap(Func.hessian(cube)).tensor(xs);
    assertArrayEquals(new int[] {5, 3, 3}, hs.shape());
    assertClose(xs.mul(6).select(0, 2), hs.select(0, 2).sum(false, 1), 1e-12);
    // vmap(jvp) equals jvp of the batch (the function is elementwise)
    Fn sq = Fn.of(v -> v.mul(v));
    Tensor ones = Tensors.onesLike(xs);
    Tensor vj = Func.vmap(a -> Func.jvp(sq, new Object[] {a[0]}, new Object[] {a[1]}).tangent()).tensor(xs, ones);
    assertClose(xs.mul(2), vj, 1e-12);
    // grad of a function that calls vmap inside
    Tensor g = Func.grad(Fn.of(b -> Func.vmap(Fn.of(r -> r.pow(2).sum())).tensor(b).sum())).tensor(xs);
    assertClose(xs.mul(2), g, 1e-12);
    // vmap of a function that calls grad inside, and jacfwd(jacrev) equals jacrev(jacrev)
    Tensor pg = Func.vmap(Func.grad(cube)).tensor(xs);
    assertClose(xs.pow(2).mul(3), pg, 1e-12);
    Tensor x = xs.select(0, 0);
    assertClose(Func.jacrev(Func.jacrev(cube)).tensor(x), Func.jacfwd(Func.jacrev(cube)).tensor(x), 1e-12);
    // third order: d3/dx3 of x^4 = 24 x
    Fn q = Fn.of(v -> v.pow(4).sum());
    Fn d1 = Fn.of(v -> Func.grad(q).tensor(v).sum());
    Fn d2 = Fn.of(v -> Func.grad(d1).tensor(v).sum());
    assertClose(x.mul(24), Func.grad(d2).tensor(x), 1e-10);
  }

  @Test
  void vmapOfVmapWithNonZeroDims() {
    Tensor x = randn(13, DType.F64, 2, 3, 4);
    Tensor got = Func.vmap(Func.vmap(Fn.of(v -> v.sum()), 1), 2).tensor(x);
    // outer maps axis 2 (4), inner maps axis 1 of the remaining [2,3] (3): out [4,3] = sum over axis 0
    assertClose(x.sum(false, 0).mT(), got, 1e-12);
  }

  @Test
  void fourThreadsRunningNestedTransformsAgreeWithOneThread() throws Exception {
    Tensor xs = randn(14, DType.F64, 16, 4);
    List<Fn> jobs = List.of(
        Func.vmap(Func.grad(Fn.of(v -> v.pow(3).sum()))),
        Func.vmap(Func.hessian(Fn.of(v -> v.sin().sum()))),
        Fn.of(b -> Func.jacrev(Fn.of(v -> v.exp().mul(2))).tensor(b.select(0, 0))),
        Func.vmap(Func.vmap(Fn.of(v -> v.tanh()))));
    List<Tensor> serial = new ArrayList<>();
    for (Fn j : jobs) {
      serial.add(j.tensor(xs));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 5; round++) {
        List<Future<Tensor>> futures = new ArrayList<>();
        for (Fn j : jobs) {
          futures.add(pool.submit(() -> j.tensor(xs)));
        }
        for (int i = 0; i < jobs.size(); i++) {
          assertClose(serial.get(i), futures.get(i).get(), 0);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
