package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import java.util.Arrays;

/**
 * Linear algebra: the {@code dot_general} primitive and the ops built on it, {@link #matmul}
 * (torch.matmul's rules) and {@link #outer}.
 *
 * <p>{@code dot_general} is JAX's: each operand names its contracting axes and its batch axes
 * (paired in order); the output holds the batch axes, then lhs's remaining ("free") axes, then
 * rhs's free axes, each group in its operand's order. For example matmul of {@code f32[b,m,k]} and
 * {@code f32[b,k,n]} is {@code dot_general(lhs, rhs, contracting=([2],[1]), batch=([0],[0])) ->
 * f32[b,m,n]}. Operands are f32 or f64; mixing them computes in f64. The kernel is a (batched)
 * GEMM on strided views of the operands, see {@link DotGeneralDriver}.
 */
public final class LinearAlgebra {
  private LinearAlgebra() {}

  /**
   * Parameters of {@link #DOT_GENERAL}: axes of lhs and rhs contracted pairwise, and batch axes
   * paired in order. Non-negative, distinct within an operand.
   */
  public record DotGeneral(
      int[] lhsContracting, int[] rhsContracting, int[] lhsBatch, int[] rhsBatch)
      implements Params {
    @Override
    public String toString() {
      return "contracting=(" + Arrays.toString(lhsContracting) + ", "
          + Arrays.toString(rhsContracting) + "), batch=(" + Arrays.toString(lhsBatch) + ", "
          + Arrays.toString(rhsBatch) + ")";
    }
  }

  /**
   * {@code dot_general(lhs, rhs)}: {@code lhs: t[...], rhs: t[...] -> t[batch..., lhsFree...,
   * rhsFree...]}, see the class comment.
   */
  public static final Primitive DOT_GENERAL =
      Primitive.define(
          "dot_general",
          2,
          (in, p) -> dotGeneralType(in[0], in[1], (DotGeneral) p),
          (in, p, out) -> DotGeneralDriver.run(in[0], in[1], (DotGeneral) p, out));

  // Rules. dot_general is bilinear: jvp is dot(ta, b) + dot(a, tb); each cotangent is another
  // dot_general of the output cotangent with the other operand, permuted back to the operand's
  // axis order (JAX's transpose rules), computed only when wanted (NOTE [Wanted cotangents]). vmap adds the batch axis as a new batch pair when both
  // operands are mapped, else as the first free axis of the mapped operand.
  static {
    DOT_GENERAL
        .jvp((x, t, y, p) -> sum(
            t[0] == null ? null : Bind.bind(DOT_GENERAL, p, t[0], x[1]),
            t[1] == null ? null : Bind.bind(DOT_GENERAL, p, x[0], t[1])))
        .vjp((ct, x, y, p, wanted) -> new Tensor[] {
          wanted[0] ? transposeLhs(ct, x[0], x[1], (DotGeneral) p, false).to(x[0].dtype()) : null,
          wanted[1] ? transposeLhs(ct, x[1], x[0], swapped((DotGeneral) p), true).to(x[1].dtype()) : null})
        .batch(LinearAlgebra::batch);
  }

  private static Tensor sum(Tensor a, Tensor b) {
    return a == null ? b : b == null ? a : a.add(b);
  }

  private static DotGeneral swapped(DotGeneral p) {
    return new DotGeneral(p.rhsContracting(), p.lhsContracting(), p.rhsBatch(), p.lhsBatch());
  }

  /** The cotangent of the lhs {@code x} of {@code dot_general(x, y)} given the output's {@code g}. */
  private static Tensor transposeLhs(Tensor g, Tensor x, Tensor y, DotGeneral p, boolean swapAns) {
    int nb = p.lhsBatch().length;
    int[] xKept = freeAxes(x.rank(), p.lhsContracting(), p.lhsBatch());
    int[] yKept = freeAxes(y.rank(), p.rhsContracting(), p.rhsBatch());
    int[] ansBatch = range(0, nb);
    int[] ansY = swapAns ? range(nb, yKept.length) : range(nb + xKept.length, yKept.length);
    DotGeneral dims = new DotGeneral(ansY, yKept, ansBatch, p.rhsBatch());
    int[] xContractByY = new int[p.lhsContracting().length];
    int[] order = Structural.argsort(p.rhsContracting(), false);
    for (int i = 0; i < order.length; i++) {
      xContractByY[i] = p.lhsContracting()[order[i]];
    }
    int[] outAxes = Structural.argsort(concat(p.lhsBatch(), concat(xKept, xContractByY)), false);
    return Structural.permute(Bind.bind(DOT_GENERAL, dims, g, y), outAxes);
  }

