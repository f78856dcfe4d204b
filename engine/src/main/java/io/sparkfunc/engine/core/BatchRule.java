package io.sparkfunc.engine.core;

import io.sparkfunc.engine.Tensor;

/**
 * vmap rule: applies a primitive to operands that carry a batch axis. Written with public ops on
 * the batched values.
 */
@FunctionalInterface
public interface BatchRule {
  /** A batched result: the value and the axis that holds the batch. */
  record Batched(Tensor value, int bdim) {}

  /** Marks an operand without a batch axis. */
  int NOT_MAPPED = -1;

  /**
   * @param values operands; operand i has its batch at axis {@code bdims[i]} or none
   * @param bdims per operand, a non-negative axis or {@link #NOT_MAPPED}; at least one is mapped
   * @param params the primitive's parameters
   * @param size the batch size
   * @return the batched output
   */
  Batched batch(Tensor[] values, int[] bdims, Params params, int size);
}
