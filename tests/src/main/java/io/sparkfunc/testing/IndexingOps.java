package io.sparkfunc.testing;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Registry entries for indexing and the ops that build a tensor from pieces:
 *
 * <ul>
 *   <li>{@code gather}: {@code x: f32[a,b], index: i64[a,k], dim=1 -> f32[a,k]}, {@code out[i][j] =
 *       x[i][index[i][j]]};
 *   <li>{@code index_select}: {@code x: f32[a,b], index: i64[k], dim=0 -> f32[k,b]};
 *   <li>{@code scatter_add}: {@code x: f32[a,b], index: i64[a,k], src: f32[a,k] -> f32[a,b]};
 *   <li>{@code pad}: {@code x: f32[a,b], (1,2) -> f32[a,b+3]}, negative amounts crop;
 *   <li>{@code concatenate}: {@code [f32[a,b], f32[c,b]], dim=0 -> f32[a+c,b]};
 *   <li>{@code stack} (unsqueeze + concatenate): {@code [f32[a,b] x k], dim=1 -> f32[a,k,b]}.
 * </ul>
 *
 * Index operands hold valid indices (with repeats, so scatter_add accumulates) for the data
 * operand's axis; samples include odd sizes, empty indices and empty data where the op allows.
 */
final class IndexingOps {
  private IndexingOps() {}

  private static final Sample.Arg DATA = Sample.Arg.DATA;
  private static final Sample.Arg INDEX = Sample.Arg.INDEX;

  static List<OpInfo> entries() {
    List<OpInfo> l = new ArrayList<>();
    l.add(gather(0,
        row(s(5), s(7)), row(s(1023), s(65)), row(s(3, 4), s(6, 4)), row(s(3, 4), s(2, 3)),
        row(s(3, 4), s(0, 4)), row(s(2, 3, 5), s(4, 3, 5)), row(s(1), s(3))));
    l.add(gather(1,
        row(s(3, 4), s(3, 7)), row(s(2, 3, 5), s(2, 4, 2)), row(s(5, 13), s(5, 1)),
        row(s(3, 4), s(3, 0)), row(s(0, 4), s(0, 2))));
    l.add(gather(-1,
        row(s(5), s(5)), row(s(17), s(0)), row(s(2, 3, 5), s(1, 2, 9)), row(s(5, 13), s(5, 13)),
        row(s(4, 0), s(4, 0))));
    for (int axis : new int[] {0, -1}) {
      l.add(OpInfo.builder("index_select(dim=" + axis + ")")
          .op(a -> a[0].indexSelect(axis, a[1]))
          .reference(r -> indexSelectRef(r[0], axis, r[1]))
          .samples(operands(axis, true,
              row(s(5), s(8)), row(s(1023), s(17)), row(s(3, 4), s()), row(s(3, 4), s(0)),
              row(s(2, 3, 5), s(4)), row(s(3, 1, 4), s(7)),
              row(axis == 0 ? s(2, 0) : s(0, 2), s(3))))
          .dtypes(DType.F32, DType.F64, DType.I64)
          .tol(0, 0)
          .covers("index_select")
          .build());
    }
    l.add(scatterAdd(0,
        row(s(5), s(9), s(9)), row(s(1023), s(65), s(65)), row(s(3, 4), s(5, 4), s(5, 4)),
        row(s(3, 4), s(2, 3), s(4, 4)), row(s(3, 4), s(0, 4), s(0, 4)),
        row(s(2, 3, 5), s(4, 2, 5), s(4, 3, 5))));
    l.add(scatterAdd(-1,
        row(s(7), s(7), s(7)), row(s(2, 5), s(2, 9), s(2, 9)), row(s(3, 0), s(3, 0), s(3, 0)),
        row(s(0, 3), s(0, 2), s(0, 2)), row(s(2, 3, 5), s(2, 2, 6), s(2, 3, 7))));
    l.add(pad(new int[] {1, 2}, 0, s(0), s(1), s(7), s(65), s(0, 3), s(3, 0), s(2, 3), s(3, 1, 4)));
    l.add(pad(new int[] {2, 0, 1, 3}, -2, s(2, 3), s(0, 3), s(3, 0), s(5, 13), s(3, 1, 4)));
    l.add(pad(new int[] {-1, -2}, 0, s(3), s(7), s(65), s(2, 5), s(0, 4), s(3, 1, 4)));
    l.add(pad(new int[] {-1, 2, 3, -1}, 7, s(2, 3), s(1, 1), s(5, 13), s(2, 3, 5), s(4, 1)));
    l.add(pad(new int[] {1, -1, 0, 2, -1, 1}, 5, s(2, 3, 5), s(3, 1, 4), s(1, 0, 2)));
    l.add(variadic("concatenate", 0,
        row(s(3), s(0), s(5)), row(s(2, 3), s(1, 3), s(4, 3)), row(s(0, 3), s(2, 3)), row(s(1, 4)),
        row(s(2, 3, 5), s(1, 3, 5)), row(s(1023), s(65))));
    l.add(variadic("concatenate", 1,
        row(s(2, 3, 5), s(2, 1, 5), s(2, 4, 5)), row(s(3, 2), s(3, 0)), row(s(0, 2), s(0, 3))));
    l.add(variadic("concatenate", -1,
        row(s(2, 3), s(2, 0), s(2, 4)), row(s(3, 1, 4), s(3, 1, 1)), row(s(5), s(7)),
        row(s(0, 2), s(0, 3))));
    int[][][] same = {
      row(s(), s(), s()), row(s(0), s(0)), row(s(5), s(5), s(5)), row(s(2, 3), s(2, 3)),
      row(s(3, 1, 4), s(3, 1, 4), s(3, 1, 4), s(3, 1, 4)), row(s(1)), row(s(1023), s(1023)),
      row(s(0, 3), s(0, 3))
    };
    for (int axis : new int[] {0, -1}) {
      l.add(variadic("stack", axis, same));
    }
    l.add(variadic("stack", 1, Arrays.copyOfRange(same, 1, same.length)));
    return l;
  }

