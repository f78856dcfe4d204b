package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Primitive;

/** The error for a primitive that lacks the rule a transform needs. */
final class MissingRule {
  private MissingRule() {}

  static EngineException of(Primitive p, String kind, String transform) {
    return new EngineException(
        transform,
        "a " + kind + " rule for every primitive it meets",
        "primitive '" + p.name() + "' has none",
        "add the rule on the primitive's card (prim/), or call the op outside " + transform);
  }
}
