package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.storage.BufferStorage;
import io.sparkfunc.engine.storage.Storage;

/**
 * Copies between layouts: strided views to contiguous heap tensors, tensors to Java arrays,
 * dtype conversion, and the text form of a tensor. Engine-internal (the public entry points are on
 * {@link Tensor}).
 */
public final class Materialize {
  private Materialize() {}

  /**
   * {@code t} itself if it is contiguous on the heap, else a contiguous heap copy. Empty tensors
   * are always copied: a view of no elements may have an offset past the end of its storage.
   */
  public static DenseTensor contiguous(DenseTensor t) {
    return t.isDenseHeap() && t.numel() > 0 ? t : copy(t);
  }

  /** A contiguous heap copy with its own storage. */
  public static DenseTensor copy(DenseTensor t) {
    return convert(t, t.dtype());
  }

  /** A contiguous heap copy converted to {@code dtype} (floats to ints truncate toward zero). */
  public static DenseTensor convert(DenseTensor t, DType dtype) {
    DenseTensor out = DenseTensor.allocate(new TensorType(dtype, t.shapeRef()));
    copyInto(t, out);
    return out;
  }

  /**
   * Copies {@code src} into {@code dst} elementwise, broadcasting {@code src} to {@code dst}'s
   * shape and converting dtype. {@code dst} may be any strided view (this is how in-place ops
   * write through views).
   */
  public static void copyInto(DenseTensor src, DenseTensor dst) {
    int[] shape = dst.shapeRef();
    int[] srcStrides = StridedLoop.broadcastStrides(src, shape);
    StridedLoop loop = new StridedLoop(shape, new int[][] {dst.stridesRef(), srcStrides});
    int[] st = loop.innerStrides();
    Storage d = dst.storage();
    Storage s = src.storage();
    boolean bothHeap = d.isHeap() && s.isHeap();
    boolean sameFloat = d.dtype() == s.dtype() && d.dtype().isFloating();
    // heap into off-heap of the same float dtype: raw stores (NOTE [Raw stores] in BufferStorage)
    boolean scatter = sameFloat && !d.isHeap() && s.isHeap();
    if ((scatter || (bothHeap && s != d)) && st[1] != 1 && loop.innerLength() < SHORT_RUN
        && bySource(shape, src, srcStrides, dst)) { // s != d: no aliasing
      return;
    }
    int[] inc = st;
    boolean bulk = d.dtype() == s.dtype() && st[0] == 1 && st[1] == 1
        && (bothHeap || (sameFloat && (d.isHeap() || s.isHeap())));
    loop.forEach(
        new int[] {dst.offset(), src.offset()},
        (off, n) -> {
          if (bulk) {
            bulkRun(s, off[1], d, off[0], n);
          } else if (scatter) {
            scatter(s, off[1], 0, inc[1], (BufferStorage) d, off[0], 0, inc[0], 1, n);
          } else if (!bothHeap || !floatRun(s, off[1], inc[1], d, off[0], inc[0], n)) {
            elementRun(s, off[1], inc[1], d, off[0], inc[0], n);
          }
        });
  }

  /** Destination runs shorter than this make a heap copy walk in the source's order. */
  private static final int SHORT_RUN = 16;

