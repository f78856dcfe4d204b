package io.sparkfunc.engine.core;

import io.sparkfunc.engine.Tensor;

/**
 * Reverse-mode rule: input cotangents from the output cotangent. Written with public ops, so the
 * backward pass is itself differentiable and batchable (grad of grad, vmap of grad, jacfwd of
 * jacrev).
 *
 * <p>NOTE [Wanted cotangents]: the tape asks only for the cotangents of inputs it traces (PyTorch's
 * {@code needs_input_grad}); a constant operand's cotangent is never used. A rule whose
 * cotangents cost real work (a GEMM, a reduction) implements {@link Selective} and skips the
 * unwanted ones: under {@code vmap(hessian)} the cotangent of an MLP's constant weight matrix
 * would be an outer product per sample and per basis vector ({@code [256·64, 64, 128]} for W5c).
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

  /**
   * As {@link #vjp(Tensor, Tensor[], Tensor, Params)}, but input {@code i}'s cotangent is only
   * needed where {@code wanted[i]}; the others may be returned as {@code null} (this default
   * computes them all).
   */
  default Tensor[] vjp(Tensor ct, Tensor[] primals, Tensor out, Params params, boolean[] wanted) {
    return vjp(ct, primals, out, params);
  }

  /** A rule that computes only the wanted cotangents (NOTE [Wanted cotangents]). */
  @FunctionalInterface
  interface Selective extends VjpRule {
    /** Cotangents of the inputs with {@code wanted[i]}; {@code null} for the others. */
    @Override
    Tensor[] vjp(Tensor ct, Tensor[] primals, Tensor out, Params params, boolean[] wanted);

    /** Every cotangent. */
    @Override
    default Tensor[] vjp(Tensor ct, Tensor[] primals, Tensor out, Params params) {
      boolean[] all = new boolean[primals.length];
      java.util.Arrays.fill(all, true);
      return vjp(ct, primals, out, params, all);
    }
  }
}
