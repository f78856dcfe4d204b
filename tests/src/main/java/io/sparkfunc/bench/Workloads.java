package io.sparkfunc.bench;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.nn.Functional;
import io.sparkfunc.engine.prim.FusedStorage;
import io.sparkfunc.engine.storage.Storage;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import io.sparkfunc.examples.seed.Basics;
import io.sparkfunc.examples.seed.BayesianEnsemble;
import io.sparkfunc.examples.seed.Lora;
import io.sparkfunc.examples.seed.NeuralOde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The anchor workloads W1–W9 of {@code ../shared/docs/ANCHORS.md}, each a call built once with
 * its inputs, mirroring {@code torch_anchor.py} line for line: same shapes, same dtype, same math
 * (inputs are {@code randn} times the script's scales; the values differ from torch's, the work
 * does not).
 */
final class Workloads {
  private Workloads() {}

  /** The workload ids, in the anchor script's order (the names {@link #build} takes). */
  static final String[] IDS = {"W1", "W2d5", "W2d100", "W3", "W3loop", "W4", "W5a", "W5b", "W5c",
      "W6a", "W6b", "W7", "W8", "W9a", "W9b"};

  /**
   * One workload's call, inputs prepared: {@code id} one of {@link #IDS}. The call computes every
   * tensor it returns: deferred elementwise results (NOTE [Elementwise fusion] in {@code
   * FusedStorage}) are materialized before it returns, as PyTorch's eager ops are.
   */
  static Supplier<Object> build(String id, DType t) {
    Supplier<Object> call = unsettled(id, t);
    return () -> settled(call.get());
  }

  /**
   * Materializes every tensor in a result (a tensor, list, map, array or record of them), the
   * deferred ones of one size in one pass ({@code FusedStorage.materializeAll}).
   */
  static Object settled(Object result) {
    List<Storage> storages = new ArrayList<>();
    collect(result, storages);
    FusedStorage.materializeAll(storages);
    return result;
  }