  private static io.sparkfunc.engine.core.BatchRule.Batched batch(Tensor[] v, int[] b, Params params, int size) {
    DotGeneral p = (DotGeneral) params;
    boolean lhsMapped = b[0] != io.sparkfunc.engine.core.BatchRule.NOT_MAPPED;
    boolean rhsMapped = b[1] != io.sparkfunc.engine.core.BatchRule.NOT_MAPPED;
    Tensor lhs = lhsMapped ? Rules.moveToFront(v[0], b[0]) : v[0];
    Tensor rhs = rhsMapped ? Rules.moveToFront(v[1], b[1]) : v[1];
    int[] lc = lhsMapped ? Structural.shifted(p.lhsContracting()) : p.lhsContracting();
    int[] lb = lhsMapped ? Structural.shifted(p.lhsBatch()) : p.lhsBatch();
    int[] rc = rhsMapped ? Structural.shifted(p.rhsContracting()) : p.rhsContracting();
    int[] rb = rhsMapped ? Structural.shifted(p.rhsBatch()) : p.rhsBatch();
    int out;
    if (lhsMapped && rhsMapped) {
      lb = Structural.prepend(0, lb);
      rb = Structural.prepend(0, rb);
      out = 0;
    } else if (lhsMapped) {
      out = p.lhsBatch().length;
    } else {
      out = p.lhsBatch().length + (v[0].rank() - p.lhsBatch().length - p.lhsContracting().length);
    }
    Tensor y = Bind.bind(DOT_GENERAL, new DotGeneral(lc, rc, lb, rb), lhs, rhs);
    return new io.sparkfunc.engine.core.BatchRule.Batched(y, out);
  }

