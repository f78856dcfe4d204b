package io.sparkfunc.udfs;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import io.sparkfunc.udfs.model.LayerModel;
import io.sparkfunc.udfs.model.Model;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model's batched functions over a block of rows, built once per model from the transforms:
 * per-sample gradients are {@code vmap(grad(loss))}, per-sample losses and predictions {@code
 * vmap(loss)} and {@code vmap(predict)}, the plain gradient sum {@code grad(sum(vmap(loss)))},
 * the clipped sum re-weights the per-sample gradients by {@code min(1, C/||g_i||)}. For the
 * built-in dense-layer specs ({@link LayerModel}) the gradient sums and per-sample norms take the
 * ghost-clipping route instead (NOTE [ghost clipping] in {@link GhostClipping}: one backward pass
 * per block, no {@code f64[n,P]}); the {@code vmap(grad)} forms stay the reference and the route
 * of Java {@link Model} classes. Directional
 * derivatives along a parameter direction {@code v} are forward mode: the per-sample loss JVP is
 * {@code vmap(jvp(loss))}, the Hessian-vector product {@code vmap(jvp(grad(loss)))}
 * (forward-over-reverse, no Hessian is formed). Ensemble predictions over {@code S} weight
 * samples are {@code vmap(vmap(predict))}, samples outside, rows inside.
 *
 * <p>Shapes: {@code theta: f64[P]}, a block of {@code n} rows {@code x: f64[n,d]}, labels {@code
 * f64[n]} (or {@code i64[n]} for class labels), a direction {@code v: f64[P]}, weight samples
 * {@code thetas: f64[S,P]}.
 */
public final class PerSample {
  private static final Map<String, PerSample> CACHE = new ConcurrentHashMap<>();
  private static final AtomicLong BLOCKS = new AtomicLong();
  private static final AtomicLong ROWS = new AtomicLong();

  private final Model model;
  private final Fn grads;
  private final Fn losses;
  private final Fn predictions;
  private final Fn gradSum;
  private final Fn lossJvps;
  private final Fn lossHvps;
  private final Fn ensemble;
  private final GhostClipping ghost;

  private PerSample(Model model) {
    this.model = model;
    this.ghost = model instanceof LayerModel ? new GhostClipping((LayerModel) model) : null;
    Fn loss = Fn.of(model::loss);
    List<Object> sample = List.of(Func.NOT_MAPPED, 0, 0);
    this.grads = Func.vmap(Func.grad(loss, 0), sample);
    this.losses = Func.vmap(loss, sample);
    this.predictions = Func.vmap(Fn.of(model::predict), List.of(Func.NOT_MAPPED, 0));
    this.gradSum = Func.grad(Fn.of((t, x, y) -> losses.tensor(t, x, y).sum()), 0);
    List<Object> sampleAlong = List.of(Func.NOT_MAPPED, 0, 0, Func.NOT_MAPPED);
    this.lossJvps = Func.vmap(Fn.of((t, x, y, v) -> tangent(lossOf(x, y), t, v)), sampleAlong);
    this.lossHvps = Func.vmap(Fn.of((t, x, y, v) -> tangent(Func.grad(lossOf(x, y)), t, v)), sampleAlong);
    this.ensemble = Func.vmap(predictions, List.of(0, Func.NOT_MAPPED));
  }

  /** The batched functions of {@code model} (cached per spec). */
  public static PerSample of(Model model) {
    return CACHE.computeIfAbsent(model.spec(), s -> new PerSample(model));
  }

  /** The model. */
  public Model model() {
    return model;
  }

  /** Per-sample gradients: {@code -> f64[n,P]}. */
  public Tensor grads(Tensor theta, Block block) {
    return grads(theta, block.features(), block.labels(model));
  }

  /**
   * Per-sample gradients of rows held as tensors (on the heap or viewing Arrow memory): {@code x:
   * f64[n,d], y: f64[n] or i64[n] (see {@link Block#labels}) -> f64[n,P]}.
   */
  public Tensor grads(Tensor theta, Tensor x, Tensor y) {
    count(x.size(0));
    return grads.tensor(theta, x, y);
  }

  /** Per-sample losses: {@code -> f64[n]}. */
  public Tensor losses(Tensor theta, Block block) {
    count(block);
    return losses.tensor(theta, block.features(), block.labels(model));
  }

  /** Per-sample predictions: {@code -> f64[n,numOutputs]}. */
  public Tensor predictions(Tensor theta, Block block) {
    count(block);
    return predictions.tensor(theta, block.features());
  }

  /** Sum over the block of the per-sample gradients, in one backward pass: {@code -> f64[P]}. */
  public Tensor gradSum(Tensor theta, Block block) {
    count(block);
    Tensor x = block.features();
    Tensor y = block.labels(model);
    return ghost != null ? ghost.sum(theta, x, y) : gradSum.tensor(theta, x, y);
  }

