package io.sparkfunc.engine.transform;

/**
 * What {@link Func#functionalize(Fn, Remove)} removes, as torch.func's {@code remove} argument.
 */
public enum Remove {
  /** In-place ops become their out-of-place twins; view ops stay views. */
  MUTATIONS,
  /** Also every view op returns a fresh tensor, so no output shares memory with an input. */
  MUTATIONS_AND_VIEWS
}
