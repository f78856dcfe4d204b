package io.sparkfunc.engine;

/**
 * Element types of a {@link Tensor}.
 *
 * <p>{@code F32} and {@code F64} are the compute types; {@code I64} holds indices and labels,
 * {@code BOOL} holds masks. Short names ({@code f32}, {@code i64}, ...) appear in every error message
 * as part of a short type such as {@code f32[3,4]}.
 */
public enum DType {
  /** 32-bit IEEE float. */
  F32("f32", 4),
  /** 64-bit IEEE float. */
  F64("f64", 8),
  /** 64-bit signed integer: indices, labels, counts. */
  I64("i64", 8),
  /** Boolean mask, one byte per element. */
  BOOL("bool", 1);

  private final String shortName;
  private final int byteSize;

  DType(String shortName, int byteSize) {
    this.shortName = shortName;
    this.byteSize = byteSize;
  }

  /** The short name used in short types, e.g. {@code f32}. */
  public String shortName() {
    return shortName;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** True for {@code F32} and {@code F64}. */
  public boolean isFloating() {
    return this == F32 || this == F64;
  }

  /**
   * The result type of a binary op between this and {@code other}, as PyTorch promotes: {@code
   * bool < i64 < f32 < f64}.
   */
  public DType promote(DType other) {
    return rank(this) >= rank(other) ? this : other;
  }

  private static int rank(DType t) {
    switch (t) {
      case BOOL:
        return 0;
      case I64:
        return 1;
      case F32:
        return 2;
      default:
        return 3;
    }
  }

  @Override
  public String toString() {
    return shortName;
  }
}
