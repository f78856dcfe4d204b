package io.sparkfunc.engine.storage;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.core.EngineException;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import sun.misc.Unsafe;

/**
 * Storage over a {@link ByteBuffer} (usually direct memory owned by another library, such as an
 * Arrow buffer). Numbers are little-endian, as Arrow lays them out. The engine never frees this
 * memory: its owner does, and must keep it alive while tensors over it are in use.
 *
 * <p>NOTE [Raw stores]: copying a transposed heap view into off-heap memory (the mlp's per-sample
 * gradient {@code f32[n,d,8]}, held as {@code [n,8,d]}, written as an Arrow column) is a gather
 * with strided stores. Through the {@code ByteBuffer}, each {@code putFloat} checks bounds and
 * byte order, which made it 10-30% slower than gathering into a heap tile and bulk-putting the
 * tile; but the tile is a second pass over the data that a heap destination does not make. So
 * {@link #scatter(float[], int, int, int, int, int, int, int, int) scatter} writes a whole
 * {@code [rows, len]} block with {@code Unsafe} stores at the buffer's address, after ONE bounds
 * check of the block's lowest and highest element against {@link #length()}: the loop then
 * compiles like an array store loop. Only for a writable direct buffer on a little-endian
 * machine (raw stores are in native order; the numbers here are little-endian); any other
 * buffer takes the same loop through its {@code put} methods.
 */
public final class BufferStorage extends Storage {
  private static final Unsafe UNSAFE;
  /** Offset of {@code Buffer.address} (a direct buffer's element 0), or -1 without raw stores. */
  private static final long ADDRESS_FIELD;

