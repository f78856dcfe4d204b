package io.sparkfunc.engine.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The running transforms of the current thread, innermost last. A {@code ThreadLocal}, always
 * restored in {@code finally}, because Spark reuses executor threads across tasks and runs
 * several tasks at once in one JVM.
 */
public final class TraceStack {
  private static final ThreadLocal<List<Trace>> STACK = ThreadLocal.withInitial(ArrayList::new);

  private TraceStack() {}

  /** Creates a trace one level above the current top and makes it current. Pair with {@link #pop}. */
  public static <T extends Trace> T push(IntFunction<T> factory) {
    List<Trace> s = STACK.get();
    T t = factory.apply(s.size());
    s.add(t);
    return t;
  }

  /** Ends {@code t}, which must be the top; its tracers are dead from now on. */
  public static void pop(Trace t) {
    List<Trace> s = STACK.get();
    if (s.isEmpty() || s.get(s.size() - 1) != t) {
      throw new IllegalStateException("TraceStack: pop of " + t.transform() + " out of order");
    }
    s.remove(s.size() - 1);
    t.deactivate();
  }

  /** The running traces, outermost first (a copy). */
  public static List<Trace> current() {
    return List.copyOf(STACK.get());
  }
}