  private static void collect(Object result, List<Storage> into) {
    if (result instanceof Tensor) {
      into.add(((Tensor) result).concrete("bench").storage());
    } else if (result instanceof Iterable) {
      ((Iterable<?>) result).forEach(o -> collect(o, into));
    } else if (result instanceof Map) {
      ((Map<?, ?>) result).values().forEach(o -> collect(o, into));
    } else if (result instanceof Object[]) {
      for (Object o : (Object[]) result) {
        collect(o, into);
      }
    } else if (result instanceof Record) {
      for (java.lang.reflect.RecordComponent c : result.getClass().getRecordComponents()) {
        try {
          java.lang.reflect.Method m = c.getAccessor();
          m.setAccessible(true);
          collect(m.invoke(result), into);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static Supplier<Object> unsettled(String id, DType t) {
    switch (id) {
      case "W1": return w1(t);
      case "W2d5": return w2(t, 5, 100);
      case "W2d100": return w2(t, 100, 100_000);
      case "W3": return mlpPerSample(t, 64, 128, 1024, Tensor::tanh);
      case "W3loop": return w3Loop(t);
      case "W4": return mlpPerSample(t, 784, 256, 256, Tensor::relu);
      case "W5a": return w5a(t);
      case "W5b": return w5b(t);
      case "W5c": return w5c(t);
      case "W6a": return w6a(t);
      case "W6b": return w6b(t);
      case "W7": return w7(t);
      case "W8": return w8(t);
      case "W9a": return w9(t, false);
      case "W9b": return w9(t, true);
      default: throw new IllegalArgumentException("unknown workload " + id);
    }
  }

  /** {@code vmap(x -> sqrt(sum(x^2)))} over {@code f[1e6,3]}. */
  static Supplier<Object> w1(DType t) {
    Map<String, Tensor> in = Map.of("x", Data.randn(t, 1, 1, 1_000_000, 3));
    return () -> Basics.rowNorms(in);
  }

  /** {@code vmap(grad((x.w - y)^2), (NOT_MAPPED, 0, 0))}: {@code w: f[d], x: f[n,d], y: f[n]}. */
  static Supplier<Object> w2(DType t, int d, int n) {
    Map<String, Tensor> in = Map.of("w", Data.randn(t, 1, 1, d), "x", Data.randn(t, 1, 2, n, d),
        "y", Data.randn(t, 1, 3, n));
    return () -> Basics.perSampleGrads(in);
  }

  /** The MLP's parameters {@code [W1: f[din,dh], b1: f[dh], W2: f[dh,10], b2: f[10]]}, all times 0.1. */
  static List<Tensor> mlpParams(DType t, int din, int dh) {
    return List.of(Data.randn(t, 0.1, 10, din, dh), Data.randn(t, 0.1, 11, dh),
        Data.randn(t, 0.1, 12, dh, 10), Data.randn(t, 0.1, 13, 10));
  }

  /** The logits of one sample: {@code x: f[din] -> f[10]}. */
  static Tensor mlp(List<?> p, Tensor x, UnaryOperator<Tensor> act) {
    Tensor h = act.apply(x.matmul((Tensor) p.get(0)).add((Tensor) p.get(1)));
    return h.matmul((Tensor) p.get(2)).add((Tensor) p.get(3));
  }

  /** {@code cross_entropy(logits[None], y[None])} of one sample: {@code (params, x: f[din], y: i64[]) -> f[]}. */
  static Fn mlpLoss(UnaryOperator<Tensor> act) {
    return a -> Functional.crossEntropy(mlp((List<?>) a[0], (Tensor) a[1], act).unsqueeze(0),
        ((Tensor) a[2]).unsqueeze(0), Functional.Reduction.MEAN);
  }

  /** W3/W4: per-sample gradients {@code vmap(grad(loss), (NOT_MAPPED, 0, 0))} of the MLP. */
  static Supplier<Object> mlpPerSample(DType t, int din, int dh, int n, UnaryOperator<Tensor> act) {
    List<Tensor> params = mlpParams(t, din, dh);
    Tensor x = Data.randn(t, 1, 20, n, din);
    Tensor y = Data.labels(n, 10, 21);
    Fn f = Func.vmap(Func.grad(mlpLoss(act)), List.of(Func.NOT_MAPPED, 0, 0));
    return () -> f.apply(params, x, y);
  }

  /** W3-loop: the W3 gradients by a loop of {@code grad} over the samples. */
  static Supplier<Object> w3Loop(DType t) {
    List<Tensor> params = mlpParams(t, 64, 128);
    Tensor x = Data.randn(t, 1, 20, 1024, 64);
    Tensor y = Data.labels(1024, 10, 21);
    Fn g = Func.grad(mlpLoss(Tensor::tanh));
    return () -> {
      List<Object> out = new ArrayList<>(1024);
      for (int i = 0; i < 1024; i++) {
        out.add(g.apply(params, x.select(0, i), y.select(0, i)));
      }
      return out;
    };
  }

  /** {@code hessian(sum(x^4))} at {@code x: f[3]}. */
  static Supplier<Object> w5a(DType t) {
    Tensor x = Data.randn(t, 1, 30, 3);
    Fn h = Func.hessian(Fn.of(v -> v.pow(4).sum()));
    return () -> h.apply(x);
  }

  /** Hessian w.r.t. x of {@code logsumexp(logits) - sum(logits * y)}, y one-hot: {@code (x: f[64], y: f[10]) -> f[64,64]}. */
  static Fn ceHessian(DType t) {
    List<Tensor> params = mlpParams(t, 64, 128);
    return Func.hessian(Fn.of((x, y) -> {
      Tensor logits = mlp(params, x, Tensor::tanh);
      return logits.logsumexp(false, 0).sub(logits.mul(y).sum());
    }));
  }

  /** The one-hot labels of W5b/W5c: {@code -> f[n,10]}. */
  static Tensor oneHot(DType t, int n) {
    return Functional.oneHot(Data.labels(n, 10, 21), 10).to(t);
  }

  static Supplier<Object> w5b(DType t) {
    Fn h = ceHessian(t);
    Tensor x = Data.randn(t, 1, 20, 64);
    Tensor y = oneHot(t, 1).select(0, 0);
    return () -> h.apply(x, y);
  }

  /** {@code vmap(hessian)} of W5b over 256 samples. */
  static Supplier<Object> w5c(DType t) {
    Fn h = Func.vmap(ceHessian(t));
    Tensor x = Data.randn(t, 1, 20, 256, 64);
    Tensor y = oneHot(t, 256);
    return () -> h.apply(x, y);
  }

  /** {@code x^3 + 2x^2 + x}. */
  static final Fn POLY = Fn.of(x -> x.pow(3).add(x.pow(2).mul(2)).add(x));

  static Supplier<Object> w6a(DType t) {
    Tensor x = Data.randn(t, 1, 40, 1_000_000);
    Tensor v = Tensors.ones(t, 1_000_000);
    return () -> Func.jvp(POLY, new Object[] {x}, new Object[] {v});
  }

  static Supplier<Object> w6b(DType t) {
    Tensor x = Data.randn(t, 1, 40, 1_000_000);
    Tensor v = Tensors.ones(t, 1_000_000);
    return () -> {
      // torch's vjp computes the primal output eagerly; ours is deferred, so return (and time) it
      Func.VjpResult r = Func.vjp(POLY, x);
      return List.of(r.out(), r.vjpFn().apply(v));
    };
  }

  /** The softmax predictions of S=100 weight samples on {@code x: f[1024,64]}, their mean and variance. */
  static Supplier<Object> w7(DType t) {
    Tensor[] ws = {Data.randn(t, 0.1, 50, 100, 64, 128), Data.randn(t, 0.1, 51, 100, 128),
        Data.randn(t, 0.1, 52, 100, 128, 10), Data.randn(t, 0.1, 53, 100, 10)};
    Tensor x = Data.randn(t, 1, 54, 1024, 64);
    Fn fwd = Func.vmap(Fn.of((w1, b1, w2, b2) -> BayesianEnsemble.net(x, w1, b1, w2, b2).softmax(-1)));
    return () -> {
      Tensor p = fwd.tensor((Object[]) ws);
      return List.of(p.mean(false, 0), p.var(false, 0));
    };
  }

  /** LoRA over 8 rank-8 adapters, {@code x: f[256,512]}, mean over the adapters. */
  static Supplier<Object> w8(DType t) {
    Tensor x = Data.randn(t, 1, 60, 256, 512);
    Tensor w = Data.randn(t, 0.05, 61, 512, 512);
    Tensor a = Data.randn(t, 0.05, 62, 8, 8, 512);
    Tensor b = Data.randn(t, 0.05, 63, 8, 512, 8);
    Tensor s = Tensors.ones(t, 8);
    Fn f = Func.vmap(Fn.of((ai, bi, si) -> Lora.forward(x, w, ai, bi, si)));
    return () -> f.tensor(a, b, s).mean(false, 0);
  }

  /** RK4 neural ODE: {@code vmap(odeint)} over 256 initial conditions, or {@code vmap(jacrev(odeint))} over 64. */
  static Supplier<Object> w9(DType t, boolean jacobian) {
    Map<String, Tensor> p = Map.of("Wa", Data.randn(t, 0.3, 70, 4, 32), "ba", Data.randn(t, 0.1, 71, 32),
        "Wb", Data.randn(t, 0.3, 72, 32, 4), "bb", Data.randn(t, 0.1, 73, 4));
    Fn solve = Fn.of(y -> NeuralOde.odeint(y, p));
    Fn f = jacobian ? Func.vmap(Func.jacrev(solve)) : Func.vmap(solve);
    Tensor y0 = Data.randn(t, 1, 74, 256, 4).slice(0, 0, jacobian ? 64 : 256, 1);
    return () -> f.apply(y0);
  }
}
