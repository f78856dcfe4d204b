package io.sparkfunc.engine;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.storage.HeapStorage;

/**
 * Creating tensors: from Java arrays (the array is copied, so later writes to it are not seen),
 * filled with constants, and ranges ({@code arange}, {@code linspace}, {@code eye}) with
 * PyTorch's argument rules and formulas. Random tensors come from {@code random.Random} with an
 * explicit key.
 */
public final class Tensors {
  private Tensors() {}

  /** A 0-d tensor: {@code -> t[]}. */
  public static Tensor scalar(double value, DType dtype) {
    DenseTensor t = DenseTensor.allocate(new TensorType(dtype));
    if (dtype == DType.I64) {
      t.storage().setLong(0, (long) value);
    } else {
      t.storage().setDouble(0, value);
    }
    return t;
  }

  /** A 0-d i64 tensor holding {@code value} exactly: {@code -> i64[]}. */
  public static Tensor scalar(long value) {
    DenseTensor t = DenseTensor.allocate(new TensorType(DType.I64));
    t.storage().setLong(0, value);
    return t;
  }

  /** {@code data} (copied) as a tensor of {@code shape}; with no shape, a 1-d tensor. */
  public static Tensor of(float[] data, int... shape) {
    return DenseTensor.contiguous(HeapStorage.of(data.clone()), shapeOr(shape, data.length));
  }

  /** {@code data} (copied) as a tensor of {@code shape}; with no shape, a 1-d tensor. */
  public static Tensor of(double[] data, int... shape) {
    return DenseTensor.contiguous(HeapStorage.of(data.clone()), shapeOr(shape, data.length));
  }

  /** {@code data} (copied) as an i64 tensor of {@code shape}; with no shape, a 1-d tensor. */
  public static Tensor of(long[] data, int... shape) {
    return DenseTensor.contiguous(HeapStorage.of(data.clone()), shapeOr(shape, data.length));
  }

  /** {@code data} (copied) as a bool tensor of {@code shape}; with no shape, a 1-d tensor. */
  public static Tensor of(boolean[] data, int... shape) {
    byte[] b = new byte[data.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (data[i] ? 1 : 0);
    }
    return DenseTensor.contiguous(HeapStorage.ofBool(b), shapeOr(shape, data.length));
  }

