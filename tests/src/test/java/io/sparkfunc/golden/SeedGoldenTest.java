package io.sparkfunc.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.examples.seed.Basics;
import io.sparkfunc.examples.seed.BayesianEnsemble;
import io.sparkfunc.examples.seed.Lora;
import io.sparkfunc.examples.seed.NeuralOde;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed examples against golden values computed by PyTorch functorch 1.13 (fixtures from
 * {@code tests/golden/functorch_golden.py}, inputs included, all f64). Tolerance: 1e-10 relative
 * (the same maths in a different order; f64 rounding only).
 */
@Tag("unit")
class SeedGoldenTest {
  private static final double TOL = 1e-10;

  private static final Map<String, UnaryOperator<Map<String, Tensor>>> EXAMPLES = Map.of(
      "norm", Basics::rowNorms,
      "mse_grad", Basics::mseGrad,
      "higher_order", Basics::higherOrder,
      "jvp_vjp", Basics::jvpVjp,
      "per_sample_grads", Basics::perSampleGrads,
      "jacrev_grad", Basics::jacrevOfGrad,
      "lora", Lora::run,
      "neural_ode", NeuralOde::run,
      "bayesian", BayesianEnsemble::run,
      "functionalize", Basics::functionalize);

  @ParameterizedTest(name = "{0}")
  @CsvSource({"norm", "mse_grad", "higher_order", "jvp_vjp", "per_sample_grads", "jacrev_grad", "lora", "neural_ode", "bayesian",
      "functionalize"})
  void matchesFunctorch(String name) {
    Golden g = Golden.load(name);
    Map<String, Tensor> got = EXAMPLES.get(name).apply(g.inputs);
    assertEquals(g.outputs.keySet(), got.keySet(), name + ": outputs");
    for (Map.Entry<String, Tensor> want : g.outputs.entrySet()) {
      Tensor t = got.get(want.getKey());
      String what = name + "." + want.getKey();
      assertArrayEquals(want.getValue().shape(), t.shape(), what + ": shape");
      double[] w = want.getValue().toDoubleArray();
      double[] v = t.toDoubleArray();
      for (int i = 0; i < w.length; i++) {
        if (Math.abs(w[i] - v[i]) > TOL * (1 + Math.abs(w[i]))) {
          fail(what + "[" + i + "]: got " + v[i] + ", functorch " + w[i]);
        }
      }
    }
  }
}
