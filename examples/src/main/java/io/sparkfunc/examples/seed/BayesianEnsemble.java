package io.sparkfunc.examples.seed;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.nn.Functional;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bayesian ensemble predictions, as the seed document and the W7 anchor: a two-layer tanh MLP
 * evaluated under S weight samples by vmap, the predictive mean and (unbiased) variance of its
 * softmax; and the log-likelihood of every (weight sample, data point) pair by a nested vmap.
 *
 * <p>{@code W1: f[S,d,h], b1: f[S,h], W2: f[S,h,c], b2: f[S,c], x: f[n,d], y: f[n,c] -> mean,
 * var: f[n,c], loglik: f[S,n], loglik_total: f[S]}.
 */
public final class BayesianEnsemble {
  private BayesianEnsemble() {}

  /** The tanh MLP: {@code x: f[n,d], W1: f[d,h], b1: f[h], W2: f[h,c], b2: f[c] -> logits: f[n,c]}. */
  public static Tensor net(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
    return x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
  }

  public static Map<String, Tensor> run(Map<String, Tensor> in) {
    Tensor x = in.get("x");
    Tensor[] weights = {in.get("W1"), in.get("b1"), in.get("W2"), in.get("b2")};
    Fn predict = Fn.of((w1, b1, w2, b2) -> net(x, w1, b1, w2, b2).softmax(-1));
    Tensor preds = Func.vmap(predict).tensor((Object[]) weights);
    Fn loglik = a -> Functional.mse(net((Tensor) a[4], (Tensor) a[0], (Tensor) a[1], (Tensor) a[2], (Tensor) a[3]),
        (Tensor) a[5], Functional.Reduction.MEAN).neg();
    Object nm = Func.NOT_MAPPED;
    Fn overData = Func.vmap(loglik, Arrays.asList(nm, nm, nm, nm, 0, 0));
    Fn overSamples = Func.vmap(overData, List.of(0, 0, 0, 0, nm, nm));
    Tensor ll = overSamples.tensor(weights[0], weights[1], weights[2], weights[3], x, in.get("y"));
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("mean", preds.mean(false, 0));
    out.put("var", preds.var(false, 0));
    out.put("loglik", ll);
    out.put("loglik_total", ll.sum(false, -1));
    return out;
  }
}