  // ---- entries ----

  private static OpInfo gather(int axis, int[][]... rows) {
    return OpInfo.builder("gather(dim=" + axis + ")")
        .op(a -> a[0].gather(axis, a[1]))
        .reference(r -> gatherRef(r[0], norm(axis, r[0]), r[1]))
        .samples(operands(axis, true, rows))
        .dtypes(DType.F32, DType.F64, DType.I64)
        .tol(0, 0)
        .covers("gather")
        .build();
  }

  private static OpInfo scatterAdd(int axis, int[][]... rows) {
    return OpInfo.builder("scatter_add(dim=" + axis + ")")
        .op(a -> a[0].scatterAdd(axis, a[1], a[2]))
        .reference(r -> scatterAddRef(r[0], norm(axis, r[0]), r[1], r[2]))
        .samples(operands(axis, true, rows))
        .dtypes(DType.F32, DType.F64, DType.I64)
        .covers("scatter_add")
        .build();
  }

  private static OpInfo pad(int[] padding, double value, int[]... shapes) {
    return OpInfo.builder("pad(" + Arrays.toString(padding) + ", value=" + value + ")")
        .op(a -> a[0].pad(padding, value))
        .reference(r -> padRef(r[0], padding, value))
        .samples(Samples.shapes(-3, 3, shapes))
        .dtypes(DType.F32, DType.F64, DType.I64)
        .tol(0, 0)
        .covers("pad")
        .build();
  }

  /**
   * {@code concatenate} or {@code stack} of every operand of a sample along {@code axis}; stack
   * is a composite of reshape (unsqueeze) and concatenate.
   */
  private static OpInfo variadic(String name, int axis, int[][]... rows) {
    boolean stack = name.equals("stack");
    return OpInfo.builder(name + "(dim=" + axis + ")")
        .op(a -> stack ? Tensor.stack(List.of(a), axis) : Tensor.concatenate(List.of(a), axis))
        .reference(r -> stack ? stackRef(r, axis) : concatenateRef(r, axis))
        .samples(operands(axis, false, rows))
        .dtypes(DType.F32, DType.F64, DType.I64)
        .tol(0, 0)
        .covers(stack ? new String[] {"concatenate", "reshape"} : new String[] {"concatenate"})
        .build();
  }

  // ---- samples ----

  private static int[] s(int... shape) {
    return shape;
  }

  private static int[][] row(int[]... shapes) {
    return shapes;
  }

