package io.sparkfunc.examples;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.kernel.KernelProvider;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import io.sparkfunc.examples.seed.Basics;
import io.sparkfunc.examples.seed.BayesianEnsemble;
import io.sparkfunc.examples.seed.Lora;
import io.sparkfunc.examples.seed.NeuralOde;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tour of the seed document's examples with the transforms, on generated data. Each result is
 * checked against an independent answer: a per-row loop, a hand derivative or central
 * differences. Prints PASS/FAIL per check and exits 1 if any failed.
 *
 * <p>Run: {@code ./bin/sparkfunc-run io.sparkfunc.examples.SeedTour}
 */
public final class SeedTour {
  private SeedTour() {}

  private static final Key KEY = Key.of(2024);

  public static void main(String[] args) {
    System.out.println("sparkfunc SeedTour (kernels: " + KernelProvider.get().name() + ")");
    SelfChecks checks = new SelfChecks();
    basics(checks);
    lora(checks);
    neuralOde(checks);
    bayesian(checks);
    System.exit(checks.exitCode("SeedTour"));
  }

  static Tensor randn(int stream, double scale, int... shape) {
    return Random.randn(KEY.foldIn(stream), DType.F64, shape).mul(scale);
  }

  static Map<String, Tensor> named(Object... kv) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Tensor) kv[i + 1]);
    }
    return m;
  }

  static void basics(SelfChecks checks) {
    System.out.println("vmap, grad, higher order, jvp/vjp, per-sample grads, functionalize, jacrev(grad)");
    Tensor x = randn(1, 1, 100, 3);
    Tensor norms = Basics.rowNorms(named("x", x)).get("norms");
    List<Tensor> loop = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      loop.add(x.select(0, i).pow(2).sum().sqrt());
    }
    checks.close("vmap(norm) == per-row loop", Tensor.stack(loop, 0), norms, 1e-12);

    Tensor w = randn(2, 1, 5);
    Tensor b = randn(3, 1, 1);
    Tensor xs = randn(4, 1, 100, 5);
    Tensor ys = randn(5, 1, 100);
    Tensor r = xs.matmul(w).add(b).sub(ys);
    checks.close("grad(mse) == 2/n X^T r", xs.mT().matmul(r).mul(2.0 / 100),
        Basics.mseGrad(named("w", w, "b", b, "x", xs, "y", ys)).get("grad_w"), 1e-12);

    Tensor v = randn(6, 1, 5);
    Map<String, Tensor> ho = Basics.higherOrder(named("x", v));
    checks.close("grad(sum x^4) == 4x^3", v.pow(3).mul(4), ho.get("grad"), 1e-12);
    checks.close("grad(grad) == 12x^2 == diag(hessian)", v.pow(2).mul(12), ho.get("diag"), 1e-12);
    checks.close("hessian row sums == 12x^2 (diagonal)", v.pow(2).mul(12), ho.get("hessian").sum(false, 1), 1e-12);

    Map<String, Tensor> jv = Basics.jvpVjp(named("x", Tensors.of(new double[] {1, 2, 3})));
    checks.close("jvp of x^3+2x^2+x at [1,2,3] == [8,21,40]", Tensors.of(new double[] {8, 21, 40}), jv.get("jvp"), 0);
    checks.close("vjp of x^2 == [2,4,6]", Tensors.of(new double[] {2, 4, 6}), jv.get("vjp"), 0);

    Tensor grads = Basics.perSampleGrads(named("w", w, "x", xs, "y", ys)).get("grads");
    Fn loss = Fn.of((ww, xx, yy) -> xx.matmul(ww).sub(yy).pow(2));
    List<Tensor> each = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      each.add(Func.grad(loss, 0).tensor(w, xs.select(0, i), ys.select(0, i)));
    }
    checks.close("vmap(grad) [100,5] == per-sample loop", Tensor.stack(each, 0), grads, 1e-12);

    Tensor before = randn(8, 1, 5);
    Tensor eager = before.copy().add_(1).mul_(2);
    Map<String, Tensor> fz = Basics.functionalize(named("x", before));
    checks.close("functionalize(add_(1), mul_(2)) == eager result", eager, fz.get("out"), 0);
    checks.close("input updated as torch.func does (mutation copied back)", eager, fz.get("x_after"), 0);

    Map<String, Tensor> jg = Basics.jacrevOfGrad(named("x", randn(7, 1, 3)));
    checks.close("jacrev(grad(f)) == hessian(f)", jg.get("hessian"), jg.get("jacrev_grad"), 1e-12);
  }

  static void lora(SelfChecks checks) {
    System.out.println("LoRA: 8 adapters vmapped, mean output and per-adapter grads");
    Map<String, Tensor> in = named("x", randn(10, 1, 6, 16), "W", randn(11, 0.1, 12, 16),
        "A", randn(12, 0.1, 8, 4, 16), "B", randn(13, 0.1, 8, 12, 4), "s", Tensors.linspace(0.5, 2, 8, DType.F64));
    Map<String, Tensor> out = Lora.run(in);
    Tensor sum = null;
    for (int k = 0; k < 8; k++) {
      Tensor y = Lora.run(named("x", in.get("x"), "W", in.get("W"), "A", in.get("A").slice(0, k, k + 1, 1),
          "B", in.get("B").slice(0, k, k + 1, 1), "s", in.get("s").slice(0, k, k + 1, 1))).get("mean");
      sum = sum == null ? y : sum.add(y);
    }
    checks.close("vmap over adapters == loop", sum.div(8), out.get("mean"), 1e-12);
    checks.close("grad_A matches central differences (one entry)",
        Tensors.scalar(centralDifference(in, 2, 1, 3), DType.F64),
        Tensors.scalar(out.get("grad_A").get(2, 1, 3), DType.F64), 1e-6);
  }

  /** d loss_k / d A[k,i,j] by central differences, loss_k = mean(lora_k(x)^2). */
  static double centralDifference(Map<String, Tensor> in, int k, int i, int j) {
    double h = 1e-6;
    double[] vals = new double[2];
    for (int side = 0; side < 2; side++) {
      Tensor a = in.get("A").select(0, k).copy();
      double[] data = a.toDoubleArray();
      data[i * a.size(1) + j] += side == 0 ? h : -h;
      Tensor ak = Tensors.of(data, a.shape());
      Map<String, Tensor> one = named("x", in.get("x"), "W", in.get("W"), "A", ak.unsqueeze(0),
          "B", in.get("B").slice(0, k, k + 1, 1), "s", in.get("s").slice(0, k, k + 1, 1));
      vals[side] = Lora.run(one).get("mean").pow(2).mean().item();
    }
    return (vals[0] - vals[1]) / (2 * h);
  }

  static void neuralOde(SelfChecks checks) {
    System.out.println("neural ODE: RK4 vmapped over 8 initial conditions, vmap(jacrev) sensitivities");
    Map<String, Tensor> in = named("Wa", randn(20, 0.3, 4, 32), "ba", randn(21, 0.1, 32), "Wb", randn(22, 0.3, 32, 4),
        "bb", randn(23, 0.1, 4), "y0", randn(24, 1, 8, 4));
    Map<String, Tensor> out = NeuralOde.run(in);
    Tensor y0 = in.get("y0").select(0, 5);
    Tensor one = NeuralOde.run(named("Wa", in.get("Wa"), "ba", in.get("ba"), "Wb", in.get("Wb"), "bb", in.get("bb"),
        "y0", y0.unsqueeze(0))).get("solutions").select(0, 0);
    checks.close("vmap(odeint) row 5 == odeint(y0[5])", one, out.get("solutions").select(0, 5), 1e-12);
    double h = 1e-6;
    Tensor e = Tensors.of(new double[] {0, 0, 1, 0});
    Tensor up = NeuralOde.run(named("Wa", in.get("Wa"), "ba", in.get("ba"), "Wb", in.get("Wb"), "bb", in.get("bb"),
        "y0", y0.add(e.mul(h)).unsqueeze(0))).get("solutions");
    Tensor down = NeuralOde.run(named("Wa", in.get("Wa"), "ba", in.get("ba"), "Wb", in.get("Wb"), "bb", in.get("bb"),
        "y0", y0.sub(e.mul(h)).unsqueeze(0))).get("solutions");
    checks.close("jacrev column 2 == central differences", up.sub(down).div(2 * h).select(0, 0),
        out.get("jacobians").select(0, 5).select(1, 2), 1e-6);
  }

  static void bayesian(SelfChecks checks) {
    System.out.println("Bayesian ensemble: 10 weight samples, predictive mean/var, nested vmap log-likelihoods");
    Map<String, Tensor> in = named("W1", randn(30, 0.3, 10, 6, 8), "b1", randn(31, 0.1, 10, 8),
        "W2", randn(32, 0.3, 10, 8, 3), "b2", randn(33, 0.1, 10, 3), "x", randn(34, 1, 16, 6), "y", randn(35, 1, 16, 3));
    Map<String, Tensor> out = BayesianEnsemble.run(in);
    List<Tensor> preds = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      Tensor h = in.get("x").matmul(in.get("W1").select(0, s)).add(in.get("b1").select(0, s)).tanh();
      preds.add(h.matmul(in.get("W2").select(0, s)).add(in.get("b2").select(0, s)).softmax(-1));
    }
    Tensor p = Tensor.stack(preds, 0);
    checks.close("predictive mean == loop", p.mean(false, 0), out.get("mean"), 1e-12);
    checks.close("predictive var == loop", p.var(false, 0), out.get("var"), 1e-12);
    checks.close("total log-likelihood == sum over data", out.get("loglik").sum(false, 1), out.get("loglik_total"), 1e-12);
  }
}
