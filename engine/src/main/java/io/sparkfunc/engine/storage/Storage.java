package io.sparkfunc.engine.storage;

import io.sparkfunc.engine.DType;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a tensor's numbers live: a heap array ({@link HeapStorage}) or off-heap memory handed over
 * by another library ({@link BufferStorage}, e.g. an Arrow buffer).
 *
 * <p>Kernels only ever see heap arrays. Heap storage hands its array out directly ({@link
 * #f32Array()} and friends); off-heap storage (always a {@link BufferStorage}) is streamed to the
 * kernels through small heap tiles that {@code Kernels.load} fills from its {@code ByteBuffer}
 * (SIMD {@code fromByteBuffer} loads), and written in bulk through {@link #write(int, float[], int,
 * int)} or, for strided copies from the heap, by raw stores ({@code BufferStorage.scatter}, NOTE
 * [Raw stores]). See NOTE [Storage staging] in {@code StridedLoop}.
 *
 * <p>Indices are element indices, not bytes. Storage is mutable (in-place ops write through
 * views); a {@code Tensor} is a typed, strided window over it.
 *
 * <p>A third kind, the deferred result of a chain of elementwise ops ({@code prim.FusedStorage},
 * NOTE [Elementwise fusion]), computes its numbers on first access to any accessor, and from then
 * on behaves as heap storage. Deferred results register as {@linkplain #addDeferredReader readers}
 * of the storages they read; an in-place write calls {@link #beforeWrite()} first, which computes
 * those readers, so they see the values from before the write.
 */
public abstract class Storage {
  private final DType dtype;
  private final int length;
  /** Deferred results that read this storage and may not have been computed yet (guarded by this). */
  private List<WeakReference<Storage>> readers;

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

  /**
   * Computes the numbers if this storage is a deferred result (NOTE [Elementwise fusion]); a
   * no-op for heap and off-heap storage. Every accessor does this on its own; call it to settle a
   * result explicitly (e.g. at the end of a timed call).
   */
  public void materialize() {}

  /**
   * Engine-internal: records that the deferred result {@code reader} reads this storage, so that
   * {@link #beforeWrite()} computes it before an in-place write changes the numbers it reads.
   */
  public final synchronized void addDeferredReader(Storage reader) {
    if (readers == null) {
      readers = new ArrayList<>(4);
    }
    readers.removeIf(r -> r.get() == null || r.get().isSettled());
    readers.add(new WeakReference<>(reader));
  }

  /**
   * Engine-internal: called before an in-place write into this storage; computes every deferred
   * result still reading it (NOTE [Elementwise fusion]).
   */
  public final void beforeWrite() {
    List<WeakReference<Storage>> pending;
    synchronized (this) {
      if (readers == null || readers.isEmpty()) {
        return;
      }
      pending = readers;
      readers = null;
    }
    for (WeakReference<Storage> r : pending) {
      Storage s = r.get();
      if (s != null) {
        s.materialize();
      }
    }
  }

  /** False for a deferred result not computed yet; true for every other storage. */
  public boolean isSettled() {
    return true;
  }

  /** Fresh zeroed heap storage. */
  public static Storage allocate(DType dtype, int length) {
    return HeapStorage.allocate(dtype, length);
  }
}
