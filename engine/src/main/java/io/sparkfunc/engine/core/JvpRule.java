package io.sparkfunc.engine.core;

import io.sparkfunc.engine.Tensor;

/**
 * Forward-mode rule: the output tangent from input primals and tangents. Written with public ops,
 * so it is itself differentiable and batchable (that is what makes higher orders and nesting
 * work).
 */
@FunctionalInterface
public interface JvpRule {
  /**
   * @param primals the inputs
   * @param tangents one per input; {@code null} is a symbolic zero
   * @param out the primal output, already computed
   * @param params the primitive's parameters
   * @return the output tangent, or {@code null} for zero
   */
  Tensor jvp(Tensor[] primals, Tensor[] tangents, Tensor out, Params params);
}
