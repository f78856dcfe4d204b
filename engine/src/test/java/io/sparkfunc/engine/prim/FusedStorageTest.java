package io.sparkfunc.engine.prim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import io.sparkfunc.engine.storage.Storage;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deferred, fused elementwise results (NOTE [Elementwise fusion]) against the same ops run one at
 * a time: every elementwise op with broadcast scalar operands, shared subexpressions, the node
 * cap, in-place writes into an operand or into the result, views, reductions (short rows
 * streamed, NOTE [Fused rows]), four threads, and
 * jvp/vjp of a polynomial. Arithmetic, compare, select, sqrt and the sign ops must agree bit for
 * bit; the vector-math transcendentals to a few ulp (interpreted and C2-compiled SVML code differ
 * by that, whatever the fusion, see {@code StagingTest}). Runs of 5000 elements span several tiles.
 */
class FusedStorageTest {
  private static final int N = 2 * FusedStorage.TILE + 904;
  private final int saved = FusedStorage.threshold();

  @AfterEach
  void restore() {
    FusedStorage.setThreshold(saved);
  }

  /** {@code f} evaluated unfused (threshold 0) and fused (threshold 1), in that order. */
  private static Tensor[] both(Function<Tensor[], Tensor> f, Tensor... in) {
    FusedStorage.setThreshold(0);
    Tensor plain = f.apply(in);
    assertTrue(storage(plain).isSettled());
    FusedStorage.setThreshold(1);
    Tensor fused = f.apply(in);
    assertInstanceOf(FusedStorage.class, storage(fused));
    assertFalse(storage(fused).isSettled(), "deferred until read");
    return new Tensor[] {plain, fused};
  }

  private static Storage storage(Tensor t) {
    return t.concrete("test").storage();
  }

  private static void assertBits(Function<Tensor[], Tensor> f, Tensor... in) {
    Tensor[] r = both(f, in);
    assertArrayEquals(r[0].shape(), r[1].shape());
    assertArrayEquals(r[0].toDoubleArray(), r[1].toDoubleArray());
  }

  private static void assertClose(Function<Tensor[], Tensor> f, Tensor... in) {
    Tensor[] r = both(f, in);
    double[] want = r[0].toDoubleArray();
    double[] got = r[1].toDoubleArray();
    double rel = r[0].dtype() == DType.F32 ? 1e-6 : 1e-14;
    for (int i = 0; i < want.length; i++) {
      if (Double.doubleToLongBits(want[i]) != Double.doubleToLongBits(got[i])) {
        assertEquals(want[i], got[i], rel * Math.max(1, Math.abs(want[i])), "element " + i);
      }
    }
  }

