package io.sparkfunc.engine;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.storage.Storage;

/**
 * A tensor with concrete data: a typed, strided window over a {@link Storage}.
 *
 * <p>Element {@code (i0, ..., ik)} lives at {@code offset + sum(ij * strides[j])} in the storage.
 * Views (reshape of contiguous data, transpose, permute, expand, slice, squeeze, unsqueeze,
 * select) build a new {@code DenseTensor} over the same storage and copy nothing; strides of 0
 * express broadcasting. Extents and strides are in elements.
 */
public final class DenseTensor extends Tensor {
  private final TensorType type;
  private final Storage storage;
  private final int[] shape;
  private final int[] strides;
  private final int offset;

  /**
   * A view over {@code storage}. Arrays are not copied: callers pass fresh arrays.
   *
   * @param storage the numbers; dtype must match
   * @param shape extents
   * @param strides element strides, one per axis
   * @param offset index of element {@code (0,...,0)} in storage
   */
  public DenseTensor(Storage storage, int[] shape, int[] strides, int offset) {
    this.type = new TensorType(storage.dtype(), shape);
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
  }

  /** A contiguous tensor over all of {@code storage}. */
  public static DenseTensor contiguous(Storage storage, int... shape) {
    if (Shape.numel(shape) != storage.length()) {
      throw new EngineException(
          "Tensor.of",
          Shape.numel(shape) + " elements for shape " + Shape.str(shape),
          storage.length() + " elements of " + storage.dtype(),
          "pass data whose length is the product of the shape's extents");
    }
    return new DenseTensor(storage, shape.clone(), Shape.contiguousStrides(shape), 0);
  }

  /** Fresh zeroed contiguous tensor of {@code type}. */
  public static DenseTensor allocate(TensorType type) {
    int[] shape = type.shape();
    long n = Shape.numel(shape);
    if (n > Integer.MAX_VALUE - 8) {
      throw new EngineException(
          "allocate", "at most 2^31-9 elements", type.toString(), "split the work into chunks");
    }
    return new DenseTensor(
        Storage.allocate(type.dtype(), (int) n), shape, Shape.contiguousStrides(shape), 0);
  }

  @Override
  public TensorType type() {
    return type;
  }

  @Override
  public DenseTensor concrete(String op) {
    return this;
  }

  /** The storage this tensor views (shared with every other view of it). */
  public Storage storage() {
    return storage;
  }

  /** A copy of the element strides. */
  public int[] strides() {
    return strides.clone();
  }

  /** Engine-internal: strides without a copy. */
  public int[] stridesRef() {
    return strides;
  }

  /** Engine-internal: shape without a copy. */
  public int[] shapeRef() {
    return shape;
  }

  /** Storage index of element {@code (0,...,0)}. */
  public int offset() {
    return offset;
  }

  /** True if elements are laid out in row-major order with no gaps (size-1 axes ignored). */
  public boolean isContiguous() {
    int expect = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] == 1) {
        continue;
      }
      if (strides[i] != expect) {
        return shape[i] == 0;
      }
      expect *= shape[i];
    }
    return true;
  }

  /** True if contiguous and in a Java array, so kernels can read it in place. */
  public boolean isDenseHeap() {
    return storage.isHeap() && isContiguous();
  }

  /** Storage index of the element at {@code index} (one entry per axis). */
  public int storageIndex(int... index) {
    if (index.length != shape.length) {
      throw new EngineException(
          "get",
          shape.length + " indices for " + type,
          index.length + " indices",
          "pass one index per axis");
    }
    int at = offset;
    for (int i = 0; i < index.length; i++) {
      int ix = index[i] < 0 ? index[i] + shape[i] : index[i];
      if (ix < 0 || ix >= shape[i]) {
        throw new EngineException(
            "get",
            "index in [" + (-shape[i]) + ", " + (shape[i] - 1) + "] at axis " + i,
            index[i] + " for " + type,
            "index within the extent of each axis");
      }
      at += ix * strides[i];
    }
    return at;
  }
}
