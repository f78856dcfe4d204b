package io.sparkfunc.examples.seed;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed document's first examples with the transforms: vmap of a row norm, grad of an MSE
 * loss, higher-order derivatives, jvp/vjp of polynomials, per-sample gradients, jacrev of grad and
 * functionalize of in-place updates.
 * Each takes and returns named tensors, the names of the golden fixtures written by {@code
 * tests/golden/functorch_golden.py}.
 */
public final class Basics {
  private Basics() {}

  /** {@code x: f[n,3] -> norms: f[n]} by {@code vmap(x -> sqrt(sum(x^2)))}. */
  public static Map<String, Tensor> rowNorms(Map<String, Tensor> in) {
    Fn norm = Fn.of(r -> r.pow(2).sum().sqrt());
    return Map.of("norms", Func.vmap(norm).tensor(in.get("x")));
  }

  /** {@code grad_w} of {@code mean((x @ w + b - y)^2)}: {@code w: f[d], b: f[1], x: f[n,d], y: f[n] -> f[d]}. */
  public static Map<String, Tensor> mseGrad(Map<String, Tensor> in) {
    Fn loss = Fn.of((w, b, x, y) -> x.matmul(w).add(b).sub(y).pow(2).mean());
    return Map.of("grad_w", Func.grad(loss, 0).tensor(in.get("w"), in.get("b"), in.get("x"), in.get("y")));
  }

  /** Of {@code sum(x^4)}: its gradient, its Hessian and the Hessian's diagonal (also grad of the summed gradient). */
  public static Map<String, Tensor> higherOrder(Map<String, Tensor> in) {
    Fn f = Fn.of(v -> v.pow(4).sum());
    Tensor x = in.get("x");
    Tensor hessian = Func.hessian(f).tensor(x);
    Tensor diag = Func.grad(Fn.of(v -> Func.grad(f).tensor(v).sum())).tensor(x);
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("grad", Func.grad(f).tensor(x));
    out.put("hessian", hessian);
    out.put("diag", diag);
    return out;
  }

  /** jvp of {@code x^3 + 2x^2 + x} along ones, and vjp of {@code x^2} with ones. */
  public static Map<String, Tensor> jvpVjp(Map<String, Tensor> in) {
    Tensor x = in.get("x");
    Tensor ones = x.mul(0).add(1);
    Func.JvpResult j = Func.jvp(Fn.of(v -> v.pow(3).add(v.pow(2).mul(2)).add(v)), new Object[] {x}, new Object[] {ones});
    Func.VjpResult v = Func.vjp(Fn.of(t -> t.pow(2)), x);
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("jvp_out", (Tensor) j.out());
    out.put("jvp", (Tensor) j.tangent());
    out.put("vjp", v.vjpFn().tensor(ones));
    return out;
  }

  /** Per-sample gradients of {@code (x.w - y)^2}: {@code w: f[d], x: f[n,d], y: f[n] -> grads: f[n,d]}. */
  public static Map<String, Tensor> perSampleGrads(Map<String, Tensor> in) {
    Fn loss = Fn.of((w, x, y) -> x.matmul(w).sub(y).pow(2));
    Fn perSample = Func.vmap(Func.grad(loss, 0), List.of(Func.NOT_MAPPED, 0, 0));
    return Map.of("grads", perSample.tensor(in.get("w"), in.get("x"), in.get("y")));
  }

  /**
   * {@code functionalize} of the seed's in-place function ({@code x.add_(1); x.mul_(2); return
   * x}): the output, and x after the call, which torch.func's functionalize updates too (it copies
   * input mutations back at the end): {@code x: f[n] -> out: f[n], x_after: f[n]}.
   */
  public static Map<String, Tensor> functionalize(Map<String, Tensor> in) {
    Fn inPlace = Fn.of(v -> v.add_(1).mul_(2));
    Tensor x = in.get("x").copy();
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("out", Func.functionalize(inPlace).tensor(x));
    out.put("x_after", x);
    return out;
  }

  /** {@code jacrev(grad(f))} and {@code hessian(f)} of {@code sum(x^4)}: both {@code f[n,n]}. */
  public static Map<String, Tensor> jacrevOfGrad(Map<String, Tensor> in) {
    Fn f = Fn.of(v -> v.pow(4).sum());
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("jacrev_grad", Func.jacrev(Func.grad(f)).tensor(in.get("x")));
    out.put("hessian", Func.hessian(f).tensor(in.get("x")));
    return out;
  }
}
