package io.sparkfunc.engine.transform;

import static io.sparkfunc.engine.transform.TestData.assertClose;
import static io.sparkfunc.engine.transform.TestData.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.prim.ElementwiseBinary;
import org.junit.jupiter.api.Test;

/**
 * The loop fallback for a primitive added without a batching rule: strict mode (the suite's
 * setting) refuses with a message naming the primitive; lenient mode loops over the batch, stacks
 * the results and counts itself.
 */
class LoopFallbackTest {
  /** A primitive with no batching rule: {@code x -> x * x + x} (shape-preserving). */
  private static final Primitive NO_RULE = Primitive.define(
      "test_square_plus",
      1,
      (in, p) -> in[0],
      (in, p, out) -> ElementwiseBinary.add(ElementwiseBinary.mul(in[0], in[0]), in[0]).concrete("test"));

  private static Tensor apply(Tensor x) {
    return Bind.bind(NO_RULE, Params.NONE, x);
  }

  @Test
  void strictModeRefusesWithTheMissingRule() {
    EngineException e = assertThrows(EngineException.class,
        () -> Func.vmap(Fn.of(LoopFallbackTest::apply)).apply(randn(1, DType.F64, 4, 3)));
    assertTrue(e.getMessage().contains("'test_square_plus' has none"), e.getMessage());
    assertTrue(e.getMessage().contains("strict mode"), e.getMessage());
  }

  @Test
  void lenientModeLoopsStacksAndCounts() {
    Tensor x = randn(2, DType.F64, 4, 3);
    long before = LoopFallback.count();
    Tensor got = LoopFallback.lenient(() -> Func.vmap(Fn.of(LoopFallbackTest::apply), 1).tensor(x));
    assertEquals(before + 1, LoopFallback.count());
    assertClose(x.mul(x).add(x).mT(), got, 0);
  }
}
