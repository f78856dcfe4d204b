package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.kernel.BinaryOp;
import java.util.Arrays;

/**
 * Reductions and scans along axes: {@code reduce_sum}, {@code reduce_max}, {@code reduce_min}
 * over a set of axes ({@code x: f32[a,b,c], axes={1} -> f32[a,c]}), {@code argmax}/{@code argmin}
 * along one axis ({@code f32[a,b], axis=1 -> i64[a]}) and {@code cumsum} along one axis ({@code
 * f32[a,b] -> f32[a,b]}).
 *
 * <p>Primitives drop the reduced axes; {@code keepdim} is a reshape done by the public helpers,
 * which also accept negative axes. Dtypes: sums of bool give i64, everything else keeps its dtype;
 * {@code max}/{@code min} propagate NaN and {@code argmax}/{@code argmin} return the first NaN if
 * there is one (as PyTorch). The sum of no elements is 0; {@code max}, {@code min}, {@code argmax}
 * and {@code argmin} of an empty axis are errors because they have no identity. See NOTE
 * [Reduction passes] in {@link ReduceDriver} for how the kernels are used.
 */
public final class Reductions {
  private Reductions() {}

  /** Parameters of the {@code reduce_*} primitives: the reduced axes, distinct, increasing, in [0, rank). */
  public record Axes(int[] axes) implements Params {
    @Override
    public String toString() {
      return "{axes=" + Arrays.toString(axes) + "}";
    }
  }

  /**
   * Parameters of the primitives that work along one axis in [0, rank): {@code argmax}, {@code
   * argmin}, {@code cumsum}, and also {@code gather}, {@code index_select}, {@code scatter_add} and
   * {@code concatenate}.
   */
  public record Axis(int axis) implements Params {}

  public static final Primitive REDUCE_SUM = reducer("reduce_sum", "sum", BinaryOp.ADD);
  public static final Primitive REDUCE_MAX = reducer("reduce_max", "max", BinaryOp.MAX);
  public static final Primitive REDUCE_MIN = reducer("reduce_min", "min", BinaryOp.MIN);

  public static final Primitive ARGMAX =
      Primitive.define(
          "argmax",
          1,
          (in, p) -> argType("argmax", in[0], ((Axis) p).axis()),
          (in, p, out) -> ReduceDriver.argBest(in[0], ((Axis) p).axis(), true, out));

  public static final Primitive ARGMIN =
      Primitive.define(
          "argmin",
          1,
          (in, p) -> argType("argmin", in[0], ((Axis) p).axis()),
          (in, p, out) -> ReduceDriver.argBest(in[0], ((Axis) p).axis(), false, out));

  public static final Primitive CUMSUM =
      Primitive.define(
          "cumsum",
          1,
          (in, p) -> cumsumType(in[0], ((Axis) p).axis()),
          (in, p, out) -> ReduceDriver.cumsum(in[0], ((Axis) p).axis(), out));

  // Rules. reduce_sum and cumsum are linear; reduce_max/min send the tangent through the
  // elements equal to the result, shared evenly among ties (as PyTorch's amax/amin); argmax and
  // argmin have integer outputs. vmap: batch axis to the front, every axis parameter shifted by 1.
  static {
    REDUCE_SUM
        .jvp((x, t, y, p) -> Bind.bind(REDUCE_SUM, p, t[0]))
        .vjp((ct, x, y, p) -> new Tensor[] {expandBack(ct, x[0], ((Axes) p).axes())})
        .batch(Rules.shiftingAxes(REDUCE_SUM));
    for (Primitive extreme : new Primitive[] {REDUCE_MAX, REDUCE_MIN}) {
      extreme
          .jvp((x, t, y, p) -> Bind.bind(REDUCE_SUM, p, t[0].mul(ties(x[0], y, ((Axes) p).axes()))))
          .vjp((ct, x, y, p) -> new Tensor[] {expandBack(ct, x[0], ((Axes) p).axes()).mul(ties(x[0], y, ((Axes) p).axes()))})
          .batch(Rules.shiftingAxes(extreme));
    }
    ARGMAX.nonDifferentiable("integer output").batch(Rules.shiftingAxes(ARGMAX));
    ARGMIN.nonDifferentiable("integer output").batch(Rules.shiftingAxes(ARGMIN));
    CUMSUM
        .jvp((x, t, y, p) -> Bind.bind(CUMSUM, p, t[0]))
        .vjp((ct, x, y, p) -> new Tensor[] {reverseCumsum(ct, ((Axis) p).axis())})
        .batch(Rules.shiftingAxes(CUMSUM));
  }

