package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.BatchRule;
import io.sparkfunc.engine.prim.Combine;
import java.util.ArrayList;
import java.util.List;

/**
 * vmap with a chunk size: runs the batch in slices of at most {@code chunkSize} elements and
 * concatenates each output along its out dim, so peak memory is bounded by the chunk, not the
 * batch.
 */
final class Chunks {
  private Chunks() {}

  static Object run(Fn f, Object[] args, List<Tensor> leaves, List<Integer> dims, Object outDims,
      int size, int chunkSize, Randomness randomness) {
    List<Object> parts = new ArrayList<>();
    for (int start = 0; start < size; start += chunkSize) {
      int end = Math.min(size, start + chunkSize);
      List<Tensor> slice = new ArrayList<>();
      for (int i = 0; i < leaves.size(); i++) {
        int d = dims.get(i);
        slice.add(d == BatchRule.NOT_MAPPED ? leaves.get(i) : leaves.get(i).slice(d, start, end, 1));
      }
      parts.add(Vmap.run(f, args, slice, dims, outDims, end - start, randomness));
    }
    Object first = parts.get(0);
    List<Object> outSpec = Tree.broadcastPrefix(outDims, first, "vmap(f, outDims=" + Vmap.spec(outDims) + ")");
    int n = Tree.leaves(first).size();
    List<Tensor> joined = new ArrayList<>();
    for (int leaf = 0; leaf < n; leaf++) {
      List<Tensor> pieces = new ArrayList<>();
      for (Object p : parts) {
        pieces.add(Tree.leaves(p).get(leaf));
      }
      Object d = outSpec.get(leaf);
      boolean unmapped = d == null || d == Func.NOT_MAPPED;
      joined.add(unmapped ? pieces.get(0) : Combine.concatenate(pieces, (Integer) d));
    }
    return Tree.unflatten(first, joined);
  }
}
