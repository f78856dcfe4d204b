package io.sparkfunc.udfs;

import io.sparkfunc.engine.core.EngineException;

/**
 * Bad input to a function body, naming the argument it came from ({@code model}, {@code params},
 * {@code features}, {@code label}, {@code clip_norm}). The Spark layer adds the function, the
 * column the argument was bound to and the row, and never skips the row.
 */
public class BadInput extends EngineException {
  private static final long serialVersionUID = 1L;

  private final String argument;

  /**
   * The four-part error for one argument.
   *
   * @param where the operation, e.g. {@code per_sample_grad}
   * @param argument which argument was bad
   * @param expected what it should have been
   * @param got what it was, with a short type
   * @param fix what to do about it
   */
  public BadInput(String where, String argument, String expected, String got, String fix) {
    super(where, expected, argument + ": " + got, fix);
    this.argument = argument;
  }

  /** The argument name ({@code features}, {@code label}, ...). */
  public String argument() {
    return argument;
  }
}
