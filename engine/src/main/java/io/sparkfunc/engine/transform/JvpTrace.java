package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.JvpRule;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.core.Trace;

/**
 * Forward mode: every value carries a tangent; each primitive's {@link JvpRule} pushes tangents
 * through. A {@code null} tangent is a symbolic zero and is never materialised; a result whose
 * tangent is zero leaves the trace as a plain value. In-place ops rebind the written tracer
 * (NOTE [Mutation under transforms] in {@link AliasingTrace}).
 */
final class JvpTrace extends AliasingTrace {
  JvpTrace(int level, String transform) {
    super(level, transform);
  }

  /** A primal with its tangent (null: zero); an in-place op rebinds both. */
  static final class JvpTracer extends AliasingTrace.Ref {
    final JvpTrace trace;
    private Tensor primal;
    private Tensor tangent;

    JvpTracer(JvpTrace trace, Tensor primal, Tensor tangent) {
      this.trace = trace;
      this.primal = primal;
      this.tangent = tangent;
    }

    @Override
    public Trace trace() {
      return trace;
    }

    @Override
    public TensorType type() {
      return primal.type();
    }

    @Override
    void assign(AliasingTrace.Ref other) {
      primal = ((JvpTracer) other).primal;
      tangent = ((JvpTracer) other).tangent;
    }
  }

  /** Wraps {@code primal} with {@code tangent} for this trace. */
  Tensor wrap(Tensor primal, Tensor tangent) {
    return tangent == null ? primal : new JvpTracer(this, primal, tangent);
  }

  /** The primal of {@code x} as seen by this trace. */
  Tensor primal(Tensor x) {
    return x instanceof JvpTracer && ((JvpTracer) x).trace == this ? ((JvpTracer) x).primal : x;
  }

  /** The tangent of {@code x} (null: zero) as seen by this trace. */
  Tensor tangent(Tensor x) {
    return x instanceof JvpTracer && ((JvpTracer) x).trace == this ? ((JvpTracer) x).tangent : null;
  }

  @Override
  AliasingTrace.Ref constant(Tensor value) {
    return new JvpTracer(this, value, null);
  }

  @Override
  Tensor apply(Primitive p, Params params, Tensor[] args) {
    Tensor[] primals = new Tensor[args.length];
    Tensor[] tangents = new Tensor[args.length];
    boolean any = false;
    for (int i = 0; i < args.length; i++) {
      primals[i] = primal(args[i]);
      tangents[i] = tangent(args[i]);
      any |= tangents[i] != null;
    }
    Tensor out = Bind.bind(p, params, primals);
    if (!any || p.nonDifferentiableReason() != null) {
      return out;
    }
    JvpRule rule = p.jvpRule();
    if (rule == null) {
      throw MissingRule.of(p, "forward-mode (jvp)", transform());
    }
    return wrap(out, rule.jvp(primals, tangents, out, params));
  }
}
