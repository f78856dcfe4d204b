package io.sparkfunc.engine.core;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;

/**
 * The single entry point through which every op reaches a primitive.
 *
 * <p>{@code bind} hands the call to the highest-level running {@link Trace} that owns one of the
 * operands; with no tracer among the operands it evaluates: checks types with the primitive's
 * shape rule, then runs its kernel. Random primitives take no tensor operands, so they also ask
 * the running vmaps for their randomness policy ({@link RandomnessHook}). Ops never call kernels
 * directly.
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
    Trace top = null;
    for (Tensor a : args) {
      if (a instanceof Tracer) {
        Trace t = ((Tracer) a).trace();
        if (!t.isActive()) {
          throw escaped(p, (Tracer) a);
        }
        if (top == null || t.level() > top.level()) {
          top = t;
        }
      }
    }
    if (top != null) {
      return top.process(p, params, args);
    }
    if (p.isRandom()) {
      Tensor r = RandomnessHook.underVmap(p, params);
      if (r != null) {
        return r;
      }
    }
    return evaluate(p, params, args);
  }

  private static EngineException escaped(Primitive p, Tracer t) {
    return new EngineException(
        p.name(),
        "values of a " + t.trace().transform() + " only while that transform runs",
        "a " + t.type() + " tracer that escaped its " + t.trace().transform()
            + " (kept in a field, a captured variable or a side output)",
        "return every value the function computes from its result instead of storing it");
  }

  /** Evaluates a random primitive (no tensor operands) without consulting any vmap. */
  public static Tensor evaluateUnbatched(Primitive p, Params params) {
    return evaluate(p, params);
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