  /**
   * NOTE [Short runs]: a copy walks its destination in memory order, one run per innermost
   * (merged) axis. Copying a transposed view into contiguous memory, such as the per-sample
   * gradient {@code f32[n,d,8]} of a matmul that the GEMM wrote as {@code [n,8,d]}, then makes runs
   * of 8 elements gathered at the source's stride: a call per 8 elements, about 2 ns an element
   * (4 ms for the 2M-element gradient of {@code ArrowPerSampleGradBench}'s mlp at d = 64). When
   * the destination's runs are short and some axis is contiguous in the source, the walk takes
   * that axis innermost instead, and moves blocks rather than runs: per run of the remaining
   * axes (the 8 above), a block of that many rows of the source-contiguous axis (d above) in one
   * double loop, with contiguous reads and strided writes. A call then moves a whole {@code [8,d]}
   * block, and the walk's per-run cost is paid once per block. Returns false (nothing copied) if
   * no axis of extent above 1 has source stride 1. Only for copies from heap storage into a
   * distinct heap storage or into off-heap storage of the same float dtype (an Arrow buffer: the
   * blocks are then written with raw stores, NOTE [Raw stores] in {@code BufferStorage}, so the
   * copy into Arrow is the same single pass as into a Java array): the order of an aliased copy
   * (an in-place op writing through a view of its operand) is left alone.
   */
  private static boolean bySource(int[] shape, DenseTensor src, int[] sStrides, DenseTensor dst) {
    int inner = -1;
    for (int i = 0; i < shape.length; i++) {
      if (sStrides[i] == 1 && shape[i] > 1 && (inner < 0 || shape[i] > shape[inner])) {
        inner = i;
      }
    }
    if (inner < 0) {
      return false;
    }
    int[] dStrides = dst.stridesRef();
    int r = shape.length;
    int[] outer = new int[r - 1];
    int[] pd = new int[r - 1];
    int[] ps = new int[r - 1];
    for (int i = 0, at = 0; i < r; i++) {
      if (i != inner) {
        outer[at] = shape[i];
        pd[at] = dStrides[i];
        ps[at++] = sStrides[i];
      }
    }
    StridedLoop rows = new StridedLoop(outer, new int[][] {pd, ps});
    int[] rowInc = rows.innerStrides();
    int len = shape[inner];
    int dInc = dStrides[inner];
    Storage d = dst.storage();
    Storage s = src.storage();
    rows.forEach(new int[] {dst.offset(), src.offset()},
        (off, n) -> block(s, off[1], rowInc[1], d, off[0], rowInc[0], dInc, n, len));
    return true;
  }

  /**
   * {@code d[dOff + a * dRow + b * dInc] = s[sOff + a * sRow + b]} for a below rows and b below
   * len (heap {@code s}): one double loop per block when the dtypes match (raw stores into
   * off-heap {@code d}), else run by run.
   */
  private static void block(Storage s, int sOff, int sRow, Storage d, int dOff, int dRow,
      int dInc, int rows, int len) {
    float[] xf = s.f32Array();
    float[] yf = d.f32Array();
    double[] xd = s.f64Array();
    double[] yd = d.f64Array();
    if (xf != null && yf != null) {
      for (int a = 0; a < rows; a++) {
        for (int b = 0, so = sOff + a * sRow, dof = dOff + a * dRow; b < len; b++) {
          yf[dof + b * dInc] = xf[so + b];
        }
      }
    } else if (xd != null && yd != null) {
      for (int a = 0; a < rows; a++) {
        for (int b = 0, so = sOff + a * sRow, dof = dOff + a * dRow; b < len; b++) {
          yd[dof + b * dInc] = xd[so + b];
        }
      }
    } else if (d instanceof BufferStorage && s.isHeap() && s.dtype() == d.dtype()) {
      scatter(s, sOff, sRow, 1, (BufferStorage) d, dOff, dRow, dInc, rows, len);
    } else {
      for (int a = 0; a < rows; a++) {
        if (!floatRun(s, sOff + a * sRow, 1, d, dOff + a * dRow, dInc, len)) {
          elementRun(s, sOff + a * sRow, 1, d, dOff + a * dRow, dInc, len);
        }
      }
    }
  }

  /** {@link BufferStorage#scatter} from heap f32 or f64 {@code s} (NOTE [Raw stores]). */
  private static void scatter(Storage s, int sOff, int sRow, int sInc, BufferStorage d, int dOff,
      int dRow, int dInc, int rows, int len) {
    if (s.dtype() == DType.F32) {
      d.scatter(s.f32Array(), sOff, sRow, sInc, dOff, dRow, dInc, rows, len);
    } else {
      d.scatter(s.f64Array(), sOff, sRow, sInc, dOff, dRow, dInc, rows, len);
    }
  }

  /**
   * A contiguous run of one dtype where at least one side is on the heap: an array copy, a
   * kernel load from off-heap memory (NOTE [Storage staging]), or a bulk write into it.
   */
  private static void bulkRun(Storage s, int sOff, Storage d, int dOff, int n) {
    if (s.isHeap() && d.isHeap()) {
      System.arraycopy(Staging.heapArray(s), sOff, Staging.heapArray(d), dOff, n);
    } else if (d.isHeap()) {
      Staging.load((BufferStorage) s, sOff, Staging.heapArray(d), dOff, n);
    } else if (s.dtype() == DType.F32) {
      d.write(dOff, s.f32Array(), sOff, n);
    } else {
      d.write(dOff, s.f64Array(), sOff, n);
    }
  }