  private static Tensor randn(DType t, int seed, int... shape) {
    return Random.randn(Key.of(seed), t, shape);
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void exactOpsMatchTheUnfusedOpsBitForBit(DType t) {
    Tensor a = randn(t, 1, N);
    Tensor b = randn(t, 2, N);
    Tensor pos = a.abs().add(0.5);
    assertBits(x -> x[0].add(x[1]).mul(x[0]).sub(x[1].div(x[0])), a, b);
    assertBits(x -> x[0].maximum(x[1]).minimum(x[0].mul(0.5)).neg().abs().sign(), a, b);
    assertBits(x -> x[0].mul(x[1]).sqrt().rsqrt(), pos, pos);
    for (double p : new double[] {0, 1, 2, 3, 4, -1, 0.5}) {
      assertBits(x -> x[0].pow(p).add(x[1]), pos, b);
    }
    assertBits(x -> x[0].mul(2).sub(3).div(x[0].add(1)), pos);              // scalar operands
    assertBits(x -> x[0].scalarLike(2).sub(x[0]).mul(x[0].scalarLike(3)), a); // scalars on the left
    assertBits(x -> x[0].gt(x[1]).where(x[0].mul(2), x[1].sub(1)), a, b);
    assertBits(x -> x[0].mul(x[1]).le(x[0].scalarLike(0)).where(x[0], x[0].scalarLike(7)), a, b);
    assertBits(x -> x[0].eq(x[0]).where(x[1], x[0]), a, b);
    assertBits(x -> x[0].ne(x[1].mul(0)).where(x[1], x[0]), a, b);
    assertBits(x -> x[0].lt(x[1]).where(x[0].ge(x[1]).where(x[0], x[1]), x[1]), a, b);
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void transcendentalOpsMatchTheUnfusedOps(DType t) {
    Tensor a = randn(t, 3, N);
    Tensor pos = a.abs().add(0.25);
    assertClose(x -> x[0].exp().add(x[0].sin()).mul(x[0].cos()), a);
    assertClose(x -> x[0].log().add(x[0].log1p()).sub(x[0].expm1()), pos);
    assertClose(x -> x[0].tanh().mul(x[0].sigmoid()).add(x[0].erf()), a);
    assertClose(x -> x[0].pow(x[0].mul(0.5)).add(x[0].pow(1.7)), pos);
  }

  @Test
  void sharedSubexpressionIsOneStepAndWrittenOutOnlyWhenReadOutside() {
    Tensor a = randn(DType.F64, 4, N);
    FusedStorage.setThreshold(1);
    Tensor s = a.mul(a).add(1);
    Tensor y = s.mul(s).sub(s);                       // s read three times inside one graph
    y.toDoubleArray();
    assertFalse(storage(s).isSettled(), "read only inside y's graph: never written out");
    Tensor z = s.mul(3);                              // a second graph reads s
    Tensor w = s.add(z);                              // ... and a third, also through z
    w.toDoubleArray();
    assertTrue(storage(s).isSettled(), "z still reads s: written out in w's pass");
    double[] av = a.toDoubleArray();
    double[] yv = y.toDoubleArray();
    double[] wv = w.toDoubleArray();
    for (int i = 0; i < N; i++) {
      double si = av[i] * av[i] + 1;
      assertEquals(si * si - si, yv[i]);
      assertEquals(si + si * 3, wv[i]);
    }
  }

  @Test
  void longChainsComputeTheirOperandsBeyondTheNodeCap() {
    Tensor a = randn(DType.F64, 5, N);
    Tensor[] r = both(x -> {
      Tensor y = x[0];
      for (int i = 0; i < 1000; i++) {
        y = y.mul(1.0001).add(y.mul(-0.0001));
      }
      return y;
    }, a);
    assertArrayEquals(r[0].toDoubleArray(), r[1].toDoubleArray());
  }

  @Test
  void inPlaceWriteIntoAnOperandKeepsTheDeferredValue() {
    FusedStorage.setThreshold(1);
    Tensor x = Tensors.arange(N).to(DType.F64);
    Tensor y = x.mul(2);
    Tensor z = y.add(x);                              // reads x directly and through y
    x.add_(1000);
    x.slice(0, 0, 10, 1).mul_(0);                       // a write through a view of x
    double[] yv = y.toDoubleArray();
    double[] zv = z.toDoubleArray();
    for (int i = 0; i < N; i++) {
      assertEquals(2.0 * i, yv[i]);
      assertEquals(3.0 * i, zv[i]);
    }
  }

  @Test
  void inPlaceWriteIntoADeferredResultComputesItFirst() {
    FusedStorage.setThreshold(1);
    Tensor x = Tensors.arange(N).to(DType.F32);
    Tensor y = x.mul(2);
    Tensor z = y.add(1);                              // reads y before the write
    y.add_(x);
    y.slice(0, 0, 2, 1).copy_(Tensors.of(new float[] {-1, -1}));
    double[] yv = y.toDoubleArray();
    double[] zv = z.toDoubleArray();
    for (int i = 0; i < N; i++) {
      assertEquals(i < 2 ? -1.0 : 3.0 * i, yv[i]);
      assertEquals(2.0 * i + 1, zv[i]);
    }
  }

  @Test
  void viewsOfADeferredResultReadAndFuseLikeAnyTensor() {
    Tensor a = randn(DType.F64, 6, 4, N);
    assertBits(x -> x[0].mul(3).reshape(2, 2, N).add(1), a);   // a contiguous view fuses on
    // a strided view is computed first, and the op reading it runs unfused
    assertBitsAny(x -> x[0].mul(3).slice(1, 7, N, 2).add(1), a);
    assertBitsAny(x -> x[0].mul(3).transpose(0, 1).add(1), a);
    assertBits(x -> x[0].mul(3).slice(0, 1, 2, 1).add(x[0].slice(0, 1, 2, 1)), a);
    FusedStorage.setThreshold(1);
    Tensor y = a.add(2);
    assertEquals(a.get(3, 17) + 2, y.transpose(0, 1).get(17, 3));
  }

  @Test
  void reductionsMatmulAndConversionsReadDeferredOperands() {
    Tensor a = randn(DType.F64, 7, 50, 100);
    Tensor b = randn(DType.F64, 8, 100, 30);
    assertBitsAny(x -> x[0].mul(x[0]).sum(false, 1), a);
    assertBitsAny(x -> x[0].exp().matmul(x[1].add(1)), a, b);
    assertBitsAny(x -> x[0].add(1).to(DType.F32), a);
    assertBitsAny(x -> x[0].gt(0).to(DType.I64).sum(false, 1), a);
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void shortRowReductionsOfADeferredOperandStreamIt(DType t) {
    Tensor a = randn(t, 14, N, 3);
    Tensor b = randn(t, 15, 700, 2, 5);
    assertBitsAny(x -> x[0].mul(x[0]).sum(false, 1).sqrt(), a);        // a vmapped norm
    assertBitsAny(x -> x[0].exp().max(false, 1), a);
    assertBitsAny(x -> x[0].sub(1).min(false, 2), b);                  // r = 5: the general loop
    assertBitsAny(x -> x[0].add(x[0]).sum(false, 1, 2), b);            // two trailing axes, r = 10
    assertBitsAny(x -> x[0].add(2).sum(false, 0), b);                  // a leading axis: not streamed
    FusedStorage.setThreshold(1);
    Tensor sq = a.mul(a);
    double[] sums = sq.sum(false, 1).toDoubleArray();
    assertFalse(storage(sq).isSettled(), "streamed into the sum, never written whole");
    double[] av = a.toDoubleArray();
    for (int i = 0; i < N; i++) {
      double want = t == DType.F32
          ? (double) ((float) (av[3 * i] * av[3 * i]) + (float) (av[3 * i + 1] * av[3 * i + 1])
              + (float) (av[3 * i + 2] * av[3 * i + 2]))
          : av[3 * i] * av[3 * i] + av[3 * i + 1] * av[3 * i + 1] + av[3 * i + 2] * av[3 * i + 2];
      assertEquals(want, sums[i], t == DType.F32 ? 1e-5 * Math.abs(want) : 0, "row " + i);
    }
    Tensor shared = a.add(1);
    Tensor other = shared.mul(2);                                       // another reader
    shared.sum(false, 1).toDoubleArray();
    assertTrue(storage(shared).isSettled(), "read elsewhere too: computed whole");
    assertEquals(2 * (a.get(5, 1) + 1), other.get(5, 1));
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void longRowReductionsOfADeferredOperandStreamItWithTheSameSums(DType t) {
    Tensor rows64 = randn(t, 16, 1771, 64);                            // ghost clipping's row norms
    Tensor rows3000 = randn(t, 17, 7, 3000);                           // a row longer than a tile
    Tensor rows5000 = randn(t, 18, 3, 2, 5000);                        // pairwise halves, two axes
    assertBitsAny(x -> x[0].pow(2).sum(false, 1), rows64);
    assertBitsAny(x -> x[0].exp().max(false, 1), rows64);
    assertBitsAny(x -> x[0].mul(x[0]).sum(false, 1), rows3000);
    assertBitsAny(x -> x[0].sub(1).min(false, 1), rows3000);
    assertBitsAny(x -> x[0].add(x[0]).sum(false, 1, 2), rows5000);
    assertBitsAny(x -> x[0].add(x[0]).sum(false, 2), rows5000);
    FusedStorage.setThreshold(1);
    Tensor sq = rows64.pow(2);
    double[] sums = sq.sum(false, 1).toDoubleArray();
    assertFalse(storage(sq).isSettled(), "streamed into the sum, never written whole");
    double[] x = rows64.toDoubleArray();
    for (int i = 0; i < 1771; i += 97) {
      double want = 0;
      for (int j = 0; j < 64; j++) {
        want += x[64 * i + j] * x[64 * i + j];
      }
      assertEquals(want, sums[i], 1e-5 * want, "row " + i);
    }
  }

  /** Like {@link #assertBits} for results that are not themselves deferred. */
  private static void assertBitsAny(Function<Tensor[], Tensor> f, Tensor... in) {
    FusedStorage.setThreshold(0);
    Tensor plain = f.apply(in);
    FusedStorage.setThreshold(1);
    Tensor fused = f.apply(in);
    assertArrayEquals(plain.toDoubleArray(), fused.toDoubleArray());
  }

  @Test
  void fourThreadsComputeSharedGraphsConsistently() throws Exception {
    Tensor a = randn(DType.F64, 9, N);
    FusedStorage.setThreshold(0);
    double[] want = a.mul(a).add(a).mul(2).toDoubleArray();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 20; round++) {
        FusedStorage.setThreshold(1);
        Tensor s = a.mul(a).add(a);                 // shared by all four results
        List<Tensor> roots = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
          roots.add(s.mul(2));
        }
        List<Future<double[]>> got = new ArrayList<>();
        for (Tensor r : roots) {
          got.add(pool.submit(() -> r.toDoubleArray()));
        }
        for (Future<double[]> g : got) {
          assertArrayEquals(want, g.get());
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void jvpAndVjpOfAPolynomialFuseAndMatch() {
    Fn poly = Fn.of(x -> x.pow(3).add(x.pow(2).mul(2)).add(x));
    Tensor x = randn(DType.F64, 10, N);
    Tensor v = randn(DType.F64, 11, N);
    Tensor[] jvp = both(in -> (Tensor) Func.jvp(poly, new Object[] {in[0]}, new Object[] {in[1]})
        .tangent(), x, v);
    assertArrayEquals(jvp[0].toDoubleArray(), jvp[1].toDoubleArray());
    Tensor[] vjp = both(in -> (Tensor) Func.vjp(poly, in[0]).vjpFn().apply(in[1]), x, v);
    assertArrayEquals(vjp[0].toDoubleArray(), vjp[1].toDoubleArray());
  }

  @Test
  void resultsMaterializedTogetherShareOnePass() {
    Fn poly = Fn.of(x -> x.pow(3).add(x.pow(2).mul(2)).add(x));
    Tensor x = randn(DType.F64, 16, N);
    Tensor v = randn(DType.F64, 17, N);
    FusedStorage.setThreshold(0);
    Func.JvpResult want = Func.jvp(poly, new Object[] {x}, new Object[] {v});
    FusedStorage.setThreshold(1);
    Func.JvpResult got = Func.jvp(poly, new Object[] {x}, new Object[] {v});
    Tensor out = (Tensor) got.out();
    Tensor tangent = (Tensor) got.tangent();
    Tensor small = x.slice(0, 0, 10, 1).mul(2);
    Tensor plain = Tensors.ones(DType.F64, 3);
    FusedStorage.materializeAll(List.of(storage(out), storage(tangent), storage(small), storage(plain)));
    assertTrue(storage(out).isSettled() && storage(tangent).isSettled() && storage(small).isSettled());
    assertArrayEquals(((Tensor) want.out()).toDoubleArray(), out.toDoubleArray());
    assertArrayEquals(((Tensor) want.tangent()).toDoubleArray(), tangent.toDoubleArray());
    assertArrayEquals(x.slice(0, 0, 10, 1).mul(2).toDoubleArray(), small.toDoubleArray());
  }

  @Test
  void smallResultsOffHeapOperandsAndConversionsAreNotDeferred() {
    FusedStorage.setThreshold(1000);
    Tensor small = randn(DType.F32, 12, 999);
    assertTrue(storage(small.mul(2)).isSettled());
    Tensor big = randn(DType.F32, 13, 1000);
    assertFalse(storage(big.mul(2)).isSettled());
    assertTrue(storage(big.mul(Tensors.scalar(2, DType.F64))).isSettled(), "promotes: not fused");
    assertTrue(storage(StagingTest.offHeap(big).mul(2)).isSettled());
    assertTrue(storage(Tensors.arange(1000).mul(2)).isSettled(), "i64");
    DenseTensor d = big.mul(2).concrete("test");
    assertEquals(1000, d.storage().length());
  }
}