  /**
   * One sample per row of operand shapes, data in [-3, 3). With {@code indexed}, operand 1 is an
   * index into operand 0's {@code axis} (so that axis must be non-empty unless the index is).
   */
  private static OpInfo.SampleGen operands(int axis, boolean indexed, int[][]... rows) {
    return rnd -> {
      List<Sample> out = new ArrayList<>();
      for (int[][] row : rows) {
        Ref[] args = new Ref[row.length];
        Sample.Arg[] kinds = new Sample.Arg[row.length];
        for (int i = 0; i < row.length; i++) {
          boolean index = indexed && i == 1;
          kinds[i] = index ? INDEX : DATA;
          args[i] = index
              ? Samples.indices(rnd, args[0].shape[norm(axis, args[0])], row[i])
              : Samples.uniform(rnd, -3, 3, row[i]);
        }
        out.add(Sample.of(args, kinds));
      }
      return out;
    };
  }

  // ---- references ----

  /** {@code axis} counted from the front of {@code x}'s axes. */
  private static int norm(int axis, Ref x) {
    return axis < 0 ? axis + x.rank() : axis;
  }

  /** A copy of {@code idx} with coordinate {@code axis} set to {@code value}. */
  private static int[] replaced(int[] idx, int axis, double value) {
    int[] out = idx.clone();
    out[axis] = (int) value;
    return out;
  }

  /** {@code out[p] = x[p with axis = index[p]]} for every position p of index. */
  private static Ref gatherRef(Ref x, int axis, Ref index) {
    return Ref.generate(index.shape, idx -> x.at(replaced(idx, axis, index.at(idx))));
  }

  /** {@code out[.., j (at axis), ..] = x[.., index[j], ..]}; a 0-d index acts as one of length 1. */
  private static Ref indexSelectRef(Ref x, int axis, Ref index) {
    int a = norm(axis, x);
    int[] shape = x.shape.clone();
    shape[a] = index.data.length;
    return Ref.generate(shape, idx -> x.at(replaced(idx, a, index.data[idx[a]])));
  }

  /** A copy of x, then {@code out[p with axis = index[p]] += src[p]} for each position p of index. */
  private static Ref scatterAddRef(Ref x, int axis, Ref index, Ref src) {
    double[] out = x.data.clone();
    for (int k = 0; k < index.data.length; k++) {
      int[] p = Ref.unravel(k, index.shape);
      out[x.flat(replaced(p, axis, index.data[k]))] += src.at(p);
    }
    return new Ref(x.shape.clone(), out);
  }

  /** (low, high) pairs from the last axis (PyTorch order); value outside x, negative amounts crop. */
  private static Ref padRef(Ref x, int[] padding, double value) {
    int r = x.rank();
    int[] low = new int[r];
    int[] shape = x.shape.clone();
    for (int i = 0; i < padding.length / 2; i++) {
      low[r - 1 - i] = padding[2 * i];
      shape[r - 1 - i] += padding[2 * i] + padding[2 * i + 1];
    }
    return Ref.generate(shape, idx -> {
      int[] src = new int[r];
      for (int d = 0; d < r; d++) {
        src[d] = idx[d] - low[d];
        if (src[d] < 0 || src[d] >= x.shape[d]) {
          return value;
        }
      }
      return x.at(src);
    });
  }

  private static Ref concatenateRef(Ref[] parts, int axis) {
    int a = norm(axis, parts[0]);
    int[] shape = parts[0].shape.clone();
    shape[a] = Arrays.stream(parts).mapToInt(p -> p.shape[a]).sum();
    return Ref.generate(shape, idx -> {
      int[] at = idx.clone();
      int k = 0;
      while (at[a] >= parts[k].shape[a]) {
        at[a] -= parts[k++].shape[a];
      }
      return parts[k].at(at);
    });
  }

  /** {@code out[.., k (at axis), ..] = parts[k][..]}; axis in [-rank-1, rank]. */
  private static Ref stackRef(Ref[] parts, int axis) {
    int r = parts[0].rank();
    int a = axis < 0 ? axis + r + 1 : axis;
    int[] shape = new int[r + 1];
    for (int d = 0, j = 0; d <= r; d++) {
      shape[d] = d == a ? parts.length : parts[0].shape[j++];
    }
    return Ref.generate(shape, idx -> {
      int[] inner = new int[r];
      for (int d = 0, j = 0; d <= r; d++) {
        if (d != a) {
          inner[j++] = idx[d];
        }
      }
      return parts[idx[a]].at(inner);
    });
  }
}
