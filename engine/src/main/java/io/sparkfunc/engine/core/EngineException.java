package io.sparkfunc.engine.core;

/**
 * The engine's error for bad input. Its message has four parts, in this order: where (the op as
 * the user called it), what was expected, what was got (argument names and short types such as
 * {@code f32[3,4]}), and how to fix it.
 *
 * <p>Example: {@code add: expected shapes that broadcast ...; got f32[3] and f32[4] ...; fix:
 * reshape or unsqueeze one operand ...}.
 */
public class EngineException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String where;
  private final String expected;
  private final String got;
  private final String fix;

  /**
   * Creates the exception from its four parts.
   *
   * @param where the op or call site, e.g. {@code reshape} or {@code vmap(f, inDims=[0, 0])}
   * @param expected what the op needs
   * @param got what it received, with argument names and short types
   * @param fix what the caller can do
   */
  public EngineException(String where, String expected, String got, String fix) {
    super(where + ": expected " + expected + "; got " + got + ". Fix: " + fix + ".");
    this.where = where;
    this.expected = expected;
    this.got = got;
    this.fix = fix;
  }

  /** The op or call site. */
  public String where() {
    return where;
  }

  /** What was expected. */
  public String expected() {
    return expected;
  }

  /** What was received. */
  public String got() {
    return got;
  }

  /** The suggested fix. */
  public String fix() {
    return fix;
  }
}
