package io.sparkfunc.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.hash.ArrowBufHasher;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A column of {@link FixedShapeTensorType}: an extension vector over a {@link
 * FixedSizeListVector} whose child holds {@code n * prod(shape)} f32 or f64 values, row after
 * row. {@link ArrowTensors#view} reads it as {@code f32[n, ...logicalShape]} without copying;
 * {@link ArrowTensors#toTensorVector} writes one.
 *
 * <p>{@link #getObject(int)} returns row i as the storage's flat list (Arrow's generic view, for
 * debugging); use {@link ArrowTensors} for numbers.
 */
public final class FixedShapeTensorVector extends ExtensionTypeVector<FixedSizeListVector> {
  private final FieldType fieldType;

  /**
   * Wraps {@code storage} (which this vector now owns and closes).
   *
   * @param fieldType a field type whose type is a {@link FixedShapeTensorType}
   */
  public FixedShapeTensorVector(
      String name, FieldType fieldType, BufferAllocator allocator, FixedSizeListVector storage) {
    super(name, allocator, storage);
    this.fieldType = fieldType;
  }

  /** The tensor type: shape, dim names, permutation. */
  public FixedShapeTensorType tensorType() {
    return (FixedShapeTensorType) fieldType.getType();
  }

  /** The field with the extension type, its children those of the storage (so IPC keeps both). */
  @Override
  public Field getField() {
    return new Field(getName(), fieldType, getUnderlyingVector().getField().getChildren());
  }

  @Override
  public Object getObject(int index) {
    return getUnderlyingVector().getObject(index);
  }

  @Override
  public int hashCode(int index) {
    return hashCode(index, null);
  }

  @Override
  public int hashCode(int index, ArrowBufHasher hasher) {
    return getUnderlyingVector().hashCode(index, hasher);
  }
}
