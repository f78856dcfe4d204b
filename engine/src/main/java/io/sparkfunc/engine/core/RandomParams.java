package io.sparkfunc.engine.core;

/**
 * Parameters of a random primitive. vmap with randomness {@code DIFFERENT} draws a whole batch at
 * once by asking for the same draw with a leading batch axis: element b of the batch then gets the
 * numbers at counter positions of slice b, so results are reproducible run to run.
 */
public interface RandomParams extends Params {
  /** The same draw with a leading axis of extent {@code size}. */
  Params withLeadingAxis(int size);
}
