package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.core.BatchRule.Batched;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.core.RandomnessHook;
import io.sparkfunc.engine.core.Trace;
import io.sparkfunc.engine.core.Tracer;

/**
 * vmap: every value of this trace carries a batch axis ({@code bdim}) of extent {@link #size}.
 * Each primitive's {@link BatchRule} computes the batched result directly (no loop); primitives
 * whose operands are all unbatched pass through untouched. Random primitives follow the vmap's
 * {@link Randomness} policy.
 */
final class BatchTrace extends Trace implements RandomnessHook.Policy {
  final int size;
  private final Randomness randomness;

  BatchTrace(int level, String transform, int size, Randomness randomness) {
    super(level, transform);
    this.size = size;
    this.randomness = randomness;
  }

  /** A value with a batch axis. */
  static final class BatchTracer extends Tracer {
    final BatchTrace trace;
    final Tensor value;
    final int bdim;

    BatchTracer(BatchTrace trace, Tensor value, int bdim) {
      this.trace = trace;
      this.value = value;
      this.bdim = bdim;
    }

    @Override
    public Trace trace() {
      return trace;
    }

    @Override
    public TensorType type() {
      int[] full = value.type().shape();
      int[] shape = new int[full.length - 1];
      for (int i = 0, k = 0; i < full.length; i++) {
        if (i != bdim) {
          shape[k++] = full[i];
        }
      }
      return new TensorType(value.dtype(), shape);
    }
  }

  /** Wraps {@code value} whose batch axis is {@code bdim} (NOT_MAPPED returns the value itself). */
  Tensor wrap(Tensor value, int bdim) {
    return bdim == BatchRule.NOT_MAPPED ? value : new BatchTracer(this, value, bdim);
  }

  @Override
  public Tensor process(Primitive p, Params params, Tensor[] args) {
    Tensor[] values = new Tensor[args.length];
    int[] bdims = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof BatchTracer && ((BatchTracer) args[i]).trace == this) {
        values[i] = ((BatchTracer) args[i]).value;
        bdims[i] = ((BatchTracer) args[i]).bdim;
      } else {
        values[i] = args[i];
        bdims[i] = BatchRule.NOT_MAPPED;
      }
    }
    BatchRule rule = p.batchRule();
    Batched out =
        rule != null ? rule.batch(values, bdims, params, size) : LoopFallback.run(p, params, values, bdims, size, transform());
    return wrap(out.value(), out.bdim());
  }

  @Override
  public Tensor random(Primitive p, Params params) {
    return randomness.apply(this, p, params);
  }
}
