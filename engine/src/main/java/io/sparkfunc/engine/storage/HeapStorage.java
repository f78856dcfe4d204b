package io.sparkfunc.engine.storage;

import io.sparkfunc.engine.DType;

/** Storage over one Java array: {@code float[]}, {@code double[]}, {@code long[]} or bool as {@code byte[]}. */
public final class HeapStorage extends Storage {
  private final float[] f32;
  private final double[] f64;
  private final long[] i64;
  private final byte[] bool;

  private HeapStorage(DType dtype, int length, float[] f, double[] d, long[] l, byte[] b) {
    super(dtype, length);
    this.f32 = f;
    this.f64 = d;
    this.i64 = l;
    this.bool = b;
  }

  /** Wraps (does not copy) a float array. */
  public static HeapStorage of(float[] a) {
    return new HeapStorage(DType.F32, a.length, a, null, null, null);
  }

  /** Wraps (does not copy) a double array. */
  public static HeapStorage of(double[] a) {
    return new HeapStorage(DType.F64, a.length, null, a, null, null);
  }

  /** Wraps (does not copy) a long array. */
  public static HeapStorage of(long[] a) {
    return new HeapStorage(DType.I64, a.length, null, null, a, null);
  }

  /** Wraps (does not copy) a bool array stored as bytes 0/1. */
  public static HeapStorage ofBool(byte[] a) {
    return new HeapStorage(DType.BOOL, a.length, null, null, null, a);
  }

  /** Fresh zeroed storage. */
  public static HeapStorage allocate(DType dtype, int length) {
    switch (dtype) {
      case F32:
        return of(new float[length]);
      case F64:
        return of(new double[length]);
      case I64:
        return of(new long[length]);
      default:
        return ofBool(new byte[length]);
    }
  }

  @Override
  public float[] f32Array() {
    return f32;
  }

  @Override
  public double[] f64Array() {
    return f64;
  }

  @Override
  public long[] i64Array() {
    return i64;
  }

  @Override
  public byte[] boolArray() {
    return bool;
  }

  @Override
  public boolean isHeap() {
    return true;
  }

  @Override
  public double getDouble(int i) {
    if (f32 != null) {
      return f32[i];
    } else if (f64 != null) {
      return f64[i];
    } else if (i64 != null) {
      return i64[i];
    }
    return bool[i];
  }

  @Override
  public long getLong(int i) {
    if (i64 != null) {
      return i64[i];
    } else if (f32 != null) {
      return (long) f32[i];
    } else if (f64 != null) {
      return (long) f64[i];
    }
    return bool[i];
  }

  @Override
  public void setDouble(int i, double v) {
    if (f32 != null) {
      f32[i] = (float) v;
    } else if (f64 != null) {
      f64[i] = v;
    } else if (i64 != null) {
      i64[i] = (long) v;
    } else {
      bool[i] = (byte) (v != 0 ? 1 : 0);
    }
  }

  @Override
  public void setLong(int i, long v) {
    if (i64 != null) {
      i64[i] = v;
    } else if (f32 != null) {
      f32[i] = v;
    } else if (f64 != null) {
      f64[i] = v;
    } else {
      bool[i] = (byte) (v != 0 ? 1 : 0);
    }
  }

  @Override
  public void read(int offset, float[] dst, int dstOffset, int n) {
    System.arraycopy(f32, offset, dst, dstOffset, n);
  }

  @Override
  public void read(int offset, double[] dst, int dstOffset, int n) {
    System.arraycopy(f64, offset, dst, dstOffset, n);
  }

  @Override
  public void write(int offset, float[] src, int srcOffset, int n) {
    System.arraycopy(src, srcOffset, f32, offset, n);
  }

  @Override
  public void write(int offset, double[] src, int srcOffset, int n) {
    System.arraycopy(src, srcOffset, f64, offset, n);
  }
}
