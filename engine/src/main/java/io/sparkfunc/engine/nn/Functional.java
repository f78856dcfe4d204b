package io.sparkfunc.engine.nn;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.ops.Stats;
import io.sparkfunc.engine.prim.Reductions;

/**
 * Neural-network functions as {@code torch.nn.functional}: activations, softmax, linear layers and
 * losses. Plain compositions of primitives (no rules of their own), so every transform works
 * through them: hessian through crossEntropy, vmap over integer labels used by oneHot or
 * crossEntropy.
 */
public final class Functional {
  private Functional() {}

  /** How a loss reduces over the batch. */
  public enum Reduction {
    /** Average over elements (PyTorch's default). */
    MEAN,
    /** Sum over elements. */
    SUM,
    /** Keep the per-element losses. */
    NONE
  }

  /** {@code max(x, 0)}. */
  public static Tensor relu(Tensor x) {
    return x.maximum(x.scalarLike(0));
  }

  /** GELU with the exact Gauss error function, as PyTorch's default: {@code x * Phi(x)}. */
  public static Tensor gelu(Tensor x) {
    return x.mul(x.mul(1 / Math.sqrt(2)).erf().add(1)).mul(0.5);
  }

  /** GELU's tanh approximation ({@code approximate='tanh'} in PyTorch). */
  public static Tensor geluTanh(Tensor x) {
    Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(inner.tanh().add(1)).mul(0.5);
  }

  /** Softmax along {@code axis}: {@code exp(x) / sum(exp(x))}, shifted by the max for stability. */
  public static Tensor softmax(Tensor x, int axis) {
    return logSoftmax(x, axis).exp();
  }

  /** {@code x - logsumexp(x)} along {@code axis}. */
  public static Tensor logSoftmax(Tensor x, int axis) {
    return x.sub(Stats.logsumexp(x, true, axis));
  }

  /** {@code x @ w^T (+ b)}: {@code x: f32[...,in], w: f32[out,in], b: f32[out] -> f32[...,out]}. */
  public static Tensor linear(Tensor x, Tensor w, Tensor b) {
    Tensor y = x.matmul(w.mT());
    return b == null ? y : y.add(b);
  }

  /**
   * One-hot encoding, as {@code torch.nn.functional.one_hot}: {@code labels: i64[...] -> i64[...,
   * numClasses]}. Works on labels batched by vmap.
   */
  public static Tensor oneHot(Tensor labels, int numClasses) {
    if (labels.dtype() != DType.I64) {
      throw new EngineException("oneHot", "labels of dtype i64", "labels: " + labels.type(),
          "convert the labels with labels.to(DType.I64)");
    }
    Tensor classes = Tensors.arange(0, numClasses, 1, DType.I64);
    return labels.unsqueeze(-1).eq(classes).to(DType.I64);
  }

  /**
   * Cross-entropy of logits against integer class labels: {@code logits: f32[n,c], target:
   * i64[n] -> f32[]} (or {@code f32[c], i64[]} for one sample). Labels out of range are an error
   * from the gather that picks them.
   */
  public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
    Tensor logp = logSoftmax(logits, -1);
    Tensor loss;
    if (target.dtype() == DType.I64) {
      requireLabelShape(logits, target);
      loss = logp.gather(-1, target.unsqueeze(-1)).squeeze(-1).neg();
    } else {
      if (!target.type().shapeEquals(logits.type())) {
        throw new EngineException("crossEntropy", "class probabilities shaped like the logits " + logits.type(),
            "target: " + target.type(), "pass i64 labels of shape " + shapeWithoutLast(logits) + ", or probabilities of the logits' shape");
      }
      loss = Reductions.sum(logp.mul(target), false, -1).neg();
    }
    return reduce(loss, reduction);
  }

  /** Mean squared error: {@code pred, target: f32[...] -> f32[]}. */
  public static Tensor mse(Tensor pred, Tensor target, Reduction reduction) {
    Tensor d = pred.sub(target);
    return reduce(d.mul(d), reduction);
  }

  /**
   * Binary cross-entropy on logits, in the stable form {@code max(x,0) - x*y + log(1 + exp(-|x|))}:
   * {@code logits, target: f32[...] -> f32[]}.
   */
  public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction) {
    Tensor loss = relu(logits).sub(logits.mul(target)).add(logits.abs().neg().exp().log1p());
    return reduce(loss, reduction);
  }

  private static Tensor reduce(Tensor loss, Reduction reduction) {
    switch (reduction) {
      case MEAN:
        return Stats.mean(loss, false);
      case SUM:
        return Reductions.sum(loss);
      default:
        return loss;
    }
  }

  private static void requireLabelShape(Tensor logits, Tensor target) {
    if (logits.rank() == 0 || target.rank() != logits.rank() - 1
        || !java.util.Arrays.equals(target.shape(), java.util.Arrays.copyOf(logits.shape(), logits.rank() - 1))) {
      throw new EngineException("crossEntropy", "labels of shape " + shapeWithoutLast(logits) + " for logits " + logits.type(),
          "target: " + target.type(), "pass one i64 class index per row of logits");
    }
  }

  private static String shapeWithoutLast(Tensor t) {
    return io.sparkfunc.engine.Shape.str(java.util.Arrays.copyOf(t.shape(), Math.max(t.rank() - 1, 0)));
  }
}
