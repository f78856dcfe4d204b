package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.core.Trace;
import io.sparkfunc.engine.core.VjpRule;
import io.sparkfunc.engine.prim.ElementwiseBinary;
import java.util.ArrayList;
import java.util.List;

/**
 * Reverse mode as a tape: while the function runs, each primitive applied to this trace's tracers
 * computes its output on the unwrapped values and records a node. {@link #backward} walks the
 * nodes in reverse and applies each primitive's {@link VjpRule}.
 *
 * <p>NOTE [Backward with public ops]: vjp rules are ordinary ops on the recorded values, which
 * belong to lower levels (concrete tensors or outer transforms' tracers). So the backward pass is
 * itself traced by every enclosing transform: grad of grad records it on the outer tape, vmap of
 * grad batches it, jacfwd of jacrev pushes tangents through it. Node ids grow in execution order,
 * which is a topological order. Only the cotangents of traced inputs are asked for (NOTE [Wanted
 * cotangents] in {@link VjpRule}).
 *
 * <p>In-place ops rebind the written tracer to the node of their functional result (NOTE
 * [Mutation under transforms] in {@link AliasingTrace}); the recorded primals are never written.
 */
final class GradTrace extends AliasingTrace {
  private final List<Node> nodes = new ArrayList<>();

  GradTrace(int level, String transform) {
    super(level, transform);
  }

  /** One recorded primitive application (or an input leaf, with {@code p == null}). */
  private record Node(Primitive p, Params params, Tensor[] primals, Tensor out, int[] parents) {}

  /** A value with its node on the tape (-1: none, a constant); an in-place op rebinds both. */
  static final class GradTracer extends AliasingTrace.Ref {
    final GradTrace trace;
    private Tensor primal;
    private int node;

    GradTracer(GradTrace trace, Tensor primal, int node) {
      this.trace = trace;
      this.primal = primal;
      this.node = node;
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
      primal = ((GradTracer) other).primal;
      node = ((GradTracer) other).node;
    }
  }

  /** A new input leaf holding {@code primal}. */
  GradTracer input(Tensor primal) {
    nodes.add(new Node(null, null, null, primal, new int[0]));
    return new GradTracer(this, primal, nodes.size() - 1);
  }

  /** The primal of {@code x} as seen by this trace. */
  Tensor primal(Tensor x) {
    return x instanceof GradTracer && ((GradTracer) x).trace == this ? ((GradTracer) x).primal : x;
  }

  /** The node of {@code x}, or -1 if it is a constant to this trace. */
  int nodeOf(Tensor x) {
    return x instanceof GradTracer && ((GradTracer) x).trace == this ? ((GradTracer) x).node : -1;
  }

  @Override
  AliasingTrace.Ref constant(Tensor value) {
    return new GradTracer(this, value, -1);
  }

  @Override
  Tensor apply(Primitive p, Params params, Tensor[] args) {
    Tensor[] primals = new Tensor[args.length];
    int[] parents = new int[args.length];
    boolean any = false;
    for (int i = 0; i < args.length; i++) {
      primals[i] = primal(args[i]);
      parents[i] = nodeOf(args[i]);
      any |= parents[i] >= 0;
    }
    Tensor out = Bind.bind(p, params, primals);
    if (!any || p.nonDifferentiableReason() != null) {
      return out;
    }
    if (p.vjpRule() == null) {
      throw MissingRule.of(p, "reverse-mode (vjp)", transform());
    }
    nodes.add(new Node(p, params, primals, out, parents));
    return new GradTracer(this, out, nodes.size() - 1);
  }

  /**
   * Cotangents of the tape's nodes given cotangents of some nodes (the outputs).
   *
   * @param from node ids of the outputs (-1 for an output that is a constant to this trace)
   * @param seeds their cotangents
   * @return per node id, its cotangent or null (zero)
   */
  Tensor[] backward(int[] from, Tensor[] seeds) {
    Tensor[] cts = new Tensor[nodes.size()];
    int start = -1;
    for (int i = 0; i < from.length; i++) {
      if (from[i] >= 0) {
        cts[from[i]] = accumulate(cts[from[i]], seeds[i]);
        start = Math.max(start, from[i]);
      }
    }
    for (int id = start; id >= 0; id--) {
      Node n = nodes.get(id);
      if (cts[id] == null || n.p == null) {
        continue;
      }
      boolean[] wanted = new boolean[n.parents.length];
      for (int i = 0; i < wanted.length; i++) {
        wanted[i] = n.parents[i] >= 0;
      }
      Tensor[] in = n.p.vjpRule().vjp(cts[id], n.primals, n.out, n.params, wanted);
      for (int i = 0; i < n.parents.length; i++) {
        int parent = n.parents[i];
        if (parent >= 0 && in[i] != null) {
          cts[parent] = accumulate(cts[parent], in[i]);
        }
      }
    }
    return cts;
  }

  private static Tensor accumulate(Tensor sum, Tensor ct) {
    return sum == null ? ct : ElementwiseBinary.add(sum, ct);
  }
}
