package io.sparkfunc.udfs;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import io.sparkfunc.udfs.model.LayerModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-sample gradient norms and (clipped) gradient sums of a stack of dense layers without
 * materializing per-sample gradients ("ghost clipping": Goodfellow 2015, Lee and Kifer 2021, Li et
 * al. 2022; Opacus' fast gradient clipping).
 *
 * <p>NOTE [ghost clipping]. Layer {@code l} computes {@code z_l = a_l W_l^T + b_l}. Sample {@code
 * i}'s gradient of it is {@code g_l,i (x) a_l,i} for {@code W_l} and {@code g_l,i} for {@code
 * b_l}, where {@code g_l,i = dL_i/dz_l,i}; its squared norm is {@code (|a_l,i|^2 + 1) |g_l,i|^2}
 * (the Frobenius norm of an outer product is the product of the norms), and the sample's total
 * squared norm is the sum over layers. The last layer's {@code g_L} is the loss's output gradient
 * in closed form ({@link LayerModel#outputGrads}); all {@code g_l} come from ONE pullback of it
 * through the block's forward pass with respect to zero shifts added to the pre-activations
 * ({@link LayerModel#blockForward}): samples are independent, so the pullback of the stacked
 * {@code g_L,i} to {@code z_l} is each sample's {@code dL_i/dz_l,i} (for one layer the pullback
 * is the identity). With {@code c_i = min(1, C/norm_i)} the clipped sum is {@code (c * G_l)^T
 * A_l} for {@code W_l} (one GEMM per layer) and {@code c^T G_l} for {@code b_l}; the plain sum is
 * {@code c = 1}. Cost: one forward pass, the closed-form output gradient, the backward pass
 * through the hidden layers only, and one GEMM per layer, instead of {@code f64[n,P]} per-sample
 * products. Reverse mode through the loss itself was most of a softmax(64,10) block's time
 * (BENCHMARKS.md section 4.5).
 *
 * <p>Shapes: {@code theta: f64[P], x: f64[n,d], y: f64[n] or i64[n]}; the flat result follows
 * NOTE [flat parameter layout] in {@link LayerModel}.
 */
final class GhostClipping {
  private final LayerModel model;

  GhostClipping(LayerModel model) {
    this.model = model;
  }

  /** The layers' inputs and output gradients of a block. */
  private record Pass(List<Tensor> inputs, List<Tensor> outputGrads) {}

  /**
   * Bytes of work per row: 8 bytes x 4 tensors (input, pre-activation, activation, output
   * gradient) x the layer widths, input included.
   */
  long bytesPerRow() {
    long widths = model.numFeatures();
    for (int l = 0; l < model.numLayers(); l++) {
      widths += model.layerOutputs(l);
    }
    return 8L * 4 * widths;
  }

  /** Per-sample gradient norms: {@code -> f64[n]}. */
  Tensor norms(Tensor theta, Tensor x, Tensor y) {
    return norms(pass(theta, x, y));
  }

  /** Sum over the block of the per-sample gradients: {@code -> f64[P]}. */
  Tensor sum(Tensor theta, Tensor x, Tensor y) {
    return weightedSum(pass(theta, x, y), null);
  }

  /** Sum of the per-sample gradients each scaled by {@code min(1, C/||g_i||)}: {@code -> f64[P]}. */
  Tensor clippedSum(Tensor theta, Tensor x, Tensor y, double clip) {
    Pass pass = pass(theta, x, y);
    return weightedSum(pass, PerSample.clipFactors(norms(pass), clip));
  }

  private Pass pass(Tensor theta, Tensor x, Tensor y) {
    int n = x.size(0);
    List<Tensor> zeros = new ArrayList<>();
    for (int l = 0; l < model.numLayers(); l++) {
      zeros.add(Tensors.zeros(DType.F64, n, model.layerOutputs(l)));
    }
    Fn forward = args -> model.blockForward(theta, x, tensors(args[0]));
    Func.VjpResult r = Func.vjp(forward, true, new Object[] {zeros});
    Tensor grads = model.outputGrads((Tensor) r.out(), y);
    return new Pass(tensors(r.aux()), tensors(r.vjpFn().apply(grads)));
  }

  private static Tensor norms(Pass pass) {
    Tensor sq = null;
    for (int l = 0; l < pass.inputs.size(); l++) {
      Tensor a2 = pass.inputs.get(l).pow(2).sum(false, 1);
      Tensor layer = a2.add(1).mul(pass.outputGrads.get(l).pow(2).sum(false, 1));
      sq = sq == null ? layer : sq.add(layer);
    }
    return sq.sqrt();
  }

  /** Per layer {@code (c * G_l)^T A_l} flattened, then {@code c^T G_l}; {@code c = null} is all ones. */
  private static Tensor weightedSum(Pass pass, Tensor c) {
    List<Tensor> parts = new ArrayList<>();
    for (int l = 0; l < pass.inputs.size(); l++) {
      Tensor g = pass.outputGrads.get(l);
      Tensor cg = c == null ? g : g.mul(c.unsqueeze(1));
      parts.add(cg.mT().matmul(pass.inputs.get(l)).reshape(-1));
      parts.add(c == null ? g.sum(false, 0) : c.matmul(g));
    }
    return Tensor.concatenate(parts, 0);
  }

  @SuppressWarnings("unchecked")
  private static List<Tensor> tensors(Object tree) {
    return (List<Tensor>) tree;
  }
}
