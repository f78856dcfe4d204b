package io.sparkfunc.examples.seed;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.nn.Functional;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA over several adapters, as the seed document and the W8 anchor: {@code y = W x + s * B (A
 * x)} for each adapter, vmapped over the adapters and averaged; plus per-adapter gradients of a
 * loss w.r.t. A and B by {@code vmap(grad)}.
 *
 * <p>{@code x: f[n,in], W: f[out,in], A: f[k,r,in], B: f[k,out,r], s: f[k] -> mean: f[n,out],
 * grad_A: f[k,r,in], grad_B: f[k,out,r]}.
 */
public final class Lora {
  private Lora() {}

  /** One adapter: {@code linear(x, W) + s * linear(linear(x, A), B)}. */
  public static Tensor forward(Tensor x, Tensor w, Tensor a, Tensor b, Tensor s) {
    return Functional.linear(x, w, null).add(Functional.linear(Functional.linear(x, a, null), b, null).mul(s));
  }

  public static Map<String, Tensor> run(Map<String, Tensor> in) {
    Tensor x = in.get("x");
    Tensor w = in.get("W");
    Fn adapter = Fn.of((a, b, s) -> forward(x, w, a, b, s));
    Tensor mean = Func.vmap(adapter).tensor(in.get("A"), in.get("B"), in.get("s")).mean(false, 0);
    Fn loss = Fn.of((a, b, s) -> forward(x, w, a, b, s).pow(2).mean());
    List<?> grads = (List<?>) Func.vmap(Func.grad(loss, 0, 1)).apply(in.get("A"), in.get("B"), in.get("s"));
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("mean", mean);
    out.put("grad_A", (Tensor) grads.get(0));
    out.put("grad_B", (Tensor) grads.get(1));
    return out;
  }
}
