package io.sparkfunc.engine.core;

import io.sparkfunc.engine.Tensor;
import java.util.List;

/**
 * How a random primitive bound with no tracer operands learns about running vmaps. A vmap trace
 * implements {@link Policy}; the innermost one that is running decides: raise (randomness {@code
 * ERROR}), draw once for the whole batch ({@code SAME}), or draw per batch element ({@code
 * DIFFERENT}).
 */
public final class RandomnessHook {
  private RandomnessHook() {}

  /** Implemented by traces that have a say over random primitives. */
  public interface Policy {
    /** The batched result of {@code p}, or null to evaluate it unbatched. May throw. */
    Tensor random(Primitive p, Params params);
  }

  static Tensor underVmap(Primitive p, Params params) {
    List<Trace> traces = TraceStack.current();
    for (int i = traces.size() - 1; i >= 0; i--) {
      if (traces.get(i) instanceof Policy) {
        return ((Policy) traces.get(i)).random(p, params);
      }
    }
    return null;
  }
}
