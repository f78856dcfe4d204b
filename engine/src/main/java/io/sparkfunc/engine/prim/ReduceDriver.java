package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.kernel.Kernels;
import io.sparkfunc.engine.storage.HeapStorage;
import io.sparkfunc.engine.storage.Storage;

/**
 * The drivers behind {@link Reductions}: axis reductions over the kernels, and the line walks of
 * {@code argmax}/{@code argmin} and {@code cumsum}.
 *
 * <p>NOTE [Reduction passes]: a reduction reads its input in memory order. The input's axes are
 * first sorted by stride, so a transposed view reduces in place without a copy (other layouts are
 * copied to a contiguous heap tensor). Adjacent axes that are both reduced or both kept merge into
 * groups, and each reduced group is removed in one pass, innermost first, over a contiguous
 * {@code [P, R, Q]} view: with {@code Q == 1} every output is a contiguous run reduced by {@code
 * Kernels.sum/max/min}; with {@code Q > 1} rows of {@code Q} are combined with {@code
 * Kernels.binary(op, acc, x -> acc)}, which vectorizes. Both split {@code R} in halves down to a
 * small block ({@link #RUN_BLOCK} elements, {@link #ROW_BLOCK} rows), so f32 sums stay accurate
 * (pairwise error growth) while still accumulating in f32 lanes. The output keeps the input's
 * memory order for the kept axes (as PyTorch's TensorIterator does), so it may be a permuted view
 * of fresh storage.
 */
final class ReduceDriver {
  private ReduceDriver() {}

  /** Elements of a run reduced by one kernel call before the run is split in halves. */
  static final int RUN_BLOCK = 1024;

  /** Rows combined one after another before the rows are split in halves. */
  static final int ROW_BLOCK = 8;

  /**
   * Runs this short or shorter reduce in a plain loop over all rows (NOTE [Short runs]).
   *
   * <p>NOTE [Short runs]: reducing {@code [p, r]} over a short r (a vmapped norm of 3-vectors:
   * r = 3, p = 10^6) as p kernel calls costs a call, a padded tail copy and a lane reduction per
   * row, some 30 ns for 3 elements; one loop over the rows instead reads memory in order at about
   * 1 ns per element. Sums add left to right (r is too short for pairwise order to matter), max
   * and min have {@code Math.max}/{@code Math.min} semantics like the kernels.
   */
  static final int SHORT_RUN = 16;

  /** The typed pieces a reduction pass needs: f32 and f64 call the kernels, i64 loops. */
  private interface Lanes {
    /** The heap array behind {@code s}. */
    Object array(Storage s);

    /** A fresh zeroed array of {@code n} elements. */
    Object alloc(int n);

    /** {@code y[yo] = op-reduce(x[xo .. xo+n))}, {@code n >= 1}. */
    void reduceRun(Object x, int xo, int n, Object y, int yo);

    /** {@code acc[ao+i] = op(acc[ao+i], x[xo+i])} for i in [0, n). */
    void combine(Object acc, int ao, Object x, int xo, int n);

    /**
     * {@code y[yo+i] = op-reduce(x[xo+i*r .. xo+(i+1)*r))} for i in [0, p), {@code r >= 1} (NOTE
     * [Short runs]).
     */
    default void reduceShortRuns(Object x, int xo, int p, int r, Object y, int yo) {
      for (int i = 0; i < p; i++) {
        reduceRun(x, xo + i * r, r, y, yo + i);
      }
    }

    static Lanes of(DType t, BinaryOp op) {
      Kernels k = Elementwise.kernels();
      switch (t) {
        case F32:
          return new F32Lanes(op, k);
        case F64:
          return new F64Lanes(op, k);
        default:
          return new I64Lanes(op);
      }
    }
  }

  private record F32Lanes(BinaryOp op, Kernels k) implements Lanes {
    @Override
    public Object array(Storage s) {
      return s.f32Array();
    }

    @Override
    public Object alloc(int n) {
      return new float[n];
    }

    @Override
    public void reduceRun(Object x, int xo, int n, Object y, int yo) {
      float[] a = (float[]) x;
      ((float[]) y)[yo] =
          op == BinaryOp.ADD ? k.sum(a, xo, n) : op == BinaryOp.MAX ? k.max(a, xo, n) : k.min(a, xo, n);
    }

