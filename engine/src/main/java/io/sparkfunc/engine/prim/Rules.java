package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.core.BatchRule.Batched;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.InPlace;
import io.sparkfunc.engine.core.JvpRule;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.core.VjpRule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Rule templates so that most primitive cards state their rules in one line each (JAX's {@code
 * defvectorized}/{@code defbroadcasting}, functorch's {@code BASIC_UNARY_BATCH_RULE}). All are
 * written with public ops, so rules built from them are differentiable and batchable in turn.
 */
final class Rules {
  private Rules() {}

  /** d(out)/d(x) of an elementwise unary op, from the input and the output. */
  @FunctionalInterface
  interface Derivative extends BinaryOperator<Tensor> {}

  /** vmap of an op that works elementwise on one operand: apply it as is, the batch axis stays. */
  static BatchRule vectorized(Primitive p) {
    return (v, bdims, params, size) -> new Batched(Bind.bind(p, params, v[0]), bdims[0]);
  }

  /**
   * vmap of an n-ary op with NumPy broadcasting: mapped operands get their batch axis in front and
   * enough size-1 axes after it to reach the largest logical rank, so unmapped operands broadcast
   * against them as before. When every operand is mapped at the same axis with the same shape the
   * op runs as is.
   */
  static BatchRule broadcasting(Primitive p) {
    return (v, bdims, params, size) -> {
      if (sameLayout(v, bdims)) {
        return new Batched(Bind.bind(p, params, v), bdims[0]);
      }
      int rank = 0;
      for (int i = 0; i < v.length; i++) {
        rank = Math.max(rank, v[i].rank() - (bdims[i] == BatchRule.NOT_MAPPED ? 0 : 1));
      }
      Tensor[] args = new Tensor[v.length];
      for (int i = 0; i < v.length; i++) {
        args[i] = bdims[i] == BatchRule.NOT_MAPPED ? v[i] : padRank(moveToFront(v[i], bdims[i]), rank);
      }
      return new Batched(Bind.bind(p, params, args), 0);
    };
  }

  private static boolean sameLayout(Tensor[] v, int[] bdims) {
    for (int i = 0; i < v.length; i++) {
      if (bdims[i] != bdims[0] || bdims[i] == BatchRule.NOT_MAPPED || !v[i].type().shapeEquals(v[0].type())) {
        return false;
      }
    }
    return true;
  }

  /** {@code [B, s...] -> [B, 1, ..., 1, s...]} with {@code rank} axes after B. */
  static Tensor padRank(Tensor x, int rank) {
    int have = x.rank() - 1;
    if (have >= rank) {
      return x;
    }
    int[] s = x.shape();
    int[] out = new int[rank + 1];
    out[0] = s[0];
    for (int i = 1; i <= rank; i++) {
      out[i] = i <= rank - have ? 1 : s[i - (rank - have)];
    }
    return x.reshape(out);
  }

  /**
   * vmap of an in-place op whose sources broadcast into operand 0: writes the batched tensor itself
   * through a view with its batch axis in front (a view, so the writes land in its storage, or
   * under an enclosing grad, jvp or functionalize in its base); mapped sources get their batch axis
   * in front and size-1 axes after it, as in {@link #broadcasting}, unmapped ones broadcast as
   * they are. Operand 0 must be mapped when a source is ({@link #requireBatchedSelf}).
   */
  static BatchRule inPlaceBroadcasting(Primitive p) {
    return (v, bdims, params, size) -> {
      requireBatchedSelf(p, v, bdims);
      Tensor[] args = v.clone();
      args[0] = moveToFront(v[0], bdims[0]);
      for (int i = 1; i < v.length; i++) {
        if (bdims[i] != BatchRule.NOT_MAPPED) {
          args[i] = padRank(moveToFront(v[i], bdims[i]), args[0].rank() - 1);
        }
      }
      Bind.bind(p, params, args);
      return new Batched(v[0], bdims[0]);
    };
  }

