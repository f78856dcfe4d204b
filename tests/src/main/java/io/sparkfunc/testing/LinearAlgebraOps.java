package io.sparkfunc.testing;

import io.sparkfunc.engine.prim.LinearAlgebra;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Registry entries for the {@code dot_general} family: {@code matmul} over every torch.matmul
 * shape rule (1-D and 2-D operands, batched with broadcasting, empty extents, sizes that cross
 * the SIMD tile edges), {@code outer}, and a {@code dot_general} with two contracting axes and a
 * batch axis. References are plain f64 sums.
 */
final class LinearAlgebraOps {
  private LinearAlgebraOps() {}

  /** (a shape, b shape) pairs, one per torch.matmul rule. */
  private static final int[][][] MATMUL_SHAPES = {
    {{5}, {5}}, {{3, 5}, {5}}, {{5}, {5, 4}}, {{3, 5}, {5, 4}}, {{2, 3, 5}, {2, 5, 4}},
    {{2, 3, 5}, {5, 4}}, {{3, 5}, {2, 5, 4}}, {{5}, {2, 5, 4}}, {{2, 1, 3, 5}, {4, 5, 6}},
    {{0, 5}, {5, 4}}, {{3, 0}, {0, 4}}, {{17, 65}, {65, 33}}, {{9, 1}, {1, 40}}
  };

  static List<OpInfo> entries() {
    List<OpInfo> l = new ArrayList<>();
    l.add(OpInfo.builder("matmul")
        .op(a -> a[0].matmul(a[1]))
        .reference(r -> matmul(r[0], r[1]))
        .samples(pairs(MATMUL_SHAPES))
        .tol(1e-5, 1e-12)
        .covers("dot_general", "broadcast_in_dim")
        .build());
    l.add(OpInfo.builder("outer")
        .op(a -> a[0].outer(a[1]))
        .reference(r -> Ref.generate(new int[] {r[0].shape[0], r[1].shape[0]},
            idx -> r[0].data[idx[0]] * r[1].data[idx[1]]))
        .samples(pairs(new int[][][] {{{3}, {4}}, {{65}, {17}}, {{0}, {3}}}))
        .covers("dot_general")
        .build());
    l.add(OpInfo.builder("dot_general")
        .op(a -> LinearAlgebra.dotGeneral(a[0], a[1], new int[] {3, 2}, new int[] {0, 2},
            new int[] {0}, new int[] {1}))
        .reference(r -> contractTwoAxesBatchOne(r[0], r[1]))
        .samples(pairs(new int[][][] {{{2, 3, 4, 5}, {5, 2, 4, 6}}}))
        .covers("dot_general")
        .build());
    return l;
  }

  private static OpInfo.SampleGen pairs(int[][][] shapes) {
    return rnd -> {
      List<Sample> out = new ArrayList<>();
      for (int[][] p : shapes) {
        out.add(Sample.data(Samples.uniform(rnd, -1, 1, p[0]), Samples.uniform(rnd, -1, 1, p[1])));
      }
      return out;
    };
  }

  /** torch.matmul by its rules: 1-D operands as [1,k] / [k,1], batch axes broadcast. */
  static Ref matmul(Ref a, Ref b) {
    Ref a2 = a.rank() == 1 ? new Ref(new int[] {1, a.shape[0]}, a.data) : a;
    Ref b2 = b.rank() == 1 ? new Ref(new int[] {b.shape[0], 1}, b.data) : b;
    int k = a2.shape[a2.rank() - 1];
    int[] batch = Ref.broadcastShape(lead(a2), lead(b2));
    int[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = a2.shape[a2.rank() - 2];
    out[batch.length + 1] = b2.shape[b2.rank() - 1];
    Ref full = Ref.generate(out, idx -> {
      double s = 0;
      for (int p = 0; p < k; p++) {
        s += matrixAt(a2, idx, idx[idx.length - 2], p) * matrixAt(b2, idx, p, idx[idx.length - 1]);
      }
      return s;
    });
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      boolean dropRow = a.rank() == 1 && i == out.length - 2;
      boolean dropCol = b.rank() == 1 && i == out.length - 1;
      if (!dropRow && !dropCol) {
        keep.add(out[i]);
      }
    }
    return new Ref(keep.stream().mapToInt(Integer::intValue).toArray(), full.data);
  }

  private static int[] lead(Ref r) {
    return Arrays.copyOf(r.shape, r.rank() - 2);
  }

  /** {@code m[batch..., i, j]} with the batch part of {@code outIdx} broadcast onto m's batch axes. */
  private static double matrixAt(Ref m, int[] outIdx, int i, int j) {
    int own = m.rank() - 2;
    int[] idx = new int[m.rank()];
    for (int d = 0; d < own; d++) {
      idx[d] = m.shape[d] == 1 ? 0 : outIdx[outIdx.length - 2 - own + d];
    }
    idx[own] = i;
    idx[own + 1] = j;
    return m.at(idx);
  }

  /** lhs [b,m,q,p] · rhs [p,b,q,n] over (p, q), batched over b: out [b,m,n]. */
  private static Ref contractTwoAxesBatchOne(Ref l, Ref r) {
    int[] out = {l.shape[0], l.shape[1], r.shape[3]};
    return Ref.generate(out, idx -> {
      double s = 0;
      for (int p = 0; p < l.shape[3]; p++) {
        for (int q = 0; q < l.shape[2]; q++) {
          s += l.at(idx[0], idx[1], q, p) * r.at(p, idx[0], q, idx[2]);
        }
      }
      return s;
    });
  }
}
