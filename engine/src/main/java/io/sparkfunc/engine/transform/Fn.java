package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * A function of trees: the shape of every function the transforms take and return. Arguments
 * and the result are trees ({@link Tree}): a {@code Tensor}, a {@code List}, an ordered {@code
 * Map} or a registered record.
 *
 * <p>For tensor functions, wrap a lambda with {@link #of}: {@code Fn norm = Fn.of(x ->
 * x.pow(2).sum().sqrt())}, and read a tensor result with {@link #tensor}.
 */
@FunctionalInterface
public interface Fn {
  /** Applies the function. */
  Object apply(Object... args);

  /** Applies the function and casts the result to a tensor. */
  default Tensor tensor(Object... args) {
    return (Tensor) apply(args);
  }

  /** A function of three tensors. */
  @FunctionalInterface
  interface Tensor3 {
    /** Applies the function. */
    Tensor apply(Tensor a, Tensor b, Tensor c);
  }

  /** A function of four tensors. */
  @FunctionalInterface
  interface Tensor4 {
    /** Applies the function. */
    Tensor apply(Tensor a, Tensor b, Tensor c, Tensor d);
  }

  /** {@code x: Tensor -> Tensor} as an {@code Fn}. */
  static Fn of(UnaryOperator<Tensor> f) {
    return a -> f.apply((Tensor) a[0]);
  }

  /** {@code (a, b) -> Tensor} as an {@code Fn}. */
  static Fn of(BinaryOperator<Tensor> f) {
    return a -> f.apply((Tensor) a[0], (Tensor) a[1]);
  }

  /** {@code (a, b, c) -> Tensor} as an {@code Fn}. */
  static Fn of(Tensor3 f) {
    return a -> f.apply((Tensor) a[0], (Tensor) a[1], (Tensor) a[2]);
  }

  /** {@code (a, b, c, d) -> Tensor} as an {@code Fn}. */
  static Fn of(Tensor4 f) {
    return a -> f.apply((Tensor) a[0], (Tensor) a[1], (Tensor) a[2], (Tensor) a[3]);
  }
}
