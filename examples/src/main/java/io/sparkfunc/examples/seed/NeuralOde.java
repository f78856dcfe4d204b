package io.sparkfunc.examples.seed;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A neural ODE, as the seed document and the W9 anchor: a small MLP vector field {@code f(y) =
 * tanh(y Wa + ba) Wb + bb} integrated by fixed-step RK4 (20 steps, h = 0.05), vmapped over initial
 * conditions, and the sensitivity of the solution to its initial condition by {@code
 * vmap(jacrev(odeint))}.
 *
 * <p>{@code Wa: f[4,32], ba: f[32], Wb: f[32,4], bb: f[4], y0: f[n,4] -> solutions: f[n,4],
 * jacobians: f[n,4,4]}.
 */
public final class NeuralOde {
  private NeuralOde() {}

  static final int STEPS = 20;
  static final double H = 0.05;

  /** The RK4 solve of one initial condition {@code y: f[4] -> f[4]}. */
  public static Tensor odeint(Tensor y, Map<String, Tensor> p) {
    Tensor state = y;
    for (int i = 0; i < STEPS; i++) {
      Tensor k1 = field(state, p);
      Tensor k2 = field(state.add(k1.mul(H / 2)), p);
      Tensor k3 = field(state.add(k2.mul(H / 2)), p);
      Tensor k4 = field(state.add(k3.mul(H)), p);
      state = state.add(k1.add(k2.mul(2)).add(k3.mul(2)).add(k4).mul(H / 6));
    }
    return state;
  }

  public static Tensor field(Tensor y, Map<String, Tensor> p) {
    return y.matmul(p.get("Wa")).add(p.get("ba")).tanh().matmul(p.get("Wb")).add(p.get("bb"));
  }

  public static Map<String, Tensor> run(Map<String, Tensor> in) {
    Fn solve = Fn.of(y -> odeint(y, in));
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("solutions", Func.vmap(solve).tensor(in.get("y0")));
    out.put("jacobians", Func.vmap(Func.jacrev(solve)).tensor(in.get("y0")));
    return out;
  }
}
