package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.TraceStack;
import io.sparkfunc.engine.transform.GradTrace.GradTracer;
import io.sparkfunc.engine.transform.JvpTrace.JvpTracer;
import java.util.ArrayList;
import java.util.List;

/** The differentiation transforms: reverse mode (grad, vjp) on a {@link GradTrace} tape and forward mode (jvp) on a {@link JvpTrace}. */
final class Ad {
  private Ad() {}

  /** Output, reusable pullback, and aux (null without hasAux) of a vjp. */
  record Vjp(Object out, Fn pullback, Object aux) {}

  /**
   * Runs {@code f} on {@code args} with the leaves of the arguments in {@code argnums} on a tape.
   *
   * @return the output tree (primal values), its pullback over the chosen arguments, and aux
   */
  static Vjp vjp(Fn f, Object[] args, int[] argnums, boolean hasAux, String where) {
    checkArgnums(argnums, args.length, where);
    GradTrace trace = TraceStack.push(level -> new GradTrace(level, where));
    Object[] wrapped = args.clone();
    List<int[]> leafNodes = new ArrayList<>();
    Object result;
    try {
      for (int a : argnums) {
        List<GradTracer> leaves = new ArrayList<>();
        for (Tensor t : Tree.leaves(args[a])) {
          leaves.add(trace.input(t));
        }
        leafNodes.add(leaves.stream().mapToInt(trace::nodeOf).toArray());
        wrapped[a] = Tree.unflatten(args[a], leaves);
      }
      result = f.apply(wrapped);
      trace.syncTree(result);
    } finally {
      TraceStack.pop(trace);
    }
    Object out = result;
    Object aux = null;
    if (hasAux) {
      Object[] pair = auxPair(result, where);
      out = pair[0];
      aux = Tree.map(pair[1], trace::primal);
    }
    List<Tensor> outLeaves = Tree.leaves(out);
    Object primalOut = Tree.map(out, trace::primal);
    Fn pullback = cts -> pull(trace, outLeaves, cts.length == 1 ? cts[0] : List.of(cts), args, argnums, leafNodes);
    return new Vjp(primalOut, pullback, aux);
  }

  /**
   * The cotangents of the chosen arguments' leaves. {@code leafNodes} are the leaves' input nodes,
   * kept apart from their tracers because an in-place op in f may have rebound those.
   */
  private static Object pull(GradTrace trace, List<Tensor> outLeaves, Object cts, Object[] args,
      int[] argnums, List<int[]> leafNodes) {
    List<Tensor> ctLeaves = Tree.leaves(cts);
    if (ctLeaves.size() != outLeaves.size()) {
      throw new EngineException("vjp_fn(cotangents)", "one cotangent per output (" + outLeaves.size() + ")",
          ctLeaves.size() + " cotangents", "pass a tree shaped like the function's output");
    }
    int[] from = new int[outLeaves.size()];
    for (int i = 0; i < from.length; i++) {
      if (!ctLeaves.get(i).type().shapeEquals(outLeaves.get(i).type())) {
        throw new EngineException("vjp_fn(cotangents)", "cotangent " + i + " of the output's type " + outLeaves.get(i).type(),
            ctLeaves.get(i).type().toString(), "pass cotangents with the outputs' shapes");
      }
      from[i] = trace.nodeOf(outLeaves.get(i));
    }
    Tensor[] cts2 = trace.backward(from, ctLeaves.toArray(new Tensor[0]));
    List<Object> grads = new ArrayList<>();
    for (int k = 0; k < argnums.length; k++) {
      List<Tensor> in = Tree.leaves(args[argnums[k]]);
      List<Tensor> g = new ArrayList<>();
      for (int j = 0; j < in.size(); j++) {
        Tensor ct = cts2[leafNodes.get(k)[j]];
        g.add(ct != null ? ct : Tensors.zerosLike(in.get(j)));
      }
      grads.add(Tree.unflatten(args[argnums[k]], g));
    }
    return grads.size() == 1 ? grads.get(0) : grads;
  }

