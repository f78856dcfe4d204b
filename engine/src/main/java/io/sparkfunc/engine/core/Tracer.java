package io.sparkfunc.engine.core;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;

/**
 * A value standing for a tensor being transformed; belongs to exactly one {@link Trace}. User
 * code computes with it like any {@link Tensor}. Reading its numbers ({@code item()}, {@code
 * toFloatArray()}...) is a data-dependent read and fails with a message that says which transform
 * is running and what to do instead.
 */
public abstract class Tracer extends Tensor {
  /** The trace this value belongs to. */
  public abstract Trace trace();

  @Override
  public DenseTensor concrete(String op) {
    Trace t = trace();
    throw new EngineException(
        op + " inside " + t.transform(),
        "no data-dependent reads while " + t.transform() + " traces the function",
        "a read of the value of a traced " + type(),
        "keep the computation in tensor ops (e.g. use where(mask, a, b) instead of branching on a"
            + " value, and sum()/max() instead of item()), or move the read outside the transform");
  }
}
