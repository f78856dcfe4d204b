package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.core.BatchRule.Batched;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.prim.Combine;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * vmap for a primitive without a batching rule: runs it once per batch element and stacks the
 * results. Slow, so it warns once per primitive and counts itself; with {@code
 * -Dsparkfunc.strict=true} (the test suite's setting) it throws instead. Every primitive of the
 * core has a rule; this exists for primitives added later.
 */
public final class LoopFallback {
  private static final Logger LOG = Logger.getLogger(LoopFallback.class.getName());
  private static final boolean STRICT = Boolean.getBoolean("sparkfunc.strict");
  private static final ThreadLocal<Boolean> LENIENT = ThreadLocal.withInitial(() -> false);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  private static final AtomicLong COUNT = new AtomicLong();

  private LoopFallback() {}

  /**
   * Runs {@code body} with the fallback allowed on this thread even in strict mode (tests of the
   * fallback itself use this; the rest of the test suite stays strict).
   */
  public static <T> T lenient(java.util.function.Supplier<T> body) {
    boolean before = LENIENT.get();
    LENIENT.set(true);
    try {
      return body.get();
    } finally {
      LENIENT.set(before);
    }
  }

  /** How many times the fallback ran in this JVM. */
  public static long count() {
    return COUNT.get();
  }

  static Batched run(Primitive p, Params params, Tensor[] values, int[] bdims, int size, String where) {
    if (STRICT && !LENIENT.get()) {
      throw MissingRule.of(p, "batching", where + " (strict mode: -Dsparkfunc.strict=true)");
    }
    if (WARNED.add(p.name())) {
      LOG.warning("sparkfunc: no batching rule for '" + p.name() + "'; vmap loops over the batch"
          + " (slow). Add a batch rule on its card.");
    }
    COUNT.incrementAndGet();
    List<Tensor> outs = new ArrayList<>(size);
    for (int b = 0; b < size; b++) {
      Tensor[] slice = new Tensor[values.length];
      for (int i = 0; i < values.length; i++) {
        slice[i] = bdims[i] == BatchRule.NOT_MAPPED ? values[i] : values[i].select(bdims[i], b);
      }
      outs.add(Bind.bind(p, params, slice));
    }
    return new Batched(Combine.stack(outs, 0), 0);
  }
}
