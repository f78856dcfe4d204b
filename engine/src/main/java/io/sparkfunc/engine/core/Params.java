package io.sparkfunc.engine.core;

/**
 * Marker for a primitive's static parameters (axes, shapes, exponents...). Implementations are
 * immutable records declared beside the primitive that uses them.
 */
public interface Params {
  /** For primitives that take no parameters. */
  Params NONE = new Params() {
    @Override
    public String toString() {
      return "{}";
    }
  };
}