  /** {@code ct} (reduced shape) broadcast back over the reduced axes to {@code x}'s shape. */
  static Tensor expandBack(Tensor ct, Tensor x, int[] axes) {
    int[] kept = x.shape();
    for (int a : axes) {
      kept[a] = 1;
    }
    return ct.reshape(kept).expand(x.shape());
  }

  /** 1/k where x equals its reduced extreme y (k = how many do), else 0: {@code x}'s shape. */
  private static Tensor ties(Tensor x, Tensor y, int[] axes) {
    Tensor hit = x.eq(expandBack(y, x, axes)).to(x.dtype());
    return hit.div(expandBack(Bind.bind(REDUCE_SUM, new Axes(axes), hit), x, axes));
  }

  /** {@code ct[i] + ct[i+1] + ...} along {@code axis}: the adjoint of cumsum. */
  private static Tensor reverseCumsum(Tensor ct, int axis) {
    Tensor total = sum(ct, true, axis);
    return total.sub(Bind.bind(CUMSUM, new Axis(axis), ct)).add(ct);
  }

  private static Primitive reducer(String name, String op, BinaryOp kernelOp) {
    return Primitive.define(
        name,
        1,
        (in, p) -> reduceType(op, in[0], ((Axes) p).axes(), kernelOp != BinaryOp.ADD),
        (in, p, out) -> ReduceDriver.reduce(kernelOp, in[0], flags(in[0].rank(), ((Axes) p).axes()), out));
  }

  // ---- shape rules ----

