package io.sparkfunc.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.transform.Func;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every anchor workload builds and runs and returns computed tensors (none left deferred, NOTE
 * [Elementwise fusion]); the vmapped per-sample gradients agree with the loop.
 */
class WorkloadsTest {
  @ParameterizedTest
  @ValueSource(strings = {"W1", "W2d5", "W5a", "W5b", "W6a", "W6b", "W8", "W9a", "W9b"})
  void runs(String id) {
    assertNotNull(Workloads.build(id, DType.F32).get());
  }

  @Test
  void resultsComeBackComputed() {
    Func.JvpResult r = (Func.JvpResult) Workloads.build("W6a", DType.F64).get();
    assertTrue(((Tensor) r.out()).concrete("test").storage().isSettled());
    assertTrue(((Tensor) r.tangent()).concrete("test").storage().isSettled());
    for (Object t : (List<?>) Workloads.build("W6b", DType.F64).get()) {
      assertTrue(((Tensor) t).concrete("test").storage().isSettled());
    }
  }

  @Test
  void vmapOfGradMatchesTheLoop() {
    List<?> batched = (List<?>) Workloads.build("W3", DType.F64).get();
    List<?> loop = (List<?>) Workloads.build("W3loop", DType.F64).get();
    for (int s : new int[] {0, 511, 1023}) {
      List<?> one = (List<?>) loop.get(s);
      for (int p = 0; p < 4; p++) {
        double[] want = ((Tensor) one.get(p)).toDoubleArray();
        double[] got = ((Tensor) batched.get(p)).select(0, s).toDoubleArray();
        assertArrayEquals(want, got, 1e-12, "sample " + s + ", parameter " + p);
      }
    }
  }
}
