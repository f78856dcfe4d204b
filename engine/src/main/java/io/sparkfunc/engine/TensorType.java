package io.sparkfunc.engine;

import java.util.Arrays;

/**
 * The abstract value of a tensor: its {@link DType} and shape, without data. JAX calls this an
 * "aval"; shape rules compute it and error messages print it as a short type, e.g. {@code
 * f32[3,4]} or {@code f64[]} for a scalar.
 */
public final class TensorType {
  private final DType dtype;
  private final int[] shape;

  /**
   * Creates a type. The shape array is copied; every extent must be non-negative.
   *
   * @param dtype element type
   * @param shape extents, outermost first. Not modified.
   */
  public TensorType(DType dtype, int... shape) {
    this.dtype = dtype;
    this.shape = shape.clone();
    for (int s : this.shape) {
      if (s < 0) {
        throw new IllegalArgumentException(
            "TensorType: extents must be >= 0; got shape " + Shape.str(shape));
      }
    }
  }

  /** Element type. */
  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** Extent of {@code axis} (non-negative axis). */
  public int dim(int axis) {
    return shape[axis];
  }

  /** Number of axes. */
  public int rank() {
    return shape.length;
  }

  /** Number of elements (product of the extents; 1 for a scalar). */
  public long numel() {
    return Shape.numel(shape);
  }

  /** The same shape with another dtype. */
  public TensorType withDType(DType other) {
    return new TensorType(other, shape);
  }

  /** True if {@code other} has the same shape (dtype may differ). */
  public boolean shapeEquals(TensorType other) {
    return Arrays.equals(shape, other.shape);
  }

  /** Shape read without a copy, for engine internals only. */
  int[] shapeRef() {
    return shape;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorType
        && ((TensorType) o).dtype == dtype
        && Arrays.equals(((TensorType) o).shape, shape);
  }

  @Override
  public int hashCode() {
    return dtype.hashCode() * 31 + Arrays.hashCode(shape);
  }

  /** The short type, e.g. {@code f32[3,4]}. */
  @Override
  public String toString() {
    return dtype.shortName() + Shape.str(shape);
  }
}
