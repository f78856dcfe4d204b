package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.InPlace;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.core.Trace;
import io.sparkfunc.engine.prim.Convert;

/**
 * functionalize: every value carries the tensor of the level below that it currently stands for;
 * primitives compute on those, and in-place ops and writes through views rebind tracers instead
 * of writing memory (NOTE [Mutation under transforms] in {@link AliasingTrace}). With {@link
 * Remove#MUTATIONS_AND_VIEWS} each view op copies its result (torch's {@code view_copy}).
 */
final class FunctionalizeTrace extends AliasingTrace {
  private final Remove remove;

  FunctionalizeTrace(int level, String transform, Remove remove) {
    super(level, transform);
    this.remove = remove;
  }

  /** A tensor of the function, holding its current value of the level below. */
  static final class FunctionalTracer extends AliasingTrace.Ref {
    final FunctionalizeTrace trace;
    private Tensor value;

    FunctionalTracer(FunctionalizeTrace trace, Tensor value) {
      this.trace = trace;
      this.value = value;
    }

    @Override
    public Trace trace() {
      return trace;
    }

    @Override
    public TensorType type() {
      return value.type();
    }

    @Override
    void assign(AliasingTrace.Ref other) {
      value = ((FunctionalTracer) other).value;
    }
  }

  /** The value of the level below that {@code x} stands for. */
  Tensor value(Tensor x) {
    return owns(x) ? ((FunctionalTracer) x).value : x;
  }

  @Override
  AliasingTrace.Ref constant(Tensor value) {
    return new FunctionalTracer(this, value);
  }

  @Override
  Tensor apply(Primitive p, Params params, Tensor[] args) {
    Tensor[] values = new Tensor[args.length];
    for (int i = 0; i < args.length; i++) {
      values[i] = value(args[i]);
    }
    Tensor out = Bind.bind(p, params, values);
    return constant(p.isView() && remove == Remove.MUTATIONS_AND_VIEWS ? Convert.copy(out) : out);
  }

  @Override
  EngineException unwritable(InPlace rule, TensorType[] types, boolean[] inside) {
    return rule.unwritable(transform(), "functionalized",
        "an in-place op cannot write a value of the function into a tensor from outside it",
        "pass self to the function as an argument", types, inside);
  }
}
