package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.InPlace;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.core.Trace;
import io.sparkfunc.engine.core.Tracer;
import io.sparkfunc.engine.core.VjpRule;

/**
 * A trace whose tracers stand for tensors that the function may write in place, while the trace
 * itself writes no memory: reverse mode ({@link GradTrace}), forward mode ({@link JvpTrace}) and
 * {@link FunctionalizeTrace}. Subclasses say how a primitive is computed ({@link #apply}) and how
 * a tracer takes over another's state ({@link Ref#assign}); this class handles in-place and view
 * primitives for all three.
 *
 * <p>NOTE [Mutation under transforms]. As in torch.func, an in-place op on a tracer computes the
 * functional result ({@link InPlace#functional}, itself traced by this trace, so it carries
 * derivatives) and rebinds the written tracer: every later use of the same Java object sees the
 * new value and derivative. The tensors of the level below are never written. Views are tracked
 * as torch's functionalization does: a tracer made by a view primitive ({@link Primitive#isView})
 * remembers its base (the root tracer it views) and the view steps from the base. A write into a
 * view is carried into the base step by step, from the view back up: each step's vjp rule (the
 * adjoint of a selection) places the new values where the view took them from, and a mask of the
 * positions it covers keeps the parent's other elements. The base is rebound and its version
 * increases; a view whose recorded version is older recomputes its value from the base (replaying
 * the steps) before its next use. So the base and every view of it see the write, as in eager
 * mode. Writing through {@code expand} sums the copies into the base (the adjoint of a broadcast,
 * as torch's functionalization), where eager mode refuses the write.
 */
abstract class AliasingTrace extends Trace {
  AliasingTrace(int level, String transform) {
    super(level, transform);
  }

  /** A tracer of an {@link AliasingTrace}: rebindable, and possibly a view of another. */
  abstract static class Ref extends Tracer {
    private Ref base;
    private Step step;
    private int version;
    private int seen;

    /** Takes over the state (value and derivative) of {@code other}, a tracer of the same trace. */
    abstract void assign(Ref other);

    /** True once this tensor was written, directly or through a view of it. */
    final boolean written() {
      return version > 0;
    }
  }

  /** One view primitive on the way from a base to a view, linked to the step before it. */
  private record Step(Step before, Primitive p, Params params) {}

  /** Computes {@code p} on {@code args} (some of them this trace's tracers) with the trace's rules. */
  abstract Tensor apply(Primitive p, Params params, Tensor[] args);

  /** A new tracer of this trace holding {@code value} (of the level below) with no derivative. */
  abstract Ref constant(Tensor value);

  /** True if {@code t} is a tracer of this trace. */
  final boolean owns(Tensor t) {
    return t instanceof Ref && ((Ref) t).trace() == this;
  }

  @Override
  public final Tensor process(Primitive p, Params params, Tensor[] args) {
    for (Tensor a : args) {
      sync(a);
    }
    if (p.inPlaceRule() != null) {
      return write(p, params, args);
    }
    Tensor out = apply(p, params, args);
    return p.isView() && owns(args[0]) ? track(out, (Ref) args[0], p, params) : out;
  }

  /** Brings every tracer of this trace among the leaves of {@code tree} up to date with its base. */
  final void syncTree(Object tree) {
    for (Tensor t : Tree.leaves(tree)) {
      sync(t);
    }
  }

  private void sync(Tensor t) {
    if (!owns(t)) {
      return;
    }
    Ref r = (Ref) t;
    if (r.base != null && r.seen != r.base.version) {
      r.assign(ref(replay(r.base, r.step)));
      r.seen = r.base.version;
    }
  }

  private Ref ref(Tensor t) {
    return owns(t) ? (Ref) t : constant(t);
  }

  /** Makes the output of a view primitive a view of {@code parent}'s base. */
  private Ref track(Tensor out, Ref parent, Primitive p, Params params) {
    Ref view = ref(out);
    view.base = parent.base != null ? parent.base : parent;
    view.step = new Step(parent.step, p, params);
    view.seen = view.base.version;
    return view;
  }

  /** {@code base} seen through the steps up to {@code step} (the base itself for null). */
  private static Tensor replay(Tensor base, Step step) {
    return step == null ? base : Bind.bind(step.p, step.params, replay(base, step.before));
  }

  private Tensor write(Primitive p, Params params, Tensor[] args) {
    InPlace rule = p.inPlaceRule();
    TensorType[] types = new TensorType[args.length];
    boolean[] inside = new boolean[args.length];
    for (int i = 0; i < args.length; i++) {
      types[i] = args[i].type();
      inside[i] = owns(args[i]);
    }
    if (!inside[0]) {
      throw unwritable(rule, types, inside);
    }
    p.shape(types, params);
    Ref dest = (Ref) args[0];
    Tensor value = rule.functional().apply(args, params);
    if (dest.base == null) {
      dest.assign(ref(value));
      dest.version++;
    } else {
      dest.base.assign(ref(scatter(dest.base, dest.step, value)));
      dest.base.version++;
    }
    return dest;
  }

  /**
   * The error for an in-place op whose destination this trace does not own while a source is
   * its tracer (torch.func: "would mutate a captured Tensor"). A tensor made inside the function
   * by a factory ({@code Tensors.zeros}) is such a destination too: it carries no trace.
   */
  EngineException unwritable(InPlace rule, TensorType[] types, boolean[] inside) {
    return rule.unwritable(transform(), "traced",
        "an in-place op cannot write a traced value into a constant or into a tensor of an"
            + " enclosing transform",
        "compute self from the function's inputs (zeros as x.mul(0), not Tensors.zeros) so that"
            + " the transform traces it", types, inside);
  }

  /** {@code base} with {@code value} written through the view whose last step is {@code step}. */
  private Tensor scatter(Ref base, Step step, Tensor value) {
    Tensor parent = replay(base, step.before);
    Tensor placed = place(step, parent, value);
    return step.before == null ? placed : scatter(base, step.before, placed);
  }

  /**
   * {@code parent} with {@code value} written into the view {@code step} takes of it: the view's
   * adjoint places the values back, and where it covers nothing the parent keeps its elements.
   */
  private static Tensor place(Step step, Tensor parent, Tensor value) {
    VjpRule adjoint = step.p.vjpRule();
    Tensor[] at = {parent};
    Tensor placed = adjoint.vjp(value, at, value, step.params)[0];
    Tensor covered =
        adjoint.vjp(Tensors.ones(DType.F32, value.shape()), at, value, step.params)[0].gt(0);
    for (boolean c : covered.toBooleanArray()) {
      if (!c) {
        return covered.where(placed, parent);
      }
    }
    return placed;
  }
}
