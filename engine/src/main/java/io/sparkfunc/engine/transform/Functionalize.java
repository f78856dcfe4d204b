package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.TraceStack;
import io.sparkfunc.engine.prim.Convert;
import io.sparkfunc.engine.prim.Mutation;
import io.sparkfunc.engine.transform.FunctionalizeTrace.FunctionalTracer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * functionalize: runs the function on {@link FunctionalizeTrace} tracers, so that its in-place
 * ops become out-of-place ops and its inputs are not written while it runs; returns its outputs;
 * then, as torch.func does, copies the final value of every input the function wrote (directly
 * or through a view) back into that input with one {@code copy_}. An input passed twice (the same
 * Java object) is one tensor to the function.
 */
final class Functionalize {
  private Functionalize() {}

  static Fn functionalize(Fn f, Remove remove) {
    return args -> {
      String where = "functionalize(f, remove=" + remove + ")";
      FunctionalizeTrace trace = TraceStack.push(level -> new FunctionalizeTrace(level, where, remove));
      Map<Tensor, FunctionalTracer> inputs = new IdentityHashMap<>();
      Object out;
      try {
        List<Tensor> wrapped = new ArrayList<>();
        for (Object arg : args) {
          for (Tensor t : Tree.leaves(arg)) {
            wrapped.add(inputs.computeIfAbsent(t, v -> (FunctionalTracer) trace.constant(v)));
          }
        }
        Object result = f.apply(Vmap.rebuildArgs(args, wrapped));
        trace.syncTree(result);
        out = Tree.map(result, t -> output(trace.value(t), inputs, remove));
      } finally {
        TraceStack.pop(trace);
      }
      for (Map.Entry<Tensor, FunctionalTracer> e : inputs.entrySet()) {
        if (e.getValue().written()) {
          Mutation.copy_(e.getKey(), trace.value(e.getValue()));
        }
      }
      return out;
    };
  }

  /** An output's value; with views removed, a copy if it is an input itself. */
  private static Tensor output(Tensor value, Map<Tensor, FunctionalTracer> inputs, Remove remove) {
    return remove == Remove.MUTATIONS_AND_VIEWS && inputs.containsKey(value) ? Convert.copy(value) : value;
  }
}
