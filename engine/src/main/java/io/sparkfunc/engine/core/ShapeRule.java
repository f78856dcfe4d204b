package io.sparkfunc.engine.core;

import io.sparkfunc.engine.TensorType;

/**
 * A primitive's abstract evaluation: the output type from the input types, or an {@link
 * EngineException} naming the bad argument. Runs before every kernel, and is what tracing
 * transforms use instead of running the kernel.
 */
@FunctionalInterface
public interface ShapeRule {
  /**
   * @param in input types, one per operand. Not modified.
   * @param params the primitive's parameters
   * @return the output type
   */
  TensorType apply(TensorType[] in, Params params);
}
