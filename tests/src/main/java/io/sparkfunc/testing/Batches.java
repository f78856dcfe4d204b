package io.sparkfunc.testing;

import java.util.Arrays;

/**
 * Builds vmap test inputs from a sample: a batch of {@code size} variants of an operand stacked at
 * a chosen axis, with plain index loops (no engine ops), so the batched inputs do not depend on
 * the code under test.
 */
public final class Batches {
  private Batches() {}

  /** Variant {@code b} of a data operand: scaled by {@code 1 - 0.07 b}, staying in the op's domain. */
  public static Ref variant(Ref r, Sample.Arg kind, int b) {
    return kind == Sample.Arg.DATA ? r.map(x -> x * (1 - 0.07 * b)) : r;
  }

  /** {@code size} variants of {@code r} stacked at axis {@code dim}. */
  public static Ref stack(Ref r, Sample.Arg kind, int size, int dim) {
    Ref[] parts = new Ref[size];
    for (int b = 0; b < size; b++) {
      parts[b] = variant(r, kind, b);
    }
    return stackAt(parts, r.shape, dim);
  }

  /** Arrays of one shape stacked at axis {@code dim}. */
  public static Ref stackAt(Ref[] parts, int[] shape, int dim) {
    int[] out = new int[shape.length + 1];
    for (int i = 0, k = 0; i < out.length; i++) {
      out[i] = i == dim ? parts.length : shape[k++];
    }
    return Ref.generate(out, idx -> {
      int[] inner = new int[shape.length];
      for (int i = 0, k = 0; i < idx.length; i++) {
        if (i != dim) {
          inner[k++] = idx[i];
        }
      }
      return parts[idx[dim]].at(inner);
    });
  }

  /** Element {@code b} of {@code r} along axis {@code dim}. */
  public static Ref slice(Ref r, int dim, int b) {
    int[] shape = new int[r.rank() - 1];
    for (int i = 0, k = 0; i < r.rank(); i++) {
      if (i != dim) {
        shape[k++] = r.shape[i];
      }
    }
    return Ref.generate(shape, idx -> {
      int[] full = new int[r.rank()];
      for (int i = 0, k = 0; i < full.length; i++) {
        full[i] = i == dim ? b : idx[k++];
      }
      return r.at(full);
    });
  }

  /** Every in-dim assignment: per operand NOT_MAPPED (-1), 0 or its last axis + 1; not all unmapped. */
  public static int[][] assignments(Ref[] args) {
    int n = args.length;
    java.util.List<int[]> out = new java.util.ArrayList<>();
    int[] choice = new int[n];
    int total = (int) Math.pow(3, n);
    for (int c = 0; c < total; c++) {
      int x = c;
      boolean any = false;
      for (int i = 0; i < n; i++) {
        int k = x % 3;
        x /= 3;
        choice[i] = k == 0 ? -1 : k == 1 ? 0 : args[i].rank();
        any |= k != 0;
      }
      boolean dup = false;
      for (int[] prev : out) {
        dup |= Arrays.equals(prev, choice);
      }
      if (any && !dup) {
        out.add(choice.clone());
      }
    }
    return out.toArray(new int[0][]);
  }
}
