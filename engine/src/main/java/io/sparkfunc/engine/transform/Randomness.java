package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.core.RandomParams;
import io.sparkfunc.engine.core.Trace;
import io.sparkfunc.engine.core.TraceStack;
import java.util.List;

/**
 * What a random op inside vmap does, as torch.func's {@code randomness} argument: {@link #ERROR}
 * (the default) refuses, {@link #SAME} draws once and shares the numbers across the batch, {@link
 * #DIFFERENT} draws independent numbers per batch element. Draws are counter-based, so every
 * choice is reproducible run to run and across Spark task retries.
 */
public enum Randomness {
  /** A random op inside vmap is an error. */
  ERROR,
  /** One draw, shared by every batch element. */
  SAME,
  /** An independent draw per batch element. */
  DIFFERENT;

  Tensor apply(BatchTrace trace, Primitive p, Params params) {
    switch (this) {
      case ERROR:
        throw new EngineException(
            trace.transform(),
            "no random ops under randomness=ERROR (the default)",
            "random op '" + p.name() + "'",
            "pass Randomness.DIFFERENT for independent draws per batch element or Randomness.SAME"
                + " to share one draw, or draw outside vmap and pass the numbers in");
      case SAME:
        return evaluateBelow(trace, p, params);
      default:
        Params batched = ((RandomParams) params).withLeadingAxis(trace.size);
        return trace.wrap(evaluateBelow(trace, p, batched), 0);
    }
  }

  /** Binds {@code p} for the traces below {@code trace}: outer vmaps still apply their policy. */
  private static Tensor evaluateBelow(BatchTrace trace, Primitive p, Params params) {
    List<Trace> traces = TraceStack.current();
    for (int i = trace.level() - 1; i >= 0; i--) {
      if (traces.get(i) instanceof BatchTrace) {
        return ((BatchTrace) traces.get(i)).random(p, params);
      }
    }
    return Bind.evaluateUnbatched(p, params);
  }
}