  /** A 2-d f32 tensor from rows of equal length: {@code float[m][n] -> f32[m,n]}. */
  public static Tensor of(float[][] rows) {
    int n = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * n];
    for (int i = 0; i < rows.length; i++) {
      checkRow("Tensors.of(float[][])", i, rows[i].length, n);
      System.arraycopy(rows[i], 0, flat, i * n, n);
    }
    return DenseTensor.contiguous(HeapStorage.of(flat), rows.length, n);
  }

  /** A 2-d f64 tensor from rows of equal length: {@code double[m][n] -> f64[m,n]}. */
  public static Tensor of(double[][] rows) {
    int n = rows.length == 0 ? 0 : rows[0].length;
    double[] flat = new double[rows.length * n];
    for (int i = 0; i < rows.length; i++) {
      checkRow("Tensors.of(double[][])", i, rows[i].length, n);
      System.arraycopy(rows[i], 0, flat, i * n, n);
    }
    return DenseTensor.contiguous(HeapStorage.of(flat), rows.length, n);
  }

  private static void checkRow(String op, int row, int len, int n) {
    if (len != n) {
      throw new EngineException(
          op, "rows of equal length " + n, "row " + row + " of length " + len,
          "pad or trim the rows to one length");
    }
  }

  private static int[] shapeOr(int[] shape, int length) {
    return shape.length == 0 ? new int[] {length} : shape;
  }

  /** Zeros: {@code -> t[shape]}. */
  public static Tensor zeros(DType dtype, int... shape) {
    return DenseTensor.allocate(new TensorType(dtype, shape));
  }

  /** Ones: {@code -> t[shape]}. */
  public static Tensor ones(DType dtype, int... shape) {
    return full(1, dtype, shape);
  }

  /** Every element {@code value}: {@code -> t[shape]}. */
  public static Tensor full(double value, DType dtype, int... shape) {
    DenseTensor t = DenseTensor.allocate(new TensorType(dtype, shape));
    int n = (int) t.numel();
    switch (dtype) {
      case F32:
        java.util.Arrays.fill(t.storage().f32Array(), (float) value);
        break;
      case F64:
        java.util.Arrays.fill(t.storage().f64Array(), value);
        break;
      case I64:
        java.util.Arrays.fill(t.storage().i64Array(), (long) value);
        break;
      default:
        java.util.Arrays.fill(t.storage().boolArray(), 0, n, (byte) (value != 0 ? 1 : 0));
    }
    return t;
  }

  /** Zeros with the dtype and shape of {@code like}. */
  public static Tensor zerosLike(Tensor like) {
    return zeros(like.dtype(), like.shape());
  }

  /** Ones with the dtype and shape of {@code like}. */
  public static Tensor onesLike(Tensor like) {
    return ones(like.dtype(), like.shape());
  }

  // ---- ranges ----

  /** {@code 0, 1, ..., n-1}: {@code -> i64[n]} (as {@code torch.arange(n)}). */
  public static Tensor arange(long n) {
    return arange(0, n, 1, DType.I64);
  }

  /**
   * {@code start, start+step, ...} up to {@code end} exclusive: {@code -> dtype[ceil((end-start)/step)]}.
   * As PyTorch: floats are computed as {@code start + i*step} in f64 and then rounded to the dtype
   * (the formula of PyTorch's scalar kernel); for i64 the arguments are first truncated to
   * integers and the arithmetic is exact.
   *
   * @param step non-zero; its sign must point from start to end
   * @param dtype f32, f64 or i64
   */
  public static Tensor arange(double start, double end, double step, DType dtype) {
    String where = "arange(start=" + start + ", end=" + end + ", step=" + step + ")";
    checkNumeric(where, dtype);
    if (!Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
      throw new EngineException(
          where, "finite start, end and step", "start=" + start + ", end=" + end + ", step=" + step,
          "pass finite numbers");
    }
    if (dtype == DType.I64) {
      long s = (long) start;
      long d = (long) step;
      checkStep(where, s, (long) end, d);
      long size = ((long) end - s + d - Long.signum(d)) / d;
      DenseTensor t = DenseTensor.allocate(new TensorType(dtype, checkedLength(where, size)));
      long[] y = t.storage().i64Array();
      for (int i = 0; i < y.length; i++) {
        y[i] = s + d * i;
      }
      return t;
    }
    checkStep(where, start, end, step);
    int n = checkedLength(where, Math.ceil((end - start) / step));
    DenseTensor t = DenseTensor.allocate(new TensorType(dtype, n));
    for (int i = 0; i < n; i++) {
      t.storage().setDouble(i, start + step * i);
    }
    return t;
  }

  private static void checkStep(String where, double start, double end, double step) {
    if (step == 0) {
      throw new EngineException(
          where, "step != 0 (after truncation to an integer for i64)", "step=" + step,
          "pass a positive step to count up or a negative one to count down");
    }
    if ((step > 0 && end < start) || (step < 0 && end > start)) {
      throw new EngineException(
          where, "end >= start for a positive step, or end <= start for a negative one",
          "start=" + start + ", end=" + end + ", step=" + step,
          "swap start and end, or negate step");
    }
  }

  /**
   * {@code steps} evenly spaced values from {@code start} to {@code end}, both included:
   * {@code -> dtype[steps]}. As PyTorch: with {@code h = (end-start)/(steps-1)} computed in the
   * dtype (f64 for i64), value i is {@code start + h*i} in the first half and {@code end -
   * h*(steps-1-i)} in the second, so both endpoints are exact; i64 truncates start, end and each
   * value toward zero.
   *
   * @param steps number of values, {@code >= 0} (1 gives {@code [start]})
   * @param dtype f32, f64 or i64
   */
  public static Tensor linspace(double start, double end, int steps, DType dtype) {
    String where = "linspace(start=" + start + ", end=" + end + ", steps=" + steps + ")";
    checkNumeric(where, dtype);
    if (steps < 0) {
      throw new EngineException(
          where, "steps >= 0", "steps=" + steps,
          "pass the number of points, counting both endpoints");
    }
    DenseTensor t = DenseTensor.allocate(new TensorType(dtype, steps));
    boolean integral = dtype == DType.I64;
    double s = integral ? (long) start : start;
    double e = integral ? (long) end : end;
    for (int i = 0; i < steps; i++) {
      t.storage().setDouble(i, dtype == DType.F32
          ? linspaceF32((float) start, (float) end, steps, i)
          : linspaceF64(s, e, steps, i));
    }
    return t;
  }

  private static float linspaceF32(float start, float end, int steps, int i) {
    if (steps == 1) {
      return start;
    }
    float h = (end - start) / (steps - 1);
    return i < steps / 2 ? start + h * i : end - h * (steps - 1 - i);
  }

  private static double linspaceF64(double start, double end, int steps, int i) {
    if (steps == 1) {
      return start;
    }
    double h = (end - start) / (steps - 1);
    return i < steps / 2 ? start + h * i : end - h * (steps - 1 - i);
  }

  /** The f32 identity matrix: {@code -> f32[n,n]}. */
  public static Tensor eye(int n) {
    return eye(n, n, DType.F32);
  }

  /** Ones on the main diagonal, zeros elsewhere: {@code -> dtype[n,m]} (any dtype; bool: true on the diagonal). */
  public static Tensor eye(int n, int m, DType dtype) {
    if (n < 0 || m < 0) {
      throw new EngineException(
          "eye(n=" + n + ", m=" + m + ")", "n >= 0 and m >= 0", "n=" + n + ", m=" + m,
          "pass the number of rows and columns");
    }
    DenseTensor t = DenseTensor.allocate(new TensorType(dtype, n, m));
    for (int i = 0; i < Math.min(n, m); i++) {
      t.storage().setLong(i * m + i, 1);
    }
    return t;
  }

  private static void checkNumeric(String where, DType dtype) {
    if (dtype == DType.BOOL) {
      throw new EngineException(
          where, "dtype f32, f64 or i64", "dtype bool",
          "build the range in i64 and compare, e.g. arange(n).lt(k) for a mask");
    }
  }

  private static int checkedLength(String where, double size) {
    if (!(size <= Integer.MAX_VALUE - 8)) {
      throw new EngineException(
          where, "at most 2^31-9 elements", size + " elements",
          "use a larger step or a narrower range");
    }
    return (int) size;
  }
}
