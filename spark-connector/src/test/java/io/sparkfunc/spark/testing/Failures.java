package io.sparkfunc.spark.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/**
 * Asserts on the text of a failure: Spark wraps our exceptions (task failures, analysis errors),
 * so the message we wrote is somewhere along the cause chain.
 */
public final class Failures {
  private Failures() {}

  /** The messages along {@code t}'s cause chain, one per line. */
  public static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  /** Runs {@code call}, which must throw, and returns the messages along the cause chain. */
  public static String failure(Executable call) {
    return messages(assertThrows(Exception.class, call));
  }

  /** Each of {@code parts} occurs in {@code message}. */
  public static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "missing '" + p + "' in:\n" + message);
    }
  }
}
