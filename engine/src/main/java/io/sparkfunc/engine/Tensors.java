package io.sparkfunc.engine;

import io.sparkfunc.engine.storage.HeapStorage;

/**
 * Creating tensors: from Java arrays (the array is copied, so later writes to it are not seen)
 * and filled with constants. Random tensors come from {@code random.Random} with an explicit key.
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
      throw new io.sparkfunc.engine.core.EngineException(
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
}
