package io.sparkfunc.engine.core;

import io.sparkfunc.engine.Tensor;

/**
 * One running transform: a vmap, a forward-mode or reverse-mode differentiation, a
 * functionalization. Transforms are interpreters (DESIGN.md §2.3): while one runs, every primitive
 * whose operands include its {@link Tracer}s is handed to {@link #process} instead of a kernel.
 *
 * <p>Traces nest: each has a level, its position in the thread's {@link TraceStack}; the trace
 * with the highest level among an op's operands processes it, and computes on the operands'
 * unwrapped values by binding again, which reaches the next trace down. Operands from lower
 * levels (or concrete tensors) are constants to this trace. A trace is active from {@link
 * TraceStack#push} to {@link TraceStack#pop}; a tracer used after that has escaped its transform.
 */
public abstract class Trace {
  private final int level;
  private final String transform;
  private volatile boolean active = true;

  /**
   * @param level position in the thread's trace stack (0 is the outermost)
   * @param transform the transform as the user called it, for messages, e.g. {@code vmap}
   */
  protected Trace(int level, String transform) {
    this.level = level;
    this.transform = transform;
  }

  /** Position in the stack; higher runs first. */
  public final int level() {
    return level;
  }

  /** The transform's name for messages. */
  public final String transform() {
    return transform;
  }

  /** True until the transform returns. */
  public final boolean isActive() {
    return active;
  }

  void deactivate() {
    active = false;
  }

  /**
   * Interprets {@code p} applied to {@code args}, at least one of which is this trace's tracer.
   *
   * @return the result, usually a tracer of this trace
   */
  public abstract Tensor process(Primitive p, Params params, Tensor[] args);
}
