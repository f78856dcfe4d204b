package io.sparkfunc.engine.storage;

import io.sparkfunc.engine.DType;

/**
 * Where a tensor's numbers live: a heap array ({@link HeapStorage}) or off-heap memory handed over
 * by another library ({@link BufferStorage}, e.g. an Arrow buffer).
 *
 * <p>Kernels only ever see heap arrays. Heap storage hands its array out directly ({@link
 * #f32Array()} and friends); off-heap storage (always a {@link BufferStorage}) is streamed to the
 * kernels through small heap tiles that {@code Kernels.load} fills from its {@code ByteBuffer}
 * (SIMD {@code fromByteBuffer} loads), and written in bulk through {@link #write(int, float[], int,
 * int)}. See NOTE [Storage staging] in {@code StridedLoop}.
 *
 * <p>Indices are element indices, not bytes. Storage is mutable (in-place ops write through
 * views); a {@code Tensor} is a typed, strided window over it.
 */
public abstract class Storage {
  private final DType dtype;
  private final int length;

  protected Storage(DType dtype, int length) {
    this.dtype = dtype;
    this.length = length;
  }

  /** Element type of the stored numbers. */
  public final DType dtype() {
    return dtype;
  }

  /** Number of elements. */
  public final int length() {
    return length;
  }

  /** The backing {@code float[]} if this is heap f32 storage, else null. */
  public float[] f32Array() {
    return null;
  }

  /** The backing {@code double[]} if this is heap f64 storage, else null. */
  public double[] f64Array() {
    return null;
  }

  /** The backing {@code long[]} if this is heap i64 storage, else null. */
  public long[] i64Array() {
    return null;
  }

  /** The backing {@code byte[]} (0 or 1) if this is heap bool storage, else null. */
  public byte[] boolArray() {
    return null;
  }

  /** Element {@code i} as a double (bool reads as 0 or 1). */
  public abstract double getDouble(int i);

  /** Element {@code i} as a long (floats truncate toward zero, like a C cast). */
  public abstract long getLong(int i);

  /** Writes element {@code i}, converting from double. */
  public abstract void setDouble(int i, double v);

  /** Writes element {@code i}, converting from long. */
  public abstract void setLong(int i, long v);

  /** Bulk read of {@code n} f32 elements starting at {@code offset}. */
  public abstract void read(int offset, float[] dst, int dstOffset, int n);

  /** Bulk read of {@code n} f64 elements starting at {@code offset}. */
  public abstract void read(int offset, double[] dst, int dstOffset, int n);

  /** Bulk write of {@code n} f32 elements starting at {@code offset}. */
  public abstract void write(int offset, float[] src, int srcOffset, int n);

  /** Bulk write of {@code n} f64 elements starting at {@code offset}. */
  public abstract void write(int offset, double[] src, int srcOffset, int n);

  /** True if the numbers live in a Java array (kernels can read it without staging). */
  public abstract boolean isHeap();

  /** Fresh zeroed heap storage. */
  public static Storage allocate(DType dtype, int length) {
    return HeapStorage.allocate(dtype, length);
  }
}