  /**
   * Bytes of engine work per row of {@link #gradSum} and {@link #clippedSum}, which sizes their
   * blocks: {@code 8 (P + d)} where per-sample gradients are materialized, far less on the ghost
   * route.
   */
  public long gradSumBytesPerRow() {
    return ghost != null ? ghost.bytesPerRow() : 8L * (model.numParams() + model.numFeatures());
  }

  /** L2 norm of each row's gradient: {@code -> f64[n]} (ghost norms for dense layers, NOTE [ghost clipping]). */
  public Tensor gradNorms(Tensor theta, Block block) {
    if (ghost == null) {
      return norms(grads(theta, block));
    }
    count(block);
    return ghost.norms(theta, block.features(), block.labels(model));
  }

  /** Per-sample directional derivatives of the loss along {@code v}: {@code <grad loss_i, v> -> f64[n]}. */
  public Tensor lossJvps(Tensor theta, Block block, Tensor v) {
    count(block);
    return lossJvps.tensor(theta, block.features(), block.labels(model), v);
  }

  /** Per-sample Hessian-vector products of the loss: {@code H_i v -> f64[n,P]}. */
  public Tensor lossHvps(Tensor theta, Block block, Tensor v) {
    count(block);
    return lossHvps.tensor(theta, block.features(), block.labels(model), v);
  }

  /** Predictions of every weight sample on every row: {@code thetas: f64[S,P] -> f64[S,n,numOutputs]}. */
  public Tensor ensemblePredictions(Tensor thetas, Block block) {
    return ensemblePredictions(thetas, block.features());
  }

  /** {@link #ensemblePredictions(Tensor, Block)} of rows held as a tensor: {@code x: f64[n,d] -> f64[S,n,numOutputs]}. */
  public Tensor ensemblePredictions(Tensor thetas, Tensor x) {
    count(x.size(0));
    return ensemble.tensor(thetas, x);
  }

  /**
   * Mean and population variance over the weight samples (axis 0) of ensemble predictions:
   * {@code preds: f64[S,n,k] -> [mean f64[n,k], var f64[n,k]]}, {@code var = mean_s (p_s - mean)^2}.
   */
  public static Tensor[] momentsOverSamples(Tensor preds) {
    Tensor mean = preds.mean(false, 0);
    return new Tensor[] {mean, preds.sub(mean).pow(2).mean(false, 0)};
  }

  /** L2 norm of each row of per-sample gradients: {@code g: f64[n,P] -> f64[n]}. */
  public static Tensor norms(Tensor g) {
    return g.pow(2).sum(false, 1).sqrt();
  }

  /**
   * Sum of the per-sample gradients, each first scaled to L2 norm at most {@code clip} (flat
   * clipping, as Opacus and TF-Privacy): {@code sum_i g_i * min(1, C/||g_i||) -> f64[P]}.
   */
  public Tensor clippedSum(Tensor theta, Block block, double clip) {
    if (ghost == null) {
      return clippedSum(grads(theta, block), clip);
    }
    count(block);
    return ghost.clippedSum(theta, block.features(), block.labels(model), clip);
  }

  /**
   * The clipped sum of materialized per-sample gradients (the reference route): {@code g:
   * f64[n,P] -> sum_i g_i * min(1, C/||g_i||): f64[P]}.
   */
  public static Tensor clippedSum(Tensor g, double clip) {
    return clipFactors(norms(g), clip).matmul(g);
  }

  /** Clip factors {@code min(1, C/norm_i)} (1 for a zero norm): {@code norms: f64[n] -> f64[n]}. */
  static Tensor clipFactors(Tensor norms, double clip) {
    return norms.scalarLike(clip).div(norms).minimum(norms.scalarLike(1));
  }

  /** Blocks run through any of these functions in this JVM since it started. */
  public static long blocksProcessed() {
    return BLOCKS.get();
  }

  /** Rows run through any of these functions in this JVM since it started. */
  public static long rowsProcessed() {
    return ROWS.get();
  }

  /** {@code theta -> loss(theta, x, y)} for one sample. */
  private Fn lossOf(Tensor x, Tensor y) {
    return Fn.of(th -> model.loss(th, x, y));
  }

  /** The output tangent of {@code f} at {@code theta} along {@code v}. */
  private static Tensor tangent(Fn f, Tensor theta, Tensor v) {
    return (Tensor) Func.jvp(f, new Object[] {theta}, new Object[] {v}).tangent();
  }

  private static void count(Block block) {
    count(block.size());
  }

  private static void count(int rows) {
    BLOCKS.incrementAndGet();
    ROWS.addAndGet(rows);
  }
}
