package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full Jacobians: {@code jacrev} vmaps the pullback over the rows of the identity (one reverse
 * pass per output element, batched), {@code jacfwd} vmaps jvp over the columns (one forward pass
 * per input element, batched). Each Jacobian leaf has shape {@code [*outShape, *inShape]}.
 */
final class Jacobians {
  private Jacobians() {}

  static Fn jacrev(Fn f, int[] argnums, boolean hasAux, int chunkSize) {
    return args -> {
      Ad.Vjp v = Ad.vjp(f, args, argnums, hasAux, "jacrev(f, argnums=" + Arrays.toString(argnums) + ")");
      List<Tensor> outs = Tree.leaves(v.out());
      List<Object> perOut = new ArrayList<>();
      for (int j = 0; j < outs.size(); j++) {
        int jj = j;
        Tensor o = outs.get(j);
        Fn pullOne = ct -> v.pullback().apply(Tree.unflatten(v.out(), oneHot(outs, jj, (Tensor) ct[0])));
        Object rows = Vmap.vmap(pullOne, 0, 0, chunkSize, Randomness.ERROR).apply(basis(o));
        perOut.add(Tree.map(rows, r -> r.reshape(concat(o.shape(), tail(r.shape())))));
      }
      Object jac = Tree.unflatten(v.out(), perOut);
      return hasAux ? List.of(jac, v.aux()) : jac;
    };
  }

  static Fn jacfwd(Fn f, int[] argnums, boolean hasAux, Randomness randomness) {
    return args -> {
      String where = "jacfwd(f, argnums=" + Arrays.toString(argnums) + ")";
      Ad.checkArgnums(argnums, args.length, where);
      List<Tensor> ins = new ArrayList<>();
      for (int a : argnums) {
        ins.addAll(Tree.leaves(args[a]));
      }
      List<Object> perIn = new ArrayList<>();
      Object[] aux = {null};
      Object outTemplate = null;
      for (int i = 0; i < ins.size(); i++) {
        int ii = i;
        Tensor x = ins.get(i);
        Fn column = t -> {
          Object[] r = Ad.jvp(f, args, tangents(args, argnums, ii, (Tensor) t[0]), hasAux, where);
          aux[0] = r[2];
          return r[1];
        };
        Object cols = Vmap.vmap(column, 0, 0, 0, randomness).apply(basis(x));
        outTemplate = cols;
        perIn.add(Tree.map(cols, c -> c.movedim(0, -1).reshape(concat(tail(c.shape()), x.shape()))));
      }
      Object jac = regroup(outTemplate, perIn, args, argnums);
      return hasAux ? List.of(jac, aux[0]) : jac;
    };
  }

  /** Per output leaf, the tree of the differentiated arguments holding d(out)/d(in). */
  private static Object regroup(Object outTemplate, List<Object> perIn, Object[] args, int[] argnums) {
    int nOut = Tree.leaves(outTemplate).size();
    List<Object> perOut = new ArrayList<>();
    for (int j = 0; j < nOut; j++) {
      List<Tensor> col = new ArrayList<>();
      for (Object in : perIn) {
        col.add(Tree.leaves(in).get(j));
      }
      List<Object> grouped = new ArrayList<>();
      int k = 0;
      for (int a : argnums) {
        int n = Tree.leaves(args[a]).size();
        grouped.add(Tree.unflatten(args[a], col.subList(k, k + n)));
        k += n;
      }
      perOut.add(grouped.size() == 1 ? grouped.get(0) : grouped);
    }
    return Tree.unflatten(outTemplate, perOut);
  }

  /** Tangents for jvp: {@code t} at differentiated leaf number {@code leaf}, zeros at the other chosen leaves, none elsewhere. */
  private static Object[] tangents(Object[] args, int[] argnums, int leaf, Tensor t) {
    Object[] out = new Object[args.length];
    int k = 0;
    for (int a : argnums) {
      List<Object> leaves = new ArrayList<>();
      for (Tensor x : Tree.leaves(args[a])) {
        leaves.add(k++ == leaf ? t : Tensors.zerosLike(x));
      }
      out[a] = Tree.unflatten(args[a], leaves);
    }
    return out;
  }

  private static List<Tensor> oneHot(List<Tensor> outs, int j, Tensor ct) {
    List<Tensor> cts = new ArrayList<>();
    for (int i = 0; i < outs.size(); i++) {
      cts.add(i == j ? ct : Tensors.zerosLike(outs.get(i)));
    }
    return cts;
  }

  /** The identity as a batch of basis vectors shaped like {@code x}: {@code [numel, *x.shape]}. */
  private static Tensor basis(Tensor x) {
    int n = (int) x.numel();
    return Tensors.eye(n, n, x.dtype()).reshape(concat(new int[] {n}, x.shape()));
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int[] tail(int[] s) {
    return Arrays.copyOfRange(s, 1, s.length);
  }
}
