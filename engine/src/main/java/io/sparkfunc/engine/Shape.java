package io.sparkfunc.engine;

import io.sparkfunc.engine.core.EngineException;

/**
 * Static helpers for shapes ({@code int[]} extents, outermost first) and axes: element counts,
 * contiguous strides, axis normalisation and NumPy broadcasting. Every failure message names the
 * calling op and argument.
 */
public final class Shape {
  private Shape() {}

  /** Product of the extents (1 for a scalar). */
  public static long numel(int[] shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    return n;
  }

  /** Row-major (C order) strides, in elements, for a contiguous tensor of this shape. */
  public static int[] contiguousStrides(int[] shape) {
    int[] strides = new int[shape.length];
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= Math.max(shape[i], 1);
    }
    return strides;
  }

  /** Formats a shape as {@code [3,4]}. */
  public static String str(int[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(shape[i]);
    }
    return sb.append(']').toString();
  }

  /**
   * Normalises a possibly negative axis against {@code rank}.
   *
   * @param op the op as the user called it, for the message, e.g. {@code sum}
   * @param arg the argument name, e.g. {@code dim}
   * @param axis the axis, negative counts from the end
   * @param rank the rank of the tensor the axis refers to
   * @param type the tensor's short type, for the message
   */
  public static int normalizeAxis(String op, String arg, int axis, int rank, Object type) {
    if (axis < -Math.max(rank, 1) || axis >= Math.max(rank, 1)) {
      throw new EngineException(
          op,
          arg + " in [" + (-Math.max(rank, 1)) + ", " + (Math.max(rank, 1) - 1) + "]",
          arg + "=" + axis + " for " + type,
          "pass an axis within the tensor's rank " + rank + " (negative axes count from the end)");
    }
    return axis < 0 ? axis + Math.max(rank, 1) : axis;
  }

  /**
   * The NumPy broadcast of two shapes: right-aligned, each pair of extents equal or one of them 1.
   *
   * @param op the op name for the message
   * @param a first shape (argument {@code self}/first operand)
   * @param b second shape
   */
  public static int[] broadcast(String op, TensorType a, TensorType b) {
    int[] sa = a.shapeRef();
    int[] sb = b.shapeRef();
    int rank = Math.max(sa.length, sb.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - sa.length ? 1 : sa[i - (rank - sa.length)];
      int db = i < rank - sb.length ? 1 : sb[i - (rank - sb.length)];
      if (da != db && da != 1 && db != 1) {
        throw new EngineException(
            op,
            "shapes that broadcast (equal extents, or 1, aligned from the right)",
            a + " and " + b + ": extents " + da + " and " + db + " at output axis " + i,
            "reshape or unsqueeze one operand so that the axes line up, e.g. x.unsqueeze(-1)");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }
}
