package io.sparkfunc.engine.core;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;

/**
 * The single entry point through which every op reaches a primitive.
 *
 * <p>{@code bind} hands the call to the trace that owns the arguments. Today the only trace is
 * evaluation: check types with the primitive's shape rule, then run its kernel. Transforms add
 * traces (batching, forward mode, reverse mode, functionalization, staging) that intercept the
 * call here; see DESIGN.md §2.3. Ops never call kernels directly.
 */
public final class Bind {
  private Bind() {}

  /**
   * Applies {@code p} to {@code args}.
   *
   * @param p the primitive
   * @param params its parameters
   * @param args operands
   * @return the result
   */
  public static Tensor bind(Primitive p, Params params, Tensor... args) {
    return evaluate(p, params, args);
  }

  /** The evaluation rule: shape-check, then run the kernel on concrete tensors. */
  static DenseTensor evaluate(Primitive p, Params params, Tensor... args) {
    TensorType[] types = new TensorType[args.length];
    DenseTensor[] dense = new DenseTensor[args.length];
    for (int i = 0; i < args.length; i++) {
      types[i] = args[i].type();
      dense[i] = args[i].concrete(p.name());
    }
    TensorType out = p.shape(types, params);
    return p.impl(dense, params, out);
  }
}
