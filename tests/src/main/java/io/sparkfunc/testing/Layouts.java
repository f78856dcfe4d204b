package io.sparkfunc.testing;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.storage.BufferStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;

/**
 * Builds engine tensors holding a {@link Ref}'s values in different memory layouts: contiguous,
 * every other element of a wider buffer (stride 2 on the last axis), and transposed storage.
 * Every op must give the same numbers for all of them.
 */
public final class Layouts {
  private Layouts() {}

  /** The layouts the harness tries. */
  public enum Layout {
    /** Row-major, no gaps. */
    CONTIGUOUS,
    /** A stride-2 slice of a buffer twice as wide on the last axis. */
    STRIDED,
    /** Stored with the first two axes swapped, then viewed back (rank >= 2). */
    TRANSPOSED,
    /** Contiguous, in off-heap (direct, little-endian) memory, as Arrow hands it over. */
    OFFHEAP
  }

  /** {@code r}'s values as a tensor of {@code dtype} laid out as {@code layout}. */
  public static Tensor build(Ref r, DType dtype, Layout layout) {
    if (layout == Layout.STRIDED && r.rank() > 0) {
      int last = r.rank() - 1;
      int[] wide = r.shape.clone();
      wide[last] *= 2;
      Ref w = Ref.generate(wide, idx -> {
        if (idx[last] % 2 == 1) {
          return -777;
        }
        int[] src = idx.clone();
        src[last] /= 2;
        return r.at(src);
      });
      return w.toTensor(dtype).slice(last, 0, wide[last], 2);
    }
    if (layout == Layout.TRANSPOSED && r.rank() >= 2) {
      int[] perm = new int[r.rank()];
      for (int i = 0; i < perm.length; i++) {
        perm[i] = i;
      }
      perm[0] = 1;
      perm[1] = 0;
      return StructuralOps.permute(r, perm).toTensor(dtype).transpose(0, 1);
    }
    if (layout == Layout.OFFHEAP && (dtype == DType.F32 || dtype == DType.F64)) {
      return offHeap(r, dtype);
    }
    return r.toTensor(dtype);
  }

  private static Tensor offHeap(Ref r, DType dtype) {
    ByteBuffer buf =
        ByteBuffer.allocateDirect(r.data.length * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < r.data.length; i++) {
      if (dtype == DType.F32) {
        buf.putFloat(i * 4, (float) r.data[i]);
      } else {
        buf.putDouble(i * 8, r.data[i]);
      }
    }
    return DenseTensor.contiguous(BufferStorage.wrap(buf, dtype, r.data.length), r.shape);
  }

  /** True if {@code layout} differs from contiguous for a tensor of this shape. */
  public static boolean applies(Layout layout, int[] shape) {
    return layout == Layout.CONTIGUOUS
        || (layout == Layout.STRIDED && shape.length > 0 && Shape.numel(shape) > 0)
        || (layout == Layout.TRANSPOSED && shape.length >= 2 && Shape.numel(shape) > 0)
        || (layout == Layout.OFFHEAP && Shape.numel(shape) > 0);
  }
}