  private static int[] range(int start, int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = start + i;
    }
    return r;
  }

  // ---- shape rule ----

  static TensorType dotGeneralType(TensorType lhs, TensorType rhs, DotGeneral p) {
    DType t = floatingResult("dot_general", lhs, rhs);
    checkAxes("lhs", lhs, p.lhsContracting(), p.lhsBatch(), p);
    checkAxes("rhs", rhs, p.rhsContracting(), p.rhsBatch(), p);
    checkPairs("contracting", lhs, p.lhsContracting(), rhs, p.rhsContracting(), p);
    checkPairs("batch", lhs, p.lhsBatch(), rhs, p.rhsBatch(), p);
    int[] batch = extents(lhs, p.lhsBatch());
    int[] lhsFree = extents(lhs, freeAxes(lhs.rank(), p.lhsContracting(), p.lhsBatch()));
    int[] rhsFree = extents(rhs, freeAxes(rhs.rank(), p.rhsContracting(), p.rhsBatch()));
    return new TensorType(t, concat(batch, concat(lhsFree, rhsFree)));
  }

  /** f32 when both operands are f32, f64 when either is f64; integer and bool operands fail. */
  static DType floatingResult(String op, TensorType a, TensorType b) {
    if (!a.dtype().isFloating() || !b.dtype().isFloating()) {
      throw new EngineException(
          op, "floating operands (f32 or f64)", "a: " + a + " and b: " + b,
          "convert integer or bool operands first, e.g. x.to(DType.F32)");
    }
    return a.dtype().promote(b.dtype());
  }

  private static void checkAxes(
      String arg, TensorType x, int[] contracting, int[] batch, DotGeneral p) {
    boolean[] seen = new boolean[x.rank()];
    for (int[] group : new int[][] {contracting, batch}) {
      for (int axis : group) {
        if (axis < 0 || axis >= x.rank() || seen[axis]) {
          throw new EngineException(
              "dot_general",
              "distinct " + arg + " axes in [0, " + x.rank() + ") for " + arg + ": " + x,
              arg + " axis " + axis + " in " + p,
              "name each axis of " + arg + " at most once (contracting or batch), within its rank");
        }
        seen[axis] = true;
      }
    }
  }

  private static void checkPairs(
      String what, TensorType lhs, int[] la, TensorType rhs, int[] ra, DotGeneral p) {
    if (la.length != ra.length) {
      throw new EngineException(
          "dot_general", "as many lhs as rhs " + what + " axes",
          la.length + " and " + ra.length + " in " + p + " for lhs: " + lhs + ", rhs: " + rhs,
          "pair every lhs " + what + " axis with one rhs axis");
    }
    for (int i = 0; i < la.length; i++) {
      if (lhs.dim(la[i]) != rhs.dim(ra[i])) {
        throw new EngineException(
            "dot_general", "equal extents on paired " + what + " axes",
            "lhs: " + lhs + " axis " + la[i] + " (" + lhs.dim(la[i]) + ") vs rhs: " + rhs
                + " axis " + ra[i] + " (" + rhs.dim(ra[i]) + ")",
            "transpose or reshape an operand so that the paired axes have one extent");
      }
    }
  }

  /** Axes of a rank-r operand that are neither contracting nor batch, in order. */
  static int[] freeAxes(int rank, int[] contracting, int[] batch) {
    boolean[] used = new boolean[rank];
    for (int a : contracting) {
      used[a] = true;
    }
    for (int a : batch) {
      used[a] = true;
    }
    int[] free = new int[rank - contracting.length - batch.length];
    for (int a = 0, k = 0; a < rank; a++) {
      if (!used[a]) {
        free[k++] = a;
      }
    }
    return free;
  }

  private static int[] extents(TensorType x, int[] axes) {
    return pick(x.shape(), axes);
  }

  /** {@code values[idx[0]], values[idx[1]], ...} (plain loops: these run on every call). */
  static int[] pick(int[] values, int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = values[idx[i]];
    }
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---- public ops ----

  /**
   * {@code dot_general(lhs, rhs)}: contracts {@code lhsContracting[i]} with {@code
   * rhsContracting[i]} and batches {@code lhsBatch[i]} with {@code rhsBatch[i]}; negative axes
   * count from the end. {@code lhs: t[...], rhs: t[...] -> t[batch..., lhsFree..., rhsFree...]}.
   */
  public static Tensor dotGeneral(Tensor lhs, Tensor rhs, int[] lhsContracting,
      int[] rhsContracting, int[] lhsBatch, int[] rhsBatch) {
    DotGeneral p = new DotGeneral(
        normalize(lhsContracting, lhs.rank()), normalize(rhsContracting, rhs.rank()),
        normalize(lhsBatch, lhs.rank()), normalize(rhsBatch, rhs.rank()));
    return Bind.bind(DOT_GENERAL, p, lhs, rhs);
  }

  private static int[] normalize(int[] axes, int rank) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
    }
    return out;
  }

  /**
   * Matrix product with torch.matmul's rules: {@code [k]·[k] -> []} (dot), {@code [m,k]·[k] ->
   * [m]}, {@code [k]·[k,n] -> [n]}, {@code [m,k]·[k,n] -> [m,n]}, and for rank > 2 a batched
   * product over the leading axes, which broadcast: {@code f32[j,1,m,k]·f32[5,k,n] ->
   * f32[j,5,m,n]}. A 1-D lhs acts as a row {@code [1,k]}, a 1-D rhs as a column {@code [k,1]},
   * and that axis is dropped from the result. f32 and f64 mix to f64.
   */
  public static Tensor matmul(Tensor a, Tensor b) {
    checkMatmul(a.type(), b.type());
    int ra = a.rank();
    int rb = b.rank();
    if (rb <= 2) {
      // Every lhs axis but the last is free: batch axes of a fold into the GEMM's m.
      return dotGeneral(a, b, new int[] {ra - 1}, new int[] {0}, new int[0], new int[0]);
    }
    if (ra == 1) {
      return dotGeneral(a, b, new int[] {0}, new int[] {rb - 2}, new int[0], new int[0]);
    }
    int[] batch = batchShape(a.type(), b.type());
    int nb = batch.length;
    Tensor ea = Structural.expand(a, concat(batch, new int[] {a.size(-2), a.size(-1)}));
    Tensor eb = Structural.expand(b, concat(batch, new int[] {b.size(-2), b.size(-1)}));
    int[] axes = Structural.identity(nb);
    return dotGeneral(ea, eb, new int[] {nb + 1}, new int[] {nb}, axes, axes);
  }

  private static void checkMatmul(TensorType a, TensorType b) {
    floatingResult("matmul", a, b);
    if (a.rank() == 0 || b.rank() == 0) {
      throw new EngineException(
          "matmul", "operands of rank >= 1", "a: " + a + " and b: " + b,
          "use mul for a scalar factor, or unsqueeze the 0-d operand");
    }
    int k = a.dim(a.rank() - 1);
    int kb = b.rank() == 1 ? b.dim(0) : b.dim(b.rank() - 2);
    if (k != kb) {
      throw new EngineException(
          "matmul", "a's last extent to equal b's " + (b.rank() == 1 ? "only" : "second-to-last")
              + " extent (the contracted axis)",
          "a: " + a + " and b: " + b + " (" + k + " vs " + kb + ")",
          "transpose or reshape an operand so the contracted extents match, e.g. b.mT()");
    }
  }

  /** The broadcast of the leading (batch) axes of two operands of rank >= 2 and >= 3. */
  private static int[] batchShape(TensorType a, TensorType b) {
    TensorType ab = new TensorType(a.dtype(), Arrays.copyOf(a.shape(), Math.max(0, a.rank() - 2)));
    TensorType bb = new TensorType(b.dtype(), Arrays.copyOf(b.shape(), b.rank() - 2));
    try {
      return Shape.broadcast("matmul", ab, bb);
    } catch (EngineException e) {
      throw new EngineException(
          "matmul", "batch axes (all but the last two) that broadcast",
          "a: " + a + " and b: " + b + " (batch " + Shape.str(ab.shape()) + " vs "
              + Shape.str(bb.shape()) + ")",
          "make the leading extents equal or 1, e.g. unsqueeze a batch axis");
    }
  }

  /** Outer product: {@code a: t[m], b: t[n] -> t[m,n]}, {@code out[i,j] = a[i] * b[j]}. */
  public static Tensor outer(Tensor a, Tensor b) {
    floatingResult("outer", a.type(), b.type());
    if (a.rank() != 1 || b.rank() != 1) {
      throw new EngineException(
          "outer", "two 1-D vectors", "a: " + a.type() + " and b: " + b.type(),
          "flatten the operands first with reshape(-1)");
    }
    return dotGeneral(a, b, new int[0], new int[0], new int[0], new int[0]);
  }
}