  /**
   * torch.func's refusal to write a batch into one tensor: an in-place op's operand 0 must be
   * mapped whenever another operand is.
   */
  static void requireBatchedSelf(Primitive p, Tensor[] v, int[] bdims) {
    if (bdims[0] != BatchRule.NOT_MAPPED) {
      return;
    }
    TensorType[] types = new TensorType[v.length];
    boolean[] mapped = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      mapped[i] = bdims[i] != BatchRule.NOT_MAPPED;
      types[i] = mapped[i] ? withoutAxis(v[i].type(), bdims[i]) : v[i].type();
    }
    InPlace rule = p.inPlaceRule();
    throw rule.unwritable("vmap", "batched", "an in-place op cannot write a batch into one tensor",
        "map " + rule.operands().get(0) + " too", types, mapped);
  }

  /** {@code t} without axis {@code axis}: the type one batch element sees. */
  private static TensorType withoutAxis(TensorType t, int axis) {
    int[] shape = new int[t.rank() - 1];
    for (int i = 0, k = 0; i < t.rank(); i++) {
      if (i != axis) {
        shape[k++] = t.dim(i);
      }
    }
    return new TensorType(t.dtype(), shape);
  }

  /**
   * vmap of a primitive whose parameters name axes ({@link Reductions.Axes} or {@link
   * Reductions.Axis}): batch axis to the front, every axis shifted by one.
   */
  static BatchRule shiftingAxes(Primitive p) {
    return (v, bdims, params, size) -> {
      io.sparkfunc.engine.core.Params shifted = params instanceof Reductions.Axes
          ? new Reductions.Axes(Structural.shifted(((Reductions.Axes) params).axes()))
          : new Reductions.Axis(((Reductions.Axis) params).axis() + 1);
      return new Batched(Bind.bind(p, shifted, moveToFront(v[0], bdims[0])), 0);
    };
  }

  /** {@code x} with the batch axis in front: moved if mapped, else broadcast (a view) to {@code size}. */
  static Tensor toFront(Tensor x, int bdim, int size) {
    if (bdim != BatchRule.NOT_MAPPED) {
      return moveToFront(x, bdim);
    }
    int[] shape = Structural.prepend(size, x.shape());
    return x.unsqueeze(0).expand(shape);
  }

  /** {@code x} with its batch axis {@code bdim} moved to the front. */
  static Tensor moveToFront(Tensor x, int bdim) {
    return bdim == 0 ? x : x.movedim(bdim, 0);
  }

  /** Forward rule of an elementwise unary op: {@code t * f'(x)}. */
  static JvpRule unaryJvp(Derivative d) {
    return (x, t, out, params) -> t[0].mul(d.apply(x[0], out));
  }

  /** Reverse rule of an elementwise unary op: {@code ct * f'(x)}. */
  static VjpRule unaryVjp(Derivative d) {
    return (ct, x, out, params) -> new Tensor[] {ct.mul(d.apply(x[0], out))};
  }

  /** Sums {@code ct} down to {@code target}'s shape: the reverse of NumPy broadcasting. */
  static Tensor unbroadcast(Tensor ct, TensorType target) {
    if (ct.type().shapeEquals(target)) {
      return ct;
    }
    int lead = ct.rank() - target.rank();
    List<Integer> axes = new ArrayList<>();
    for (int i = 0; i < ct.rank(); i++) {
      if (i < lead || (target.dim(i - lead) == 1 && ct.type().dim(i) != 1)) {
        axes.add(i);
      }
    }
    Tensor s = axes.isEmpty() ? ct : Reductions.sum(ct, true, axes.stream().mapToInt(Integer::intValue).toArray());
    return s.reshape(target.shape());
  }

  /** {@code t} broadcast to {@code shape} (a view). */
  static Tensor broadcastTo(Tensor t, int[] shape) {
    return java.util.Arrays.equals(t.shape(), shape) ? t : t.expand(shape);
  }
}
