package io.sparkfunc.engine.prim;

/**
 * Walks several strided operands of one common shape as a sequence of 1-d runs.
 *
 * <p>Axes of extent 1 are dropped and adjacent axes are merged wherever every operand's strides
 * allow, so contiguous operands of any rank become a single run and a row-broadcast {@code
 * [n,d] + [d]} becomes n runs of d. The visitor gets, per run, each operand's storage index of the
 * run's first element; the inner strides are the same for every run and are returned by {@link
 * #innerStrides()}.
 *
 * <p>NOTE [Storage staging]: kernels want heap arrays with inner stride 0 or 1. Ops check {@link
 * #innerStrides()} and, for an operand that has another stride or lives off-heap, make a
 * contiguous heap copy first ({@link Materialize#contiguous}). That keeps every kernel to the
 * two increments it supports.
 */
public final class StridedLoop {
  /** Receives one run: {@code offsets[op]} is operand op's storage index of element 0 of the run. */
  @FunctionalInterface
  public interface RunVisitor {
    /**
     * @param offsets per-operand start index (reused between calls; copy to keep)
     * @param n run length
     */
    void run(int[] offsets, int n);
  }

  private final int[] outerShape;
  private final int[][] outerStrides;
  private final int innerLength;
  private final int[] innerStrides;
  private final boolean empty;

  /**
   * Plans a walk.
   *
   * @param shape the common shape
   * @param strides per operand, its element strides over {@code shape} (0 on broadcast axes)
   */
  public StridedLoop(int[] shape, int[][] strides) {
    int ops = strides.length;
    int rank = shape.length;
    int[] dims = new int[rank];
    int[][] st = new int[ops][rank];
    int kept = 0;
    boolean isEmpty = false;
    for (int i = 0; i < rank; i++) {
      if (shape[i] == 0) {
        isEmpty = true;
      }
      if (shape[i] == 1) {
        continue;
      }
      boolean merge = kept > 0;
      for (int o = 0; o < ops && merge; o++) {
        merge = st[o][kept - 1] == strides[o][i] * shape[i];
      }
      if (merge) {
        dims[kept - 1] *= shape[i];
        for (int o = 0; o < ops; o++) {
          st[o][kept - 1] = strides[o][i];
        }
      } else {
        dims[kept] = shape[i];
        for (int o = 0; o < ops; o++) {
          st[o][kept] = strides[o][i];
        }
        kept++;
      }
    }
    this.empty = isEmpty;
    this.innerStrides = new int[ops];
    if (kept == 0) {
      this.innerLength = 1;
      this.outerShape = new int[0];
      this.outerStrides = new int[ops][0];
      java.util.Arrays.fill(innerStrides, 1);
      return;
    }
    this.innerLength = dims[kept - 1];
    this.outerShape = java.util.Arrays.copyOf(dims, kept - 1);
    this.outerStrides = new int[ops][];
    for (int o = 0; o < ops; o++) {
      innerStrides[o] = st[o][kept - 1];
      outerStrides[o] = java.util.Arrays.copyOf(st[o], kept - 1);
    }
  }

  /**
   * The strides of {@code t} read as a tensor of {@code outShape} under NumPy broadcasting:
   * right-aligned, 0 on axes that {@code t} lacks or has with extent 1.
   */
  public static int[] broadcastStrides(io.sparkfunc.engine.DenseTensor t, int[] outShape) {
    int[] shape = t.shapeRef();
    int[] strides = t.stridesRef();
    int[] out = new int[outShape.length];
    int lead = outShape.length - shape.length;
    for (int i = 0; i < shape.length; i++) {
      out[lead + i] = shape[i] == 1 ? 0 : strides[i];
    }
    return out;
  }

  /** Per operand, the stride between consecutive elements of a run. */
  public int[] innerStrides() {
    return innerStrides.clone();
  }

  /** Length of every run. */
  public int innerLength() {
    return innerLength;
  }

  /** True if no operand has an inner stride other than 0 or 1. */
  public boolean unitOrBroadcastInner() {
    for (int s : innerStrides) {
      if (s != 0 && s != 1) {
        return false;
      }
    }
    return true;
  }

  /** Receives one element: {@code at[op]} is operand op's storage index of it. */
  @FunctionalInterface
  public interface ElementVisitor {
    /** @param at per-operand storage index (reused between calls; copy to keep) */
    void visit(int[] at);
  }

  /**
   * Visits every element in row-major order, for scalar loops that move single elements (gather,
   * scatter, scans).
   *
   * @param offsets per-operand storage index of element (0,...,0)
   * @param visitor called once per element
   */
  public void forEachElement(int[] offsets, ElementVisitor visitor) {
    int[] at = new int[offsets.length];
    forEach(offsets, (off, n) -> {
      for (int i = 0; i < n; i++) {
        for (int o = 0; o < at.length; o++) {
          at[o] = off[o] + i * innerStrides[o];
        }
        visitor.visit(at);
      }
    });
  }

  /**
   * Visits every run in row-major order.
   *
   * @param offsets per-operand storage index of element (0,...,0)
   * @param visitor called once per run
   */
  public void forEach(int[] offsets, RunVisitor visitor) {
    if (empty) {
      return;
    }
    int ops = offsets.length;
    int rank = outerShape.length;
    int[] idx = new int[rank];
    int[] off = offsets.clone();
    while (true) {
      visitor.run(off, innerLength);
      int d = rank - 1;
      while (d >= 0) {
        idx[d]++;
        for (int o = 0; o < ops; o++) {
          off[o] += outerStrides[o][d];
        }
        if (idx[d] < outerShape[d]) {
          break;
        }
        for (int o = 0; o < ops; o++) {
          off[o] -= outerStrides[o][d] * outerShape[d];
        }
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }
}