    @Override
    public void combine(Object acc, int ao, Object x, int xo, int n) {
      k.binary(op, (float[]) acc, ao, 1, (float[]) x, xo, 1, (float[]) acc, ao, n);
    }

    @Override
    public void reduceShortRuns(Object x, int xo, int p, int r, Object y, int yo) {
      float[] a = (float[]) x;
      float[] out = (float[]) y;
      if (op == BinaryOp.ADD && r <= 4) {
        sumShortRuns(a, xo, p, r, out, yo);
        return;
      }
      for (int i = 0, at = xo; i < p; i++) {
        float acc = a[at++];
        for (int j = 1; j < r; j++, at++) {
          acc = op == BinaryOp.ADD ? acc + a[at] : op == BinaryOp.MAX ? Math.max(acc, a[at]) : Math.min(acc, a[at]);
        }
        out[yo + i] = acc;
      }
    }
  }

  private record F64Lanes(BinaryOp op, Kernels k) implements Lanes {
    @Override
    public Object array(Storage s) {
      return s.f64Array();
    }

    @Override
    public Object alloc(int n) {
      return new double[n];
    }

    @Override
    public void reduceRun(Object x, int xo, int n, Object y, int yo) {
      double[] a = (double[]) x;
      ((double[]) y)[yo] =
          op == BinaryOp.ADD ? k.sum(a, xo, n) : op == BinaryOp.MAX ? k.max(a, xo, n) : k.min(a, xo, n);
    }

    @Override
    public void combine(Object acc, int ao, Object x, int xo, int n) {
      k.binary(op, (double[]) acc, ao, 1, (double[]) x, xo, 1, (double[]) acc, ao, n);
    }

    @Override
    public void reduceShortRuns(Object x, int xo, int p, int r, Object y, int yo) {
      double[] a = (double[]) x;
      double[] out = (double[]) y;
      if (op == BinaryOp.ADD && r <= 4) {
        sumShortRuns(a, xo, p, r, out, yo);
        return;
      }
      for (int i = 0, at = xo; i < p; i++) {
        double acc = a[at++];
        for (int j = 1; j < r; j++, at++) {
          acc = op == BinaryOp.ADD ? acc + a[at] : op == BinaryOp.MAX ? Math.max(acc, a[at]) : Math.min(acc, a[at]);
        }
        out[yo + i] = acc;
      }
    }
  }

  /**
   * Sums of runs of r in [1, 4] elements, {@code y[yo+i] = x[xo+i*r] + ... + x[xo+i*r+r-1]} left to
   * right, one loop per r so that each row is straight-line code (NOTE [Short runs]: a vmapped
   * norm of 3-vectors is 10^6 of these).
   */
  static void sumShortRuns(float[] x, int xo, int p, int r, float[] y, int yo) {
    switch (r) {
      case 1:
        System.arraycopy(x, xo, y, yo, p);
        break;
      case 2:
        for (int i = yo, at = xo; i < yo + p; i++, at += 2) {
          y[i] = x[at] + x[at + 1];
        }
        break;
      case 3:
        for (int i = yo, at = xo; i < yo + p; i++, at += 3) {
          y[i] = x[at] + x[at + 1] + x[at + 2];
        }
        break;
      default:
        for (int i = yo, at = xo; i < yo + p; i++, at += 4) {
          y[i] = x[at] + x[at + 1] + x[at + 2] + x[at + 3];
        }
    }
  }

  /** {@link #sumShortRuns(float[], int, int, int, float[], int)} for f64. */
  static void sumShortRuns(double[] x, int xo, int p, int r, double[] y, int yo) {
    switch (r) {
      case 1:
        System.arraycopy(x, xo, y, yo, p);
        break;
      case 2:
        for (int i = yo, at = xo; i < yo + p; i++, at += 2) {
          y[i] = x[at] + x[at + 1];
        }
        break;
      case 3:
        for (int i = yo, at = xo; i < yo + p; i++, at += 3) {
          y[i] = x[at] + x[at + 1] + x[at + 2];
        }
        break;
      default:
        for (int i = yo, at = xo; i < yo + p; i++, at += 4) {
          y[i] = x[at] + x[at + 1] + x[at + 2] + x[at + 3];
        }
    }
  }

