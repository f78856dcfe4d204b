package io.sparkfunc.testing;

import io.sparkfunc.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Registry entries for the view ops: reshape, permute/transpose, movedim, expand, slice, squeeze, unsqueeze, select. */
final class StructuralOps {
  private StructuralOps() {}

  static List<OpInfo> entries() {
    List<OpInfo> l = new ArrayList<>();
    l.add(view("reshape", x -> x.reshape(3, -1), r -> new Ref(new int[] {3, r.data.length / 3}, r.data),
        new int[] {2, 3}, new int[] {6}, new int[] {3, 1, 4}, new int[] {0, 3}).build());
    l.add(view("transpose", x -> x.transpose(0, -1), StructuralOps::reverseAxesOf2or3,
        new int[] {2, 3}, new int[] {2, 3, 5}, new int[] {0, 4}).covers("transpose").build());
    l.add(view("permute", x -> x.permute(2, 0, 1), r -> permute(r, 2, 0, 1),
        new int[] {2, 3, 4}, new int[] {1, 0, 3}).covers("transpose").build());
    l.add(view("movedim", x -> x.movedim(0, 2), r -> permute(r, 1, 2, 0),
        new int[] {2, 3, 4}).covers("transpose").build());
    l.add(view("expand", x -> x.expand(2, -1, 4), StructuralOps::expandRef,
        new int[] {3, 1}, new int[] {1, 1}, new int[] {0, 1}).covers("broadcast_in_dim").build());
    l.add(view("slice", x -> x.slice(-1, 1, -1, 2), StructuralOps::sliceRef,
        new int[] {7}, new int[] {2, 9}, new int[] {3, 2}, new int[] {2, 1}).covers("slice").build());
    l.add(view("squeeze", Tensor::squeeze, r -> new Ref(
        java.util.Arrays.stream(r.shape).filter(d -> d != 1).toArray(), r.data),
        new int[] {1, 3, 1}, new int[] {2, 1}, new int[] {1}).build());
    l.add(view("unsqueeze", x -> x.unsqueeze(-1), r -> new Ref(append1(r.shape), r.data),
        new int[] {3}, new int[] {2, 3}, new int[] {}).build());
    l.add(view("select", x -> x.select(0, -1), StructuralOps::selectLastRow,
        new int[] {3, 4}, new int[] {2}, new int[] {2, 3, 2}).covers("slice").build());
    return l;
  }

  private static OpInfo.Builder view(
      String name, Function<Tensor, Tensor> f, Function<Ref, Ref> ref, int[]... shapes) {
    return OpInfo.builder(name)
        .op(a -> f.apply(a[0]))
        .reference(r -> ref.apply(r[0]))
        .samples(Samples.shapes(-3, 3, shapes))
        .tol(0, 0)
        .view()
        .covers("reshape");
  }

  static Ref permute(Ref r, int... perm) {
    int[] shape = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      shape[i] = r.shape[perm[i]];
    }
    return Ref.generate(shape, idx -> {
      int[] src = new int[perm.length];
      for (int i = 0; i < perm.length; i++) {
        src[perm[i]] = idx[i];
      }
      return r.at(src);
    });
  }

  private static Ref reverseAxesOf2or3(Ref r) {
    return r.rank() == 2 ? permute(r, 1, 0) : permute(r, 2, 1, 0);
  }

  private static Ref expandRef(Ref r) {
    int[] shape = {2, r.shape[0], 4};
    return Ref.generate(shape, idx -> r.atBroadcast(idx));
  }

  private static Ref sliceRef(Ref r) {
    int last = r.rank() - 1;
    int n = r.shape[last];
    int start = Math.min(1, n);
    int end = Math.max(start, n - 1);
    int[] shape = r.shape.clone();
    shape[last] = (end - start + 1) / 2;
    return Ref.generate(shape, idx -> {
      int[] src = idx.clone();
      src[last] = start + 2 * idx[last];
      return r.at(src);
    });
  }

  private static Ref selectLastRow(Ref r) {
    int[] shape = java.util.Arrays.copyOfRange(r.shape, 1, r.rank());
    return Ref.generate(shape, idx -> {
      int[] src = new int[r.rank()];
      src[0] = r.shape[0] - 1;
      System.arraycopy(idx, 0, src, 1, idx.length);
      return r.at(src);
    });
  }

  private static int[] append1(int[] s) {
    int[] out = java.util.Arrays.copyOf(s, s.length + 1);
    out[s.length] = 1;
    return out;
  }
}
