package io.sparkfunc.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.core.EngineException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The canonical Arrow extension type {@code arrow.fixed_shape_tensor}: each row is a tensor of
 * one fixed {@code shape}, stored as a {@code FixedSizeList<value>[prod(shape)]} in row-major
 * (physical) order. Arrow Java has no implementation of its own; this one follows the canonical
 * spec, so pyarrow, Arrow C++ and anyone reading the field metadata see a tensor column.
 *
 * <p>Metadata ({@code ARROW:extension:metadata}) is JSON: {@code {"shape":[2,3]}}, optionally
 * with {@code "dim_names":["H","W"]} (one name per physical axis) and {@code
 * "permutation":[1,0]}: logical axis {@code i} is physical axis {@code permutation[i]}, so the
 * logical row shape is {@code shape[permutation[i]]}. A column of n rows reads as an engine tensor
 * {@code f32[n, ...logicalShape]} (a permuted view over the physical data, see {@link
 * ArrowTensors#view}).
 *
 * <p>The element type (f32 or f64) lives in the storage field's child, not in this type, as in
 * Arrow's schema. Instances are immutable; {@link #register()} makes Arrow's IPC readers build
 * {@link FixedShapeTensorVector}s for fields carrying the extension name.
 */
public final class FixedShapeTensorType extends ArrowType.ExtensionType {
  /** The canonical extension name. */
  public static final String NAME = "arrow.fixed_shape_tensor";

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    ExtensionTypeRegistry.register(new FixedShapeTensorType(new int[0], null, null));
  }

  private final int[] shape;
  private final java.util.List<String> dimNames;
  private final int[] permutation;

  /**
   * A tensor type of physical row shape {@code shape}.
   *
   * @param shape physical extents, each {@code >= 0}
   * @param dimNames null, or one name per physical axis
   * @param permutation null (identity), or a permutation of {@code 0..rank-1}
   */
  public FixedShapeTensorType(int[] shape, java.util.List<String> dimNames, int[] permutation) {
    this.shape = shape.clone();
    this.dimNames = dimNames == null ? null : java.util.List.copyOf(dimNames);
    this.permutation = permutation == null ? null : permutation.clone();
    validate();
  }

  /** A tensor type with only a shape. */
  public static FixedShapeTensorType of(int... shape) {
    return new FixedShapeTensorType(shape, null, null);
  }

  /**
   * Makes sure the type is in Arrow's {@link ExtensionTypeRegistry}, so IPC readers restore
   * tensor columns as {@link FixedShapeTensorVector}. Idempotent; every reading entry point of
   * this package calls it.
   */
  public static void register() {
    // The static initializer did the work; calling this method loads the class.
  }

  private void validate() {
    for (int d : shape) {
      if (d < 0) {
        throw bad("every shape extent >= 0", "shape " + Arrays.toString(shape));
      }
    }
    if ((long) Shape.numel(shape) > Integer.MAX_VALUE) {
      throw bad("a row of at most 2^31-1 elements", "shape " + Arrays.toString(shape));
    }
    if (dimNames != null && dimNames.size() != shape.length) {
      throw bad("one dim_name per axis (" + shape.length + ")", "dim_names " + dimNames);
    }
    if (permutation != null) {
      boolean[] seen = new boolean[shape.length];
      boolean ok = permutation.length == shape.length;
      for (int i = 0; ok && i < permutation.length; i++) {
        int p = permutation[i];
        ok = p >= 0 && p < shape.length && !seen[p];
        if (ok) {
          seen[p] = true;
        }
      }
      if (!ok) {
        throw bad("a permutation of 0.." + (shape.length - 1),
            "permutation " + Arrays.toString(permutation));
      }
    }
  }

  private static EngineException bad(String expected, String got) {
    return new EngineException(NAME, expected, got,
        "fix the tensor type's parameters (they must match the canonical spec)");
  }

  /** Physical row shape (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /** Dimension names, or null. */
  public java.util.List<String> dimNames() {
    return dimNames;
  }

  /** The permutation, or null for the identity (a copy). */
  public int[] permutation() {
    return permutation == null ? null : permutation.clone();
  }

  /** Logical row shape: {@code shape[permutation[i]]}. */
  public int[] logicalShape() {
    if (permutation == null) {
      return shape.clone();
    }
    int[] out = new int[shape.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = shape[permutation[i]];
    }
    return out;
  }

  /** Elements per row: the product of the shape, which is the storage list size. */
  public int listSize() {
    return (int) Shape.numel(shape);
  }

  /**
   * A field of this type whose storage holds {@code dtype} values: {@code FixedSizeList<item:
   * dtype>[prod(shape)]}, not nullable at either level.
   */
  public Field field(String name, DType dtype) {
    Field item = new Field("item", FieldType.notNullable(arrowType(dtype)), null);
    return new Field(name, FieldType.notNullable(this), java.util.List.of(item));
  }

  /** Arrow's type for an engine float dtype: f32 -> SINGLE, f64 -> DOUBLE. */
  static ArrowType arrowType(DType dtype) {
    if (dtype == DType.F32) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    } else if (dtype == DType.F64) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    }
    throw new EngineException("arrow column of " + dtype, "a tensor of f32 or f64",
        "dtype " + dtype, "convert first, e.g. x.to(DType.F32)");
  }

  @Override
  public ArrowType storageType() {
    return new ArrowType.FixedSizeList(listSize());
  }

  @Override
  public String extensionName() {
    return NAME;
  }

  @Override
  public boolean extensionEquals(ArrowType.ExtensionType other) {
    if (!(other instanceof FixedShapeTensorType)) {
      return false;
    }
    FixedShapeTensorType o = (FixedShapeTensorType) other;
    return Arrays.equals(shape, o.shape)
        && Objects.equals(dimNames, o.dimNames)
        && Arrays.equals(permutation, o.permutation);
  }

  @Override
  public String serialize() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode s = root.putArray("shape");
    Arrays.stream(shape).forEach(s::add);
    if (dimNames != null) {
      ArrayNode names = root.putArray("dim_names");
      dimNames.forEach(names::add);
    }
    if (permutation != null) {
      ArrayNode p = root.putArray("permutation");
      Arrays.stream(permutation).forEach(p::add);
    }
    return root.toString();
  }

  /**
   * Parses canonical metadata against a storage type. Errors (four-part {@link EngineException})
   * for malformed JSON, a storage type other than a FixedSizeList, and a shape whose product
   * disagrees with the list size.
   */
  @Override
  public ArrowType deserialize(ArrowType storageType, String serializedData) {
    JsonNode root = parse(serializedData);
    FixedShapeTensorType t = new FixedShapeTensorType(
        ints(root, "shape", serializedData), names(root.get("dim_names"), serializedData),
        root.has("permutation") ? ints(root, "permutation", serializedData) : null);
    if (!(storageType instanceof ArrowType.FixedSizeList)) {
      throw new EngineException(NAME + " field", "storage type FixedSizeList",
          "storage type " + storageType, "store tensor rows as a FixedSizeList");
    }
    int listSize = ((ArrowType.FixedSizeList) storageType).getListSize();
    if (listSize != t.listSize()) {
      throw new EngineException(NAME + " field",
          "a list size equal to the product of the shape metadata",
          "shape " + Arrays.toString(t.shape) + " (product " + t.listSize()
              + ") over FixedSizeList(" + listSize + ")",
          "write shape metadata that matches the stored rows; nothing is padded or truncated");
    }
    return t;
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root != null && root.isObject() && root.has("shape")) {
        return root;
      }
    } catch (JsonProcessingException e) {
      // reported below with the text
    }
    throw new EngineException(NAME + " metadata", "a JSON object with a \"shape\" array",
        "'" + json + "'", "write metadata such as {\"shape\":[2,3]}");
  }

  private static int[] ints(JsonNode root, String key, String json) {
    JsonNode a = root.get(key);
    if (a == null || !a.isArray()) {
      throw badJson(key, json);
    }
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      if (!a.get(i).canConvertToInt() || !a.get(i).isIntegralNumber()) {
        throw badJson(key, json);
      }
      out[i] = a.get(i).intValue();
    }
    return out;
  }

  private static java.util.List<String> names(JsonNode a, String json) {
    if (a == null || a.isNull()) {
      return null;
    }
    java.util.List<String> out = new ArrayList<>();
    for (JsonNode n : a) {
      if (!n.isTextual()) {
        throw badJson("dim_names", json);
      }
      out.add(n.asText());
    }
    return out;
  }

  private static EngineException badJson(String key, String json) {
    return new EngineException(NAME + " metadata", "\"" + key + "\" as a JSON array of "
        + (key.equals("dim_names") ? "strings" : "integers"), "'" + json + "'",
        "fix the writer of this file's metadata");
  }

  @Override
  public FieldVector getNewVector(String name, FieldType fieldType, BufferAllocator allocator) {
    FieldType storage = new FieldType(fieldType.isNullable(), storageType(),
        fieldType.getDictionary(), fieldType.getMetadata());
    return new FixedShapeTensorVector(
        name, fieldType, allocator, new FixedSizeListVector(name, allocator, storage, null));
  }

  @Override
  public String toString() {
    return "FixedShapeTensor" + serialize();
  }
}
