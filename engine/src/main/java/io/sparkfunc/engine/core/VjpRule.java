package io.sparkfunc.engine.core;

import io.sparkfunc.engine.Tensor;

/**
 * Reverse-mode rule: input cotangents from the output cotangent. Written with public ops, so the
 * backward pass is itself differentiable and batchable (grad of grad, vmap of grad, jacfwd of
 * jacrev).
 */
@FunctionalInterface
public interface VjpRule {
  /**
   * @param ct cotangent of the output (same type as the output)
   * @param primals the inputs
   * @param out the primal output
   * @param params the primitive's parameters
   * @return one cotangent per input, each of that input's type, or {@code null} for zero
   */
  Tensor[] vjp(Tensor ct, Tensor[] primals, Tensor out, Params params);
}