  static {
    Unsafe u = null;
    long at = -1;
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      try {
        Field f = Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        u = (Unsafe) f.get(null);
        at = u.objectFieldOffset(Buffer.class.getDeclaredField("address"));
      } catch (ReflectiveOperationException | RuntimeException e) {
        u = null; // the buffer's put methods then
        at = -1;
      }
    }
    UNSAFE = u;
    ADDRESS_FIELD = at;
  }

  private final ByteBuffer buf;
  /** Address of element 0 for raw stores (NOTE [Raw stores]), or 0 to go through {@link #buf}. */
  private final long address;

  private BufferStorage(DType dtype, int length, ByteBuffer buf) {
    super(dtype, length);
    this.buf = buf;
    this.address = ADDRESS_FIELD >= 0 && buf.isDirect() && !buf.isReadOnly()
        ? UNSAFE.getLong(buf, ADDRESS_FIELD) : 0;
  }

  /**
   * Views {@code length} elements of {@code dtype} at the start of {@code buffer} (from its
   * position 0, whatever its current position). The buffer is not copied.
   *
   * @param buffer the memory; its capacity must hold {@code length * dtype.byteSize()} bytes
   */
  public static BufferStorage wrap(ByteBuffer buffer, DType dtype, int length) {
    long need = (long) length * dtype.byteSize();
    if (buffer.capacity() < need) {
      throw new EngineException(
          "BufferStorage.wrap",
          "a buffer of at least " + need + " bytes for " + length + " " + dtype + " elements",
          "capacity " + buffer.capacity(),
          "pass the length the buffer really holds");
    }
    return new BufferStorage(dtype, length, buffer.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN));
  }

  /** The little-endian buffer (a duplicate of the one wrapped; shares its memory). */
  public ByteBuffer buffer() {
    return buf;
  }

  @Override
  public boolean isHeap() {
    return false;
  }

  private int at(int i) {
    return i * dtype().byteSize();
  }

  @Override
  public double getDouble(int i) {
    switch (dtype()) {
      case F32:
        return buf.getFloat(at(i));
      case F64:
        return buf.getDouble(at(i));
      case I64:
        return buf.getLong(at(i));
      default:
        return buf.get(i);
    }
  }

  @Override
  public long getLong(int i) {
    switch (dtype()) {
      case F32:
        return (long) buf.getFloat(at(i));
      case F64:
        return (long) buf.getDouble(at(i));
      case I64:
        return buf.getLong(at(i));
      default:
        return buf.get(i);
    }
  }

  @Override
  public void setDouble(int i, double v) {
    switch (dtype()) {
      case F32:
        buf.putFloat(at(i), (float) v);
        break;
      case F64:
        buf.putDouble(at(i), v);
        break;
      case I64:
        buf.putLong(at(i), (long) v);
        break;
      default:
        buf.put(i, (byte) (v != 0 ? 1 : 0));
    }
  }

  @Override
  public void setLong(int i, long v) {
    if (dtype() == DType.I64) {
      buf.putLong(at(i), v);
    } else {
      setDouble(i, v);
    }
  }

  @Override
  public void read(int offset, float[] dst, int dstOffset, int n) {
    buf.asFloatBuffer().get(offset, dst, dstOffset, n);
  }

  @Override
  public void read(int offset, double[] dst, int dstOffset, int n) {
    buf.asDoubleBuffer().get(offset, dst, dstOffset, n);
  }

  @Override
  public void write(int offset, float[] src, int srcOffset, int n) {
    buf.asFloatBuffer().put(offset, src, srcOffset, n);
  }

  @Override
  public void write(int offset, double[] src, int srcOffset, int n) {
    buf.asDoubleBuffer().put(offset, src, srcOffset, n);
  }

  /**
   * {@code this[dOff + a * dRow + b * dInc] = src[sOff + a * sRow + b * sInc]} for {@code a <
   * rows}, {@code b < len}: a strided block of a same-dtype heap source, written with raw stores
   * where the buffer allows (NOTE [Raw stores]).
   *
   * @throws IndexOutOfBoundsException if the block reaches outside this storage's elements (the
   *     whole block is checked before anything is written)
   */
  public void scatter(float[] src, int sOff, int sRow, int sInc, int dOff, int dRow, int dInc,
      int rows, int len) {
    if (!checkBlock(DType.F32, dOff, dRow, dInc, rows, len)) {
      return;
    }
    if (address != 0) {
      long step = 4L * dInc;
      for (int a = 0; a < rows; a++) {
        long at = address + 4L * (dOff + (long) a * dRow);
        int so = sOff + a * sRow;
        if (sInc == 1) { // a block's rows: reads the JIT can range-check once per row
          for (int b = 0; b < len; b++, at += step) {
            UNSAFE.putFloat(at, src[so + b]);
          }
        } else {
          for (int b = 0; b < len; b++, at += step, so += sInc) {
            UNSAFE.putFloat(at, src[so]);
          }
        }
      }
    } else {
      for (int a = 0; a < rows; a++) {
        for (int b = 0, so = sOff + a * sRow, dof = dOff + a * dRow; b < len; b++) {
          buf.putFloat(4 * (dof + b * dInc), src[so + b * sInc]);
        }
      }
    }
  }

  /** {@link #scatter(float[], int, int, int, int, int, int, int, int)} for f64. */
  public void scatter(double[] src, int sOff, int sRow, int sInc, int dOff, int dRow, int dInc,
      int rows, int len) {
    if (!checkBlock(DType.F64, dOff, dRow, dInc, rows, len)) {
      return;
    }
    if (address != 0) {
      long step = 8L * dInc;
      for (int a = 0; a < rows; a++) {
        long at = address + 8L * (dOff + (long) a * dRow);
        int so = sOff + a * sRow;
        if (sInc == 1) { // a block's rows: reads the JIT can range-check once per row
          for (int b = 0; b < len; b++, at += step) {
            UNSAFE.putDouble(at, src[so + b]);
          }
        } else {
          for (int b = 0; b < len; b++, at += step, so += sInc) {
            UNSAFE.putDouble(at, src[so]);
          }
        }
      }
    } else {
      for (int a = 0; a < rows; a++) {
        for (int b = 0, so = sOff + a * sRow, dof = dOff + a * dRow; b < len; b++) {
          buf.putDouble(8 * (dof + b * dInc), src[so + b * sInc]);
        }
      }
    }
  }

  /**
   * Checks that this storage holds {@code dtype} and that every element of the block lies in
   * {@code [0, length())}; false if the block is empty (nothing to write).
   */
  private boolean checkBlock(DType type, int dOff, int dRow, int dInc, int rows, int len) {
    if (type != dtype()) {
      throw new IllegalArgumentException("scatter of " + type + " into " + dtype() + " storage");
    }
    if (rows <= 0 || len <= 0) {
      return false;
    }
    long lo = dOff + Math.min(0L, (rows - 1L) * dRow) + Math.min(0L, (len - 1L) * dInc);
    long hi = dOff + Math.max(0L, (rows - 1L) * dRow) + Math.max(0L, (len - 1L) * dInc);
    if (lo < 0 || hi >= length()) {
      throw new IndexOutOfBoundsException("block of " + rows + "x" + len + " elements at " + dOff
          + " (strides " + dRow + ", " + dInc + ") spans elements " + lo + ".." + hi
          + ", outside this storage's " + length());
    }
    return true;
  }
}