  /** The general run of {@link #copyInto}: element by element through the storage accessors. */
  private static void elementRun(Storage s, int sOff, int sInc, Storage d, int dOff, int dInc, int n) {
    if (d.dtype() == DType.I64 || s.dtype() == DType.I64) {
      for (int i = 0; i < n; i++) {
        d.setLong(dOff + i * dInc, s.getLong(sOff + i * sInc));
      }
    } else {
      for (int i = 0; i < n; i++) {
        d.setDouble(dOff + i * dInc, s.getDouble(sOff + i * sInc));
      }
    }
  }

  /**
   * {@code d[dOff + i * dInc] = s[sOff + i * sInc]} on heap arrays when both dtypes are floating
   * (f32 and f64 in any combination, rounding to nearest); false, writing nothing, for other
   * dtypes.
   */
  private static boolean floatRun(Storage s, int sOff, int sInc, Storage d, int dOff, int dInc,
      int n) {
    float[] xf = s.f32Array();
    double[] xd = s.f64Array();
    float[] yf = d.f32Array();
    double[] yd = d.f64Array();
    if ((xf == null && xd == null) || (yf == null && yd == null)) {
      return false;
    }
    if (yf != null && xf != null) {
      for (int i = 0; i < n; i++) {
        yf[dOff + i * dInc] = xf[sOff + i * sInc];
      }
    } else if (yf != null) {
      for (int i = 0; i < n; i++) {
        yf[dOff + i * dInc] = (float) xd[sOff + i * sInc];
      }
    } else if (xf != null) {
      for (int i = 0; i < n; i++) {
        yd[dOff + i * dInc] = xf[sOff + i * sInc];
      }
    } else {
      for (int i = 0; i < n; i++) {
        yd[dOff + i * dInc] = xd[sOff + i * sInc];
      }
    }
    return true;
  }

  /** Row-major elements as floats. */
  public static float[] toFloatArray(DenseTensor t) {
    DenseTensor c = t.dtype() == DType.F32 ? contiguous(t) : convert(t, DType.F32);
    float[] a = c.storage().f32Array();
    return c == t ? java.util.Arrays.copyOfRange(a, t.offset(), t.offset() + (int) t.numel()) : a;
  }

  /** Row-major elements as doubles. */
  public static double[] toDoubleArray(DenseTensor t) {
    DenseTensor c = t.dtype() == DType.F64 ? contiguous(t) : convert(t, DType.F64);
    double[] a = c.storage().f64Array();
    return c == t ? java.util.Arrays.copyOfRange(a, t.offset(), t.offset() + (int) t.numel()) : a;
  }

  /** Row-major elements as longs. */
  public static long[] toLongArray(DenseTensor t) {
    DenseTensor c = t.dtype() == DType.I64 ? contiguous(t) : convert(t, DType.I64);
    long[] a = c.storage().i64Array();
    return c == t ? java.util.Arrays.copyOfRange(a, t.offset(), t.offset() + (int) t.numel()) : a;
  }

  /** Row-major elements as booleans. */
  public static boolean[] toBooleanArray(DenseTensor t) {
    DenseTensor c = convert(t, DType.BOOL);
    byte[] a = c.storage().boolArray();
    boolean[] out = new boolean[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] != 0;
    }
    return out;
  }

  /** Text form: {@code tensor(f32[2,2], [[1.0, 2.0], [3.0, 4.0]])}; long tensors are elided. */
  public static String format(Tensor t) {
    if (!(t instanceof DenseTensor)) {
      return "tensor(" + t.type() + ", <traced>)";
    }
    DenseTensor d = (DenseTensor) t;
    StringBuilder sb = new StringBuilder("tensor(").append(t.type()).append(", ");
    if (t.numel() > 1000) {
      return sb.append("...)").toString();
    }
    double[] v = toDoubleArray(d);
    appendNested(sb, d.shapeRef(), 0, new int[] {0}, v, d.dtype());
    return sb.append(')').toString();
  }

  private static void appendNested(
      StringBuilder sb, int[] shape, int axis, int[] pos, double[] v, DType dtype) {
    if (axis == shape.length) {
      double x = v[pos[0]++];
      if (dtype == DType.BOOL) {
        sb.append(x != 0);
      } else if (dtype == DType.I64) {
        sb.append((long) x);
      } else {
        sb.append(dtype == DType.F32 ? Float.toString((float) x) : Double.toString(x));
      }
      return;
    }
    sb.append('[');
    for (int i = 0; i < shape[axis]; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      appendNested(sb, shape, axis + 1, pos, v, dtype);
    }
    sb.append(']');
  }

  /** Element count as an int, for allocation. */
  static int numel(int[] shape) {
    return (int) Shape.numel(shape);
  }
}
