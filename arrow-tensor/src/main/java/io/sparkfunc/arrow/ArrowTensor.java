package io.sparkfunc.arrow;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.EngineException;
import org.apache.arrow.memory.ArrowBuf;

/**
 * An engine tensor read from an Arrow column, and the lease on the Arrow memory under it: {@code
 * column -> t[n, ...rowShape]}.
 *
 * <p>When {@link #zeroCopy()} is true the tensor's storage is the column's values buffer itself
 * (a little-endian {@code ByteBuffer} view): writes through either side are seen by the other,
 * and this handle holds one reference on that buffer, so the memory stays valid even if the
 * vector is closed first. Close the handle when done with the tensor and every view of it;
 * until then the buffer counts against its allocator, whose {@code close()} reports the leak.
 * When false the tensor is a heap copy made in one bulk pass and closing releases nothing.
 */
public final class ArrowTensor implements AutoCloseable {
  private final Tensor tensor;
  private ArrowBuf lease;
  private final boolean zeroCopy;

  ArrowTensor(Tensor tensor, ArrowBuf lease) {
    this.tensor = tensor;
    this.lease = lease;
    this.zeroCopy = lease != null;
  }

  /** The tensor, {@code t[n, ...rowShape]}; valid until {@link #close()} when zero-copy. */
  public Tensor tensor() {
    if (zeroCopy && lease == null) {
      throw new EngineException("ArrowTensor.tensor", "an open handle",
          "a closed one (its Arrow memory may be gone)", "read the tensor before close()");
    }
    return tensor;
  }

  /** True if the tensor views Arrow memory; false if it is a heap copy. */
  public boolean zeroCopy() {
    return zeroCopy;
  }

  /** Releases the lease on the Arrow buffer (idempotent). */
  @Override
  public void close() {
    if (lease != null) {
      lease.getReferenceManager().release();
      lease = null;
    }
  }
}