  /** i64 has no kernels: plain loops (sums wrap around on overflow, as in PyTorch). */
  private record I64Lanes(BinaryOp op) implements Lanes {
    @Override
    public Object array(Storage s) {
      return s.i64Array();
    }

    @Override
    public Object alloc(int n) {
      return new long[n];
    }

    @Override
    public void reduceRun(Object x, int xo, int n, Object y, int yo) {
      long[] a = (long[]) x;
      long r = a[xo];
      for (int i = 1; i < n; i++) {
        r = Elementwise.longBinary(op, r, a[xo + i]);
      }
      ((long[]) y)[yo] = r;
    }

    @Override
    public void combine(Object acc, int ao, Object x, int xo, int n) {
      long[] a = (long[]) acc;
      long[] b = (long[]) x;
      for (int i = 0; i < n; i++) {
        a[ao + i] = Elementwise.longBinary(op, a[ao + i], b[xo + i]);
      }
    }
  }

  /**
   * Reduces {@code x} over the axes flagged in {@code reduced} with {@code op} (ADD, MAX or MIN).
   * bool input is reduced as i64; see NOTE [Reduction passes].
   *
   * @param outType the output type from the shape rule (reduced axes dropped)
   */
  static DenseTensor reduce(BinaryOp op, DenseTensor x, boolean[] reduced, TensorType outType) {
    DType work = outType.dtype() == DType.BOOL ? DType.I64 : outType.dtype();
    DenseTensor in = x.dtype() == work ? x : Materialize.convert(x, work);
    Storage streamed = rowsOfDeferred(Lanes.of(work, op), in, reduced);
    if (streamed != null) {
      int[] identity = Structural.identity(in.rank());
      return new DenseTensor(streamed, outType.shape(), keptStrides(in.shapeRef(), identity, reduced), 0);
    }
    int[] perm = memoryOrder(in);
    DenseTensor view = permuted(in, perm);
    if (!view.isDenseHeap()) {
      view = Materialize.copy(in);
      perm = Structural.identity(in.rank());
    }
    boolean[] flags = new boolean[perm.length];
    for (int i = 0; i < perm.length; i++) {
      flags[i] = reduced[perm[i]];
    }
    Storage data = passes(Lanes.of(work, op), view, flags);
    DenseTensor result =
        new DenseTensor(data, outType.shape(), keptStrides(in.shapeRef(), perm, reduced), 0);
    return work == outType.dtype() ? result : Materialize.convert(result, outType.dtype());
  }

  /**
   * The rows of a deferred result reduced as it is computed, or null where that does not apply.
   *
   * <p>NOTE [Fused rows]: a vmapped norm, {@code sqrt(sum(x^2, -1))} on {@code [10^6, 3]}, or the
   * squared row norms of a block {@code sum(a^2, 1)} on {@code [1771, 64]} (ghost clipping),
   * would otherwise write the deferred {@code x^2} whole (NOTE [Elementwise fusion] in {@link
   * FusedStorage}) into a fresh array only to read it back for the sum. When the operand is a
   * deferred result not yet computed, contiguous from its first element, and the reduced axes are
   * its trailing ones, the result is computed in tiles of whole rows and each tile is reduced
   * while it is in cache by the loops the materialized path runs on those rows (short runs up to
   * {@link #SHORT_RUN}, else the pairwise pass: same order per row, so the same sums). The
   * deferred operand itself stays uncomputed. {@code sum(x^2, 1)} on {@code [1771, 64]} f64 took
   * 84-105 us with the square written whole and 37-38 us streamed; {@code [1771, 256]} 405 and 85.
   */
  private static Storage rowsOfDeferred(Lanes lanes, DenseTensor x, boolean[] reduced) {
    Storage s = x.storage();
    if (!(s instanceof FusedStorage) || s.isSettled() || x.offset() != 0 || !x.isContiguous()
        || x.numel() != s.length() || x.numel() == 0) {
      return null;
    }
    int[] shape = x.shapeRef();
    int rows = 1;
    int r = 1;
    for (int a = 0; a < shape.length; a++) {
      if (reduced[a]) {
        r *= shape[a];
      } else if (shape[a] != 1 && r > 1) {
        return null; // a kept axis after a reduced one
      } else {
        rows *= shape[a];
      }
    }
    Object out = lanes.alloc(rows);
    int run = r;
    Object[] scratch = new Object[32];
    boolean streamed = ((FusedStorage) s).computeInRows(run,
        (tile, start, n) -> pass(lanes, tile, 0, n / run, run, 1, out, start / run, scratch));
    if (!streamed) {
      return null;
    }
    return out instanceof float[] ? HeapStorage.of((float[]) out) : HeapStorage.of((double[]) out);
  }

