package io.sparkfunc.engine.storage;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.core.EngineException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Storage over a {@link ByteBuffer} (usually direct memory owned by another library, such as an
 * Arrow buffer). Numbers are little-endian, as Arrow lays them out. The engine never frees this
 * memory: its owner does, and must keep it alive while tensors over it are in use.
 */
public final class BufferStorage extends Storage {
  private final ByteBuffer buf;

  private BufferStorage(DType dtype, int length, ByteBuffer buf) {
    super(dtype, length);
    this.buf = buf;
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
}