  /** grad and value: the gradient tree of the chosen arguments, and the (value, aux). */
  static Object[] gradAndValue(Fn f, Object[] args, int[] argnums, boolean hasAux, String where) {
    Vjp v = vjp(f, args, argnums, hasAux, where);
    if (!(v.out instanceof Tensor) || ((Tensor) v.out).rank() != 0) {
      throw new EngineException(where, "f to return a scalar tensor (rank 0)",
          v.out instanceof Tensor ? ((Tensor) v.out).type().toString() : Tree.describe(v.out),
          "reduce the output (e.g. .sum() or .mean()), or use vjp or jacrev for non-scalar outputs");
    }
    Tensor out = (Tensor) v.out;
    Object grads = v.pullback.apply(Tensors.ones(out.dtype()));
    return new Object[] {grads, out, v.aux};
  }

  /** Forward mode: (output tree, tangent tree[, aux]); a null tangent argument holds its primal constant. */
  static Object[] jvp(Fn f, Object[] primals, Object[] tangents, boolean hasAux, String where) {
    if (primals.length != tangents.length) {
      throw new EngineException(where, "one tangent per primal (" + primals.length + ")",
          tangents.length + " tangents", "pass tangents shaped like the primals");
    }
    JvpTrace trace = TraceStack.push(level -> new JvpTrace(level, where));
    Object result;
    try {
      Object[] wrapped = new Object[primals.length];
      for (int i = 0; i < primals.length; i++) {
        if (tangents[i] == null) {
          wrapped[i] = primals[i];
          continue;
        }
        List<Tensor> p = Tree.leaves(primals[i]);
        List<Tensor> t = Tree.leaves(tangents[i]);
        checkTangents(p, t, i, where);
        List<Tensor> w = new ArrayList<>();
        for (int j = 0; j < p.size(); j++) {
          w.add(trace.wrap(p.get(j), t.get(j)));
        }
        wrapped[i] = Tree.unflatten(primals[i], w);
      }
      result = f.apply(wrapped);
      trace.syncTree(result);
    } finally {
      TraceStack.pop(trace);
    }
    Object out = result;
    Object aux = null;
    if (hasAux) {
      Object[] pair = auxPair(result, where);
      out = pair[0];
      aux = Tree.map(pair[1], trace::primal);
    }
    Object primalOut = Tree.map(out, trace::primal);
    Object tangentOut = Tree.map(out, t -> {
      Tensor tan = trace.tangent(t);
      return tan != null ? tan : Tensors.zerosLike(trace.primal(t));
    });
    return new Object[] {primalOut, tangentOut, aux};
  }

  private static void checkTangents(List<Tensor> p, List<Tensor> t, int arg, String where) {
    if (p.size() != t.size()) {
      throw new EngineException(where, "tangent " + arg + " shaped like primal " + arg,
          Tree.describe(t) + " for " + Tree.describe(p), "pass one tangent tensor per primal tensor");
    }
    for (int j = 0; j < p.size(); j++) {
      if (!p.get(j).type().equals(t.get(j).type())) {
        throw new EngineException(where, "tangent of type " + p.get(j).type() + " for primal " + arg,
            t.get(j).type().toString(), "pass a tangent with the primal's dtype and shape");
      }
    }
  }

  static Object[] auxPair(Object result, String where) {
    if (!(result instanceof List) || ((List<?>) result).size() != 2) {
      throw new EngineException(where + " with hasAux=true", "f to return a pair (output, aux) as a List of two",
          Tree.describe(result), "return List.of(output, aux), or pass hasAux=false");
    }
    List<?> l = (List<?>) result;
    return new Object[] {l.get(0), l.get(1)};
  }

  static void checkArgnums(int[] argnums, int n, String where) {
    for (int a : argnums) {
      if (a < 0 || a >= n) {
        throw new EngineException(where, "argnums in [0, " + (n - 1) + "] for " + n + " argument" + (n == 1 ? "" : "s"),
            "argnums " + java.util.Arrays.toString(argnums), "differentiate with respect to an existing argument");
      }
    }
  }
}