  /** Axes ordered by decreasing stride (stable), so {@code x} permuted by it is usually contiguous. */
  private static int[] memoryOrder(DenseTensor x) {
    return Structural.argsort(x.stridesRef(), true);
  }

  private static DenseTensor permuted(DenseTensor x, int[] perm) {
    int[] shape = new int[perm.length];
    int[] strides = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      shape[i] = x.shapeRef()[perm[i]];
      strides[i] = x.stridesRef()[perm[i]];
    }
    return new DenseTensor(x.storage(), shape, strides, x.offset());
  }

  /**
   * Strides of the output's kept axes (in original order) when they are stored contiguously in
   * the order {@code perm} lists them.
   */
  private static int[] keptStrides(int[] shape, int[] perm, boolean[] reduced) {
    int[] rankOf = new int[shape.length];
    int kept = 0;
    for (int a = 0; a < shape.length; a++) {
      rankOf[a] = reduced[a] ? -1 : kept++;
    }
    int[] strides = new int[kept];
    int s = 1;
    for (int i = perm.length - 1; i >= 0; i--) {
      if (!reduced[perm[i]]) {
        strides[rankOf[perm[i]]] = s;
        s *= Math.max(shape[perm[i]], 1);
      }
    }
    return strides;
  }

  /**
   * Runs the passes over contiguous heap {@code x} and returns fresh storage holding the kept
   * elements in {@code x}'s axis order.
   */
  private static Storage passes(Lanes lanes, DenseTensor x, boolean[] flags) {
    int[] shape = x.shapeRef();
    int[] ext = new int[shape.length];
    boolean[] red = new boolean[shape.length];
    int groups = 0;
    for (int a = 0; a < shape.length; a++) {
      if (shape[a] != 1 && groups > 0 && red[groups - 1] == flags[a]) {
        ext[groups - 1] *= shape[a];
      } else if (shape[a] != 1) {
        ext[groups] = shape[a];
        red[groups++] = flags[a];
      }
    }
    DType t = x.dtype();
    Storage cur = x.storage();
    int base = x.offset();
    for (int g = groups - 1; g >= 0; g--) {
      if (red[g]) {
        int p = product(ext, 0, g);
        int q = product(ext, g + 1, groups);
        Storage next = Storage.allocate(t, p * q);
        if (ext[g] > 0 && p * q > 0) {
          pass(lanes, lanes.array(cur), base, p, ext[g], q, lanes.array(next));
        }
        cur = next;
        base = 0;
        ext[g] = 1;
      }
    }
    return cur == x.storage() ? Materialize.copy(x).storage() : cur;
  }

  private static int product(int[] ext, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p *= ext[i];
    }
    return p;
  }

  /** Reduces contiguous {@code src[base ..]} viewed as {@code [p, r, q]} over r into {@code dst[p, q]}. */
  private static void pass(Lanes lanes, Object src, int base, int p, int r, int q, Object dst) {
    pass(lanes, src, base, p, r, q, dst, 0, new Object[32]);
  }

  /** {@link #pass} into {@code dst} from row {@code d0}, with the pairwise partials' {@code scratch}. */
  private static void pass(Lanes lanes, Object src, int base, int p, int r, int q, Object dst, int d0, Object[] scratch) {
    if (q == 1 && r <= SHORT_RUN) {
      lanes.reduceShortRuns(src, base, p, r, dst, d0);
      return;
    }
    Pairwise pw = new Pairwise(lanes, src, q, scratch);
    for (int i = 0; i < p; i++) {
      pw.reduce(base + i * r * q, r, dst, (d0 + i) * q, 0);
    }
  }

  /** Pairwise reduction of rows of {@code q} elements of {@code src}; {@code scratch[level]} holds partials. */
  private record Pairwise(Lanes lanes, Object src, int q, Object[] scratch) {
    /**
     * Reduces {@code count >= 1} rows starting at {@code src[so]} into {@code dst[d0 .. d0+q)}:
     * short stretches in sequence, longer ones as two halves combined.
     */
    void reduce(int so, int count, Object dst, int d0, int level) {
      if (count <= (q == 1 ? RUN_BLOCK : ROW_BLOCK)) {
        if (q == 1) {
          lanes.reduceRun(src, so, count, dst, d0);
          return;
        }
        System.arraycopy(src, so, dst, d0, q);
        for (int i = 1; i < count; i++) {
          lanes.combine(dst, d0, src, so + i * q, q);
        }
        return;
      }
      int half = count / 2;
      reduce(so, half, dst, d0, level + 1);
      if (scratch[level] == null) {
        scratch[level] = lanes.alloc(q);
      }
      reduce(so + half * q, count - half, scratch[level], 0, level + 1);
      lanes.combine(dst, d0, scratch[level], 0, q);
    }
  }

  // ---- line walks: argmax/argmin and cumsum ----

  /** Orders two elements of one storage: true if {@code cand} should replace {@code best}. */
  private interface Better {
    boolean test(Storage s, int cand, int best);
  }

  /**
   * For each line of {@code x} along {@code axis}, the index of its largest ({@code max}) or
   * smallest element; the first on ties, the first NaN if any (NaN wins both ways, as PyTorch).
   */
  static DenseTensor argBest(DenseTensor x, int axis, boolean max, TensorType outType) {
    DenseTensor out = DenseTensor.allocate(outType);
    long[] y = out.storage().i64Array();
    Storage s = x.storage();
    int n = x.shapeRef()[axis];
    int step = x.stridesRef()[axis];
    Better better = better(x.dtype(), max);
    int[] outStrides = new int[x.rank()];
    int[] os = out.stridesRef();
    for (int a = 0, k = 0; a < outStrides.length; a++) {
      outStrides[a] = a == axis ? 0 : os[k++];
    }
    forEachLine(x, axis, outStrides, at -> {
      int best = 0;
      for (int r = 1; r < n; r++) {
        if (better.test(s, at[0] + r * step, at[0] + best * step)) {
          best = r;
        }
      }
      y[at[1]] = best;
    });
    return out;
  }

  private static Better better(DType t, boolean max) {
    if (t.isFloating()) {
      return (s, c, b) -> {
        double v = s.getDouble(c);
        double w = s.getDouble(b);
        return !Double.isNaN(w) && (Double.isNaN(v) || (max ? v > w : v < w));
      };
    }
    return max ? (s, c, b) -> s.getLong(c) > s.getLong(b) : (s, c, b) -> s.getLong(c) < s.getLong(b);
  }

  /**
   * Running sums along {@code axis}. Floats accumulate in f64 and round each output (as PyTorch's
   * CPU cumsum); i64 accumulates in i64.
   */
  static DenseTensor cumsum(DenseTensor x, int axis, TensorType outType) {
    DenseTensor out = DenseTensor.allocate(outType);
    Storage s = x.storage();
    Storage d = out.storage();
    int n = x.shapeRef()[axis];
    int step = x.stridesRef()[axis];
    int ostep = out.stridesRef()[axis];
    boolean longs = outType.dtype() == DType.I64;
    forEachLine(x, axis, out.stridesRef(), at -> {
      long lacc = 0;
      double dacc = 0;
      for (int r = 0; r < n; r++) {
        if (longs) {
          lacc += s.getLong(at[0] + r * step);
          d.setLong(at[1] + r * ostep, lacc);
        } else {
          dacc += s.getDouble(at[0] + r * step);
          d.setDouble(at[1] + r * ostep, dacc);
        }
      }
    });
    return out;
  }

  /**
   * Visits the first element of every line of {@code x} along {@code axis}: {@code at[0]} is its
   * storage index in x, {@code at[1]} the matching index in an output of strides {@code
   * outStrides} (one per axis of x, starting at storage index 0).
   */
  private static void forEachLine(
      DenseTensor x, int axis, int[] outStrides, StridedLoop.ElementVisitor visitor) {
    int[] shape = x.shape();
    shape[axis] = 1;
    new StridedLoop(shape, new int[][] {x.stridesRef(), outStrides})
        .forEachElement(new int[] {x.offset(), 0}, visitor);
  }
}