  private static TensorType reduceType(String op, TensorType x, int[] axes, boolean needsElements) {
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] < 0 || axes[i] >= x.rank() || (i > 0 && axes[i] <= axes[i - 1])) {
        throw new EngineException(
            op, "distinct increasing axes in [0, " + x.rank() + ") for x: " + x,
            "axes=" + Arrays.toString(axes),
            "call the public helper (Reductions." + op + "), which normalises negative axes");
      }
      if (needsElements && x.dim(axes[i]) == 0) {
        throw emptyAxis(op, x, axes[i]);
      }
    }
    DType t = op.equals("sum") && x.dtype() == DType.BOOL ? DType.I64 : x.dtype();
    return new TensorType(t, dropAxes(x.shape(), flags(x.rank(), axes)));
  }

  private static TensorType argType(String op, TensorType x, int axis) {
    checkAxis(op, x, axis);
    if (x.dim(axis) == 0) {
      throw emptyAxis(op, x, axis);
    }
    boolean[] drop = new boolean[x.rank()];
    drop[axis] = true;
    return new TensorType(DType.I64, dropAxes(x.shape(), drop));
  }

  private static TensorType cumsumType(TensorType x, int axis) {
    checkAxis("cumsum", x, axis);
    return x.dtype() == DType.BOOL ? x.withDType(DType.I64) : x;
  }

  private static void checkAxis(String op, TensorType x, int axis) {
    if (axis < 0 || axis >= x.rank()) {
      throw new EngineException(
          op, "an axis in [0, " + x.rank() + ") for x: " + x, "axis=" + axis,
          "call the public helper (Reductions." + op + "), which normalises negative axes and 0-d input");
    }
  }

  private static EngineException emptyAxis(String op, TensorType x, int axis) {
    return new EngineException(
        op, "a non-empty axis to reduce (" + op + " has no identity)",
        "x: " + x + " with extent 0 at axis " + axis,
        "reduce only over axes with elements (check x.size(axis) > 0 first)");
  }

  private static boolean[] flags(int rank, int[] axes) {
    boolean[] f = new boolean[rank];
    for (int a : axes) {
      f[a] = true;
    }
    return f;
  }

  private static int[] dropAxes(int[] shape, boolean[] drop) {
    int[] out = new int[shape.length];
    int k = 0;
    for (int a = 0; a < shape.length; a++) {
      if (!drop[a]) {
        out[k++] = shape[a];
      }
    }
    return Arrays.copyOf(out, k);
  }

  // ---- public helpers ----

  /** Sum of all elements: {@code x: t[...] -> t[]} (bool gives i64). */
  public static Tensor sum(Tensor x) {
    return sum(x, false);
  }

  /**
   * Sum over {@code axes} (negative count from the end; none means all): {@code x: f32[a,b,c],
   * axes=(1) -> f32[a,c]}, or {@code f32[a,1,c]} with {@code keepdim}. bool gives i64.
   */
  public static Tensor sum(Tensor x, boolean keepdim, int... axes) {
    return reduce(REDUCE_SUM, "sum", x, keepdim, axes);
  }

  /** Largest element (NaN if any is NaN): {@code x: t[...] -> t[]}. Error if x is empty. */
  public static Tensor max(Tensor x) {
    return max(x, false);
  }

  /**
   * Largest value over {@code axes} (none means all), NaN-propagating, like {@code torch.amax}:
   * {@code x: f32[a,b], axes=(0) -> f32[b]}. Error if a reduced axis is empty.
   */
  public static Tensor max(Tensor x, boolean keepdim, int... axes) {
    return reduce(REDUCE_MAX, "max", x, keepdim, axes);
  }

  /** Smallest element (NaN if any is NaN): {@code x: t[...] -> t[]}. Error if x is empty. */
  public static Tensor min(Tensor x) {
    return min(x, false);
  }

  /** Smallest value over {@code axes} (none means all), like {@code torch.amin}. */
  public static Tensor min(Tensor x, boolean keepdim, int... axes) {
    return reduce(REDUCE_MIN, "min", x, keepdim, axes);
  }

  /** Index of the largest element of the flattened tensor: {@code x: t[...] -> i64[]}. */
  public static Tensor argmax(Tensor x) {
    return argmax(Structural.reshape(x, -1), 0, false);
  }

  /**
   * Index along {@code axis} of the largest element (first on ties, first NaN if any): {@code x:
   * f32[a,b], axis=1 -> i64[a]} ({@code i64[a,1]} with keepdim).
   */
  public static Tensor argmax(Tensor x, int axis, boolean keepdim) {
    return arg(ARGMAX, "argmax", x, axis, keepdim);
  }

  /** Index of the smallest element of the flattened tensor: {@code x: t[...] -> i64[]}. */
  public static Tensor argmin(Tensor x) {
    return argmin(Structural.reshape(x, -1), 0, false);
  }

  /** Index along {@code axis} of the smallest element (first on ties, first NaN if any). */
  public static Tensor argmin(Tensor x, int axis, boolean keepdim) {
    return arg(ARGMIN, "argmin", x, axis, keepdim);
  }

  /**
   * Running sum along {@code axis}: {@code x: f32[a,b] -> f32[a,b]}, {@code y[i] = x[0] + ... +
   * x[i]}. bool gives i64; floats accumulate in f64 like PyTorch's CPU cumsum.
   */
  public static Tensor cumsum(Tensor x, int axis) {
    int a = Shape.normalizeAxis("cumsum", "dim", axis, x.rank(), x.type());
    if (x.rank() == 0) {
      return Structural.reshape(cumsum(Structural.reshape(x, 1), 0));
    }
    return Bind.bind(CUMSUM, new Axis(a), x);
  }

  private static Tensor reduce(Primitive p, String op, Tensor x, boolean keepdim, int[] axes) {
    int[] ax = normalizeAxes(op, x.type(), axes);
    Tensor r = Bind.bind(p, new Axes(ax), x);
    return keepdim ? Structural.reshape(r, keptShape(x.shape(), ax)) : r;
  }

  private static Tensor arg(Primitive p, String op, Tensor x, int axis, boolean keepdim) {
    int a = Shape.normalizeAxis(op, "dim", axis, x.rank(), x.type());
    if (x.rank() == 0) {
      return Bind.bind(p, new Axis(0), Structural.reshape(x, 1));
    }
    Tensor r = Bind.bind(p, new Axis(a), x);
    return keepdim ? Structural.reshape(r, keptShape(x.shape(), new int[] {a})) : r;
  }

  /** The axes normalised and sorted; empty means all; duplicates are an error. 0-d input has none. */
  private static int[] normalizeAxes(String op, TensorType x, int[] axes) {
    if (axes.length == 0) {
      return Structural.identity(x.rank());
    }
    int[] ax = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      ax[i] = Shape.normalizeAxis(op, "dim", axes[i], x.rank(), x);
    }
    int[] sorted = ax.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new EngineException(
            op, "distinct axes", "dim=" + Arrays.toString(axes) + " for x: " + x
                + " (axis " + sorted[i] + " appears more than once)",
            "list each axis once");
      }
    }
    return x.rank() == 0 ? new int[0] : sorted;
  }

  /** {@code shape} with the extents at {@code axes} set to 1. */
  private static int[] keptShape(int[] shape, int[] axes) {
    int[] out = shape.clone();
    for (int a : axes) {
      out[a] = 1;
    }
    return out;
  }
}
