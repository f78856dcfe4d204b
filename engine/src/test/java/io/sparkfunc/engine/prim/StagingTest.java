package io.sparkfunc.engine.prim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.storage.BufferStorage;
import java.nio.ByteBuffer;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ops on off-heap operands (NOTE [Storage staging]) against the same ops on heap copies: runs
 * longer than a tile, broadcasts both ways, strided views, and dot_general with off-heap lhs, rhs
 * or both, in row, column (transposed) and broadcast layouts larger than one staged block.
 * Results must be bit-identical (transcendentals to a few ulp, see below): staged GEMM blocks
 * take the algorithm, and so the summation order, of the whole problem on the heap.
 */
class StagingTest {

  /** An off-heap (direct buffer) copy of x, contiguous, same values. */
  static Tensor offHeap(Tensor x) {
    int n = (int) x.numel();
    DenseTensor t = DenseTensor.contiguous(BufferStorage.wrap(
        ByteBuffer.allocateDirect(n * x.dtype().byteSize()), x.dtype(), n), x.shape());
    t.copy_(x);
    return t;
  }

  static void assertBits(Tensor want, Tensor got) {
    assertArrayEquals(want.shape(), got.shape());
    assertArrayEquals(want.toDoubleArray(), got.toDoubleArray());
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void elementwiseOpsMatchTheHeapPath(DType t) {
    Tensor a = Random.randn(Key.of(1), t, 3, 2500);      // runs longer than a tile
    Tensor row = Random.randn(Key.of(2), t, 2500);
    Tensor col = Random.randn(Key.of(3), t, 3, 1);
    Tensor oa = offHeap(a);
    Tensor orow = offHeap(row);
    assertBits(a.add(row), oa.add(row));
    assertBits(a.sub(row), a.sub(orow));
    assertBits(a.mul(a), oa.mul(oa));
    assertBits(a.div(col), oa.div(offHeap(col)));
    assertBits(row.sub(a), orow.sub(oa));
    // transcendentals: interpreted and C2-compiled (SVML) vector code differ by a few ulp, and
    // the two calls may run in different compilation states
    double ulps = t == DType.F32 ? 1e-6 : 1e-14;
    assertClose(a.exp(), oa.exp(), ulps);
    assertClose(a.tanh().neg(), oa.tanh().neg(), ulps);
    assertBits(a.pow(2), oa.pow(2));
    assertClose(a.abs().pow(1.5), offHeap(a.abs()).pow(1.5), ulps);
    assertBits(a.lt(row).to(t), oa.lt(orow).to(t));
    assertBits(a.gt(0.1).where(a, row), oa.gt(0.1).where(oa, orow));
    assertBits(a.transpose(0, 1).abs(), oa.transpose(0, 1).abs());   // strided: staged copy
    assertBits(a.slice(1, 7, 1507, 1).mul(2.0), oa.slice(1, 7, 1507, 1).mul(2.0));
    assertBits(a.sum(false, 1), oa.sum(false, 1));
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void dotGeneralMatchesTheHeapPath(DType t) {
    Tensor x = Random.randn(Key.of(4), t, 700, 40);        // 28000 elements: more than one staged block
    Tensor w = Random.randn(Key.of(5), t, 40, 30);
    Tensor v = Random.randn(Key.of(6), t, 40);
    Tensor ox = offHeap(x);
    assertBits(x.matmul(w), ox.matmul(w));                      // A off-heap by rows
    assertBits(x.matmul(v), ox.matmul(v));                      // matvec
    assertBits(w.transpose(0, 1).matmul(x.transpose(0, 1)),
        w.transpose(0, 1).matmul(ox.transpose(0, 1)));           // B off-heap, column-major
    assertBits(x.transpose(0, 1).matmul(x), ox.transpose(0, 1).matmul(ox)); // both
    Tensor ow = offHeap(w);
    assertBits(x.matmul(w), x.matmul(ow));                      // B off-heap by columns
    Tensor e = Random.randn(Key.of(7), t, 1, 40).expand(700, 40);
    assertBits(e.matmul(w), offHeap(Random.randn(Key.of(7), t, 1, 40)).expand(700, 40).matmul(w));
    Tensor b3 = Random.randn(Key.of(8), t, 9, 5, 40);
    assertBits(b3.matmul(w), offHeap(b3).matmul(ow));           // batched
    Tensor p = Random.randn(Key.of(11), t, 700, 1, 1);                              // per-sample outer products:
    assertBits(p.matmul(x.reshape(700, 1, 40)),                      // B staged many entries per span
        p.matmul(ox.reshape(700, 1, 40)));
    Tensor l = Random.randn(Key.of(12), t, 500, 3, 4);
    Tensor r = Random.randn(Key.of(13), t, 500, 4, 5);
    assertBits(l.matmul(r), offHeap(l).matmul(offHeap(r)));   // both, batched spans
    assertBits(l.matmul(r.select(0, 0)), offHeap(l).matmul(offHeap(r.select(0, 0))));
    Tensor u = Random.randn(Key.of(10), t, 20000);
    assertBits(u.outer(v), offHeap(u).outer(offHeap(v)));       // k = 1, long lhs
  }

  /**
   * Shapes where staging cuts a GEMM into blocks (k = 40: 409 rows or columns per block; k = 300:
   * 54): a short last block (one row or column before the fix: another algorithm), k deeper than
   * one packed block, transposed, strided and broadcast off-heap operands, a single strided row
   * or column, and k larger than a whole block.
   */
  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void stagedGemmBlocksAreBitIdenticalToTheHeapPath(DType t) {
    Tensor w = Random.randn(Key.of(20), t, 40, 30);
    for (int m : new int[] {818, 819, 1229, 410}) {
      Tensor x = Random.randn(Key.of(21 + m), t, m, 40);
      Tensor ox = offHeap(x);
      assertBits(x.matmul(w), ox.matmul(w));                                  // rows, tail of A
      assertBits(w.transpose(0, 1).matmul(x.transpose(0, 1)),
          offHeap(w).transpose(0, 1).matmul(ox.transpose(0, 1)));             // B by columns
      assertBits(x.transpose(0, 1).matmul(x), ox.transpose(0, 1).matmul(ox)); // A column-major
      Tensor xt = Random.randn(Key.of(22 + m), t, 40, m);
      assertBits(w.transpose(0, 1).matmul(xt), w.transpose(0, 1).matmul(offHeap(xt))); // B tail
    }
    Tensor deep = Random.randn(Key.of(23), t, 109, 300);                      // two KC blocks
    Tensor w2 = Random.randn(Key.of(24), t, 300, 7);
    assertBits(deep.matmul(w2), offHeap(deep).matmul(w2));
    assertBits(deep.matmul(w2), offHeap(deep).matmul(offHeap(w2)));
    assertBits(w2.transpose(0, 1).matmul(deep.transpose(0, 1)),
        w2.transpose(0, 1).matmul(offHeap(deep).transpose(0, 1)));
    Tensor x = Random.randn(Key.of(25), t, 700, 40);
    Tensor ox = offHeap(x);
    assertBits(x.slice(1, 0, 40, 2).matmul(w.slice(0, 0, 20, 1)),
        ox.slice(1, 0, 40, 2).matmul(w.slice(0, 0, 20, 1)));                  // strided columns
    assertBits(x.transpose(0, 1).matmul(x.slice(1, 3, 4, 1)),
        x.transpose(0, 1).matmul(ox.slice(1, 3, 4, 1)));                      // one strided column
    Tensor row = x.transpose(0, 1).slice(0, 5, 6, 1);                         // one strided row
    Tensor orow = ox.transpose(0, 1).slice(0, 5, 6, 1);
    assertBits(row.matmul(x), orow.matmul(ox));
    assertBits(row.matmul(x.slice(1, 3, 4, 1)), orow.matmul(ox.slice(1, 3, 4, 1)));
    Tensor e = Random.randn(Key.of(26), t, 1, 40);
    assertBits(e.expand(900, 40).matmul(w), offHeap(e).expand(900, 40).matmul(w)); // broadcast
    Tensor wide = Random.randn(Key.of(27), t, 3, 20000);                      // k > one block
    Tensor tall = Random.randn(Key.of(28), t, 20000, 5);
    assertBits(wide.matmul(tall), offHeap(wide).matmul(offHeap(tall)));
  }

  static void assertClose(Tensor want, Tensor got, double tol) {
    assertArrayEquals(want.shape(), got.shape());
    double[] a = want.toDoubleArray();
    double[] b = got.toDoubleArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], tol * (1 + Math.abs(a[i])), "element " + i);
    }
  }

  /**
   * Copies of transposed views with short destination runs (NOTE [Short runs]) against an
   * element-by-element reference: to the heap and to off-heap storage (in chunks of whole rows),
   * f32 and f64, with a converting copy, a broadcast source and rows that do not divide a chunk.
   */
  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void transposingCopiesAreExact(DType t) {
    for (int[] s : new int[][] {{4099, 8, 33}, {3, 5, 7}, {1, 1, 9}, {70000, 3, 1}}) {
      Tensor x = Random.randn(Key.of(30 + s[0]), t, s[0], s[1], s[2]);
      Tensor view = x.transpose(1, 2);                      // [n, s2, s1]: runs of s1 elements
      double[] want = new double[(int) view.numel()];
      double[] src = x.toDoubleArray();
      for (int i = 0, at = 0; i < s[0]; i++) {
        for (int j = 0; j < s[2]; j++) {
          for (int k = 0; k < s[1]; k++) {
            want[at++] = src[(i * s[1] + k) * s[2] + j];
          }
        }
      }
      assertArrayEquals(want, view.copy().toDoubleArray());
      assertArrayEquals(want, view.toDoubleArray());
      Tensor into = offHeap(Tensors.zeros(t, s[0], s[2], s[1]));
      into.copy_(view);
      assertArrayEquals(want, into.toDoubleArray());
      DType other = t == DType.F32 ? DType.F64 : DType.F32;
      double[] converted = new double[want.length];
      for (int i = 0; i < want.length; i++) {
        converted[i] = other == DType.F32 ? (float) want[i] : want[i];
      }
      assertArrayEquals(converted, view.to(other).toDoubleArray());
    }
    Tensor none = offHeap(Tensors.zeros(t, 0, 3, 2));
    none.copy_(Tensors.zeros(t, 0, 2, 3).transpose(1, 2));  // empty: nothing to gather
    assertArrayEquals(new int[] {0, 3, 2}, none.shape());
    Tensor row = Random.randn(Key.of(40), t, 1, 6, 1);
    Tensor wide = offHeap(Tensors.zeros(t, 20000, 6, 3));
    wide.copy_(row.expand(20000, 6, 3));                     // broadcast rows, short runs
    assertBits(row.expand(20000, 6, 3).copy(), wide);
  }

  /**
   * NOTE [Short runs]' blocks when the source-contiguous axis sits between others and the block
   * rows come from a merged pair of axes: {@code x: [5,4,3,6]} permuted to {@code [3,5,6,4]}
   * (runs of 4 at stride 18; source-contiguous axis 6 of extent 6), and a rank-4 view with an
   * offset, against an element-by-element reference, to the heap and off-heap.
   */
  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void blockCopiesOfHigherRankViewsAreExact(DType t) {
    Tensor x = Random.randn(Key.of(50), t, 6, 4, 3, 6);
    Tensor base = x.slice(0, 1, 6, 1);                      // offset 72
    Tensor view = base.permute(2, 0, 3, 1);                 // [3,5,6,4]
    double[] src = x.toDoubleArray();
    double[] want = new double[(int) view.numel()];
    int at = 0;
    for (int c = 0; c < 3; c++) {
      for (int a = 0; a < 5; a++) {
        for (int e = 0; e < 6; e++) {
          for (int b = 0; b < 4; b++) {
            want[at++] = src[(((a + 1) * 4 + b) * 3 + c) * 6 + e];
          }
        }
      }
    }
    assertArrayEquals(want, view.toDoubleArray());
    Tensor into = offHeap(Tensors.zeros(t, 3, 5, 6, 4));
    into.copy_(view);
    assertArrayEquals(want, into.toDoubleArray());
  }

  @Test
  void copiesIntoAndOutOfOffHeapStorageAreExact() {
    Tensor x = Random.randn(Key.of(9), DType.F64, 33, 17);
    Tensor o = offHeap(x);
    assertBits(x, o.copy());
    assertArrayEquals(x.toFloatArray(), o.toFloatArray());
    Tensor back = Tensors.zeros(DType.F64, 33, 17);
    back.copy_(o);
    assertBits(x, back);
    Tensor strided = x.transpose(0, 1);                 // gathered on the heap, written in bulk
    Tensor into = offHeap(Tensors.zeros(DType.F64, 17, 33));
    into.copy_(strided);
    assertBits(strided.copy(), into);
    Tensor fill = offHeap(Tensors.zeros(DType.F64, 17, 33));
    fill.copy_(Tensors.of(new double[] {2.5}));         // broadcast: element by element
    assertBits(Tensors.full(2.5, DType.F64, 17, 33), fill);
  }
}
