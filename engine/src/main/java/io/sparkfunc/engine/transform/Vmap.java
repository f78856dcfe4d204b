package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.TraceStack;
import io.sparkfunc.engine.prim.Structural;
import io.sparkfunc.engine.transform.BatchTrace.BatchTracer;
import java.util.ArrayList;
import java.util.List;

/**
 * vmap: validates {@code inDims} against the arguments, runs the function once on tracers
 * carrying the batch axis, and moves each output's batch axis to its {@code outDims} position.
 * With a chunk size, runs chunk by chunk and concatenates.
 */
final class Vmap {
  private Vmap() {}

  static Fn vmap(Fn f, Object inDims, Object outDims, int chunkSize, Randomness randomness) {
    return args -> {
      String where = "vmap(f, inDims=" + spec(inDims) + ")";
      List<Object> perArg = perArgument(inDims, args.length, where);
      List<Tensor> leaves = new ArrayList<>();
      List<Integer> dims = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        List<Tensor> argLeaves = Tree.leaves(args[i]);
        List<Object> argDims = Tree.broadcastPrefix(perArg.get(i), args[i], where);
        for (int j = 0; j < argLeaves.size(); j++) {
          leaves.add(argLeaves.get(j));
          dims.add(normalize(argDims.get(j), argLeaves.get(j), i, where));
        }
      }
      int size = batchSize(leaves, dims, where);
      if (chunkSize > 0 && chunkSize < size) {
        return Chunks.run(f, args, leaves, dims, outDims, size, chunkSize, randomness);
      }
      return run(f, args, leaves, dims, outDims, size, randomness);
    };
  }

  static Object run(Fn f, Object[] args, List<Tensor> leaves, List<Integer> dims, Object outDims,
      int size, Randomness randomness) {
    BatchTrace trace = TraceStack.push(level -> new BatchTrace(level, "vmap", size, randomness));
    Object out;
    try {
      List<Object> wrapped = new ArrayList<>();
      for (int i = 0; i < leaves.size(); i++) {
        wrapped.add(trace.wrap(leaves.get(i), dims.get(i)));
      }
      out = f.apply(rebuildArgs(args, wrapped));
    } finally {
      TraceStack.pop(trace);
    }
    List<Object> outSpec = Tree.broadcastPrefix(outDims, out, "vmap(f, outDims=" + spec(outDims) + ")");
    List<Tensor> outLeaves = Tree.leaves(out);
    List<Tensor> result = new ArrayList<>();
    for (int i = 0; i < outLeaves.size(); i++) {
      result.add(unbatch(trace, outLeaves.get(i), outSpec.get(i), size));
    }
    return Tree.unflatten(out, result);
  }

  /** Arguments rebuilt with their leaves replaced, in leaf order across arguments. */
  static Object[] rebuildArgs(Object[] args, List<?> leaves) {
    Object[] out = new Object[args.length];
    int k = 0;
    for (int i = 0; i < args.length; i++) {
      int n = Tree.leaves(args[i]).size();
      out[i] = Tree.unflatten(args[i], leaves.subList(k, k + n));
      k += n;
    }
    return out;
  }

  private static Tensor unbatch(BatchTrace trace, Tensor t, Object outDim, int size) {
    boolean batched = t instanceof BatchTracer && ((BatchTracer) t).trace == trace;
    if (outDim == null || outDim == Func.NOT_MAPPED) {
      if (batched) {
        throw new EngineException(
            "vmap(f, outDims=NOT_MAPPED)", "an output that does not depend on the mapped inputs",
            "a batched " + t.type(), "give the output an out dim such as 0");
      }
      return t;
    }
    int rank = t.rank() + 1;
    int d = (Integer) outDim;
    if (d < -rank || d >= rank) {
      throw new EngineException(
          "vmap(f, outDims=" + d + ")", "an out dim in [" + (-rank) + ", " + (rank - 1) + "]",
          "outDims=" + d + " for an output of " + t.type() + " plus the batch axis",
          "pick an axis within the output's rank + 1");
    }
    d = d < 0 ? d + rank : d;
    if (!batched) {
      Tensor u = t.unsqueeze(d);
      int[] shape = u.shape();
      shape[d] = size;
      return u.expand(shape);
    }
    BatchTracer b = (BatchTracer) t;
    return Structural.movedim(b.value, b.bdim, d);
  }

  private static List<Object> perArgument(Object inDims, int n, String where) {
    if (!(inDims instanceof List)) {
      List<Object> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(inDims);
      }
      return all;
    }
    List<?> l = (List<?>) inDims;
    if (l.size() != n) {
      throw new EngineException(
          where, "one in dim per argument (" + n + ")",
          "inDims of length " + l.size() + " for " + n + " argument" + (n == 1 ? "" : "s"),
          "list one entry per argument, NOT_MAPPED for arguments to broadcast");
    }
    return new ArrayList<>(l);
  }

  private static int normalize(Object dim, Tensor leaf, int arg, String where) {
    if (dim == null || dim == Func.NOT_MAPPED) {
      return BatchRule.NOT_MAPPED;
    }
    if (!(dim instanceof Integer)) {
      throw new EngineException(where, "an int or NOT_MAPPED per argument", "in dim " + dim + " for argument " + arg,
          "use an int axis or Func.NOT_MAPPED");
    }
    int d = (Integer) dim;
    int r = leaf.rank();
    if (d < -r || d >= r) {
      throw new EngineException(
          where, "in dim in [" + (-r) + ", " + (r - 1) + "] for argument " + arg,
          "in dim " + d + " for argument " + arg + " (" + leaf.type() + ")",
          "pick an axis of the argument, or NOT_MAPPED to broadcast it");
    }
    return d < 0 ? d + r : d;
  }

  private static int batchSize(List<Tensor> leaves, List<Integer> dims, String where) {
    int size = -1;
    StringBuilder seen = new StringBuilder();
    boolean mismatch = false;
    for (int i = 0; i < leaves.size(); i++) {
      if (dims.get(i) == BatchRule.NOT_MAPPED) {
        continue;
      }
      int s = leaves.get(i).type().dim(dims.get(i));
      seen.append(seen.length() == 0 ? "" : "; ").append("size ").append(s).append(" at axis ")
          .append(dims.get(i)).append(" of input ").append(i).append(" (").append(leaves.get(i).type()).append(')');
      mismatch |= size >= 0 && s != size;
      size = size < 0 ? s : size;
    }
    if (size < 0) {
      throw new EngineException(where, "at least one mapped input", "every input NOT_MAPPED",
          "map at least one input (inDims=0 maps the leading axis)");
    }
    if (mismatch) {
      throw new EngineException(where, "all mapped axes to have one size", seen.toString(),
          "make the mapped axes equal, or pass NOT_MAPPED for inputs to broadcast");
    }
    return size;
  }

  static String spec(Object dims) {
    if (dims == Func.NOT_MAPPED) {
      return "NOT_MAPPED";
    }
    if (dims instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object o : (List<?>) dims) {
        parts.add(spec(o));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    return String.valueOf(dims);
  }
}
