package io.sparkfunc.udfs.model;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.nn.Functional;
import io.sparkfunc.engine.nn.Functional.Reduction;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The built-in models: a stack of dense layers with one loss. {@code linreg(d)} is one layer
 * {@code d -> 1} with squared error, {@code logreg(d)} the same layer with binary cross-entropy
 * on the logit, {@code softmax(d,k)} one layer {@code d -> k} with softmax cross-entropy, and
 * {@code mlp(d,h1,...,k;act=...)} hidden layers with an activation before the softmax layer.
 *
 * <p>NOTE [flat parameter layout]. Layer by layer, PyTorch's {@code nn.Linear} order: the weight
 * {@code W: f64[out,in]} row-major, then the bias {@code b: f64[out]}. So {@code softmax(64,10)}
 * has 650 parameters, W first. Unflattening is {@code slice} plus {@code reshape} of the flat
 * vector: views, which grad differentiates back into one flat gradient.
 */
public final class LayerModel implements Model {
  /** The loss of the last layer. */
  public enum Loss {
    /** {@code (f(x) - y)^2}. */
    SQUARED_ERROR,
    /** Binary cross-entropy with logits. */
    BINARY_CROSS_ENTROPY,
    /** Softmax cross-entropy against a class index. */
    CROSS_ENTROPY
  }

  /** Hidden-layer activations. */
  public enum Activation {
    /** {@code tanh}. */
    TANH,
    /** {@code max(x, 0)}. */
    RELU,
    /** GELU with the exact error function. */
    GELU
  }

  private final String name;
  private final int[] widths;
  private final Activation act;
  private final Loss loss;
  private final int numParams;
  /** The canonical spec, built once: the aggregates compare it on every row. */
  private final String spec;

  /**
   * A stack of dense layers.
   *
   * @param name the spec's name ({@code linreg}, {@code logreg}, {@code softmax}, {@code mlp})
   * @param widths layer widths, input first: {@code [d, h1, ..., out]}
   * @param act the activation between layers (unused with a single layer)
   * @param loss the loss on the last layer's output
   */
  LayerModel(String name, int[] widths, Activation act, Loss loss) {
    this.name = name;
    this.widths = widths.clone();
    this.act = act;
    this.loss = loss;
    int p = 0;
    for (int l = 0; l + 1 < widths.length; l++) {
      p += widths[l + 1] * (widths[l] + 1);
    }
    this.numParams = p;
    String dims = Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining(","));
    this.spec = name + "(" + dims + (name.equals("mlp") ? ";act=" + act.name().toLowerCase() : "") + ")";
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public int numFeatures() {
    return widths[0];
  }

  @Override
  public int numParams() {
    return numParams;
  }

  @Override
  public int numOutputs() {
    return widths[widths.length - 1];
  }

  @Override
  public LabelKind labelKind() {
    switch (loss) {
      case SQUARED_ERROR:
        return LabelKind.REAL;
      case BINARY_CROSS_ENTROPY:
        return LabelKind.BINARY;
      default:
        return LabelKind.CLASS;
    }
  }

  @Override
  public Tensor loss(Tensor theta, Tensor x, Tensor y) {
    return lossOf(forward(theta, x, null, null), y);
  }

  /** Number of dense layers, {@code L}. */
  public int numLayers() {
    return widths.length - 1;
  }

  /** Layer {@code l}'s output width. */
  public int layerOutputs(int l) {
    return widths[l + 1];
  }

  /**
   * The last layer's output over a block, each layer's pre-activation shifted by {@code
   * shifts[l]}, with the layer inputs as aux (the form {@code vjp(f, hasAux)} takes): {@code
   * theta: f64[P], x: f64[n,d], shifts: L x f64[n,out_l] -> List.of(out: f64[n,k], List.of(a_l:
   * f64[n,in_l]))}. Pulling back each sample's output gradient ({@link #outputGrads}) to zero
   * shifts gives each sample's {@code dL_i/dz_l,i}, since samples do not interact.
   */
  public List<Object> blockForward(Tensor theta, Tensor x, List<Tensor> shifts) {
    List<Tensor> inputs = new ArrayList<>();
    Tensor out = forward(theta, x, shifts, inputs);
    return List.of(out, inputs);
  }

  /**
   * Each sample's gradient of its loss with respect to the last layer's output, in closed form
   * (NOTE [closed-form output gradients] in {@link OutputGrads}): {@code out: f64[n,k], y: f64[n]
   * or i64[n] -> f64[n,k]}.
   */
  public Tensor outputGrads(Tensor out, Tensor y) {
    return OutputGrads.of(loss, out, y);
  }

  /** The loss summed over samples: {@code out: f64[out] or f64[n,out] (f64[n] for one output), y -> f64[]}. */
  private Tensor lossOf(Tensor out, Tensor y) {
    switch (loss) {
      case SQUARED_ERROR:
        return Functional.mse(out, y, Reduction.SUM);
      case BINARY_CROSS_ENTROPY:
        return Functional.binaryCrossEntropyWithLogits(out, y, Reduction.SUM);
      default:
        return Functional.crossEntropy(out, y, Reduction.SUM);
    }
  }

  @Override
  public Tensor predict(Tensor theta, Tensor x) {
    Tensor out = forward(theta, x, null, null);
    switch (loss) {
      case SQUARED_ERROR:
        return out;
      case BINARY_CROSS_ENTROPY:
        return out.sigmoid();
      default:
        return Functional.softmax(out, -1);
    }
  }

  @Override
  public Tensor init(long seed) {
    Key key = Key.of(seed);
    Tensor[] parts = new Tensor[widths.length - 1];
    for (int l = 0; l + 1 < widths.length; l++) {
      double bound = 1 / Math.sqrt(widths[l]);
      int count = widths[l + 1] * (widths[l] + 1);
      parts[l] = Random.rand(key.foldIn(l), DType.F64, count).mul(2 * bound).sub(bound);
    }
    return Tensor.concatenate(Arrays.asList(parts), 0);
  }

  /**
   * The last layer's output (logits, or the value): {@code theta: f64[P], x: f64[d] -> f64[out]},
   * or over a block {@code x: f64[n,d] -> f64[n,out]}, adding {@code shifts[l]} to layer {@code
   * l}'s pre-activation and collecting its input into {@code inputs} when these are not null.
   */
  private Tensor forward(Tensor theta, Tensor x, List<Tensor> shifts, List<Tensor> inputs) {
    Tensor h = x;
    int offset = 0;
    for (int l = 0; l + 1 < widths.length; l++) {
      int in = widths[l];
      int out = widths[l + 1];
      Tensor w = theta.slice(0, offset, offset + out * in, 1).reshape(out, in);
      Tensor b = theta.slice(0, offset + out * in, offset + out * (in + 1), 1);
      offset += out * (in + 1);
      if (inputs != null) {
        inputs.add(h);
      }
      h = h.rank() == 1 ? w.matmul(h).add(b) : h.matmul(w.mT()).add(b);
      if (shifts != null) {
        h = h.add(shifts.get(l));
      }
      if (l + 2 < widths.length) {
        h = activate(h);
      }
    }
    return h;
  }

  private Tensor activate(Tensor h) {
    switch (act) {
      case RELU:
        return Functional.relu(h);
      case GELU:
        return Functional.gelu(h);
      default:
        return h.tanh();
    }
  }
}
