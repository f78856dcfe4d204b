package io.sparkfunc.testing;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Registry entries for the in-place primitives {@code add_}, {@code mul_}, {@code copy_} and
 * {@code index_put_} ({@code self: t[s...], sources... -> self}), as functional entries. Each op
 * gives two entries:
 *
 * <ul>
 *   <li>{@code name}: copies the destination ({@code x.copy()}), applies the op to the copy and
 *       returns the copy, so the value checked is what was written into self's storage;
 *   <li>{@code name into view}: the destination operand is a larger base {@code b: t[..., 2m+1]};
 *       the op writes into the strided view {@code b[..., 1::2]: t[..., m]} of a copy of b and the
 *       whole base is returned, so the reference checks that the odd slots were written through
 *       the view and the even slots were left alone.
 * </ul>
 */
final class MutationOps {
  private MutationOps() {}

  /** (self, src) shape pairs where src broadcasts into self without growing it. */
  private static final int[][][] INTO = {
    {{2, 3}, {3}}, {{4}, {}}, {{0, 3}, {3}}, {{5}, {1}}, {{2, 3}, {2, 3}}, {{3, 4}, {3, 1}},
    {{2, 3, 5}, {3, 1}}, {{2, 3, 5}, {1, 3, 5}}, {{}, {}}
  };

  static List<OpInfo> entries() {
    List<OpInfo> l = new ArrayList<>();
    l.addAll(pair("add_", a -> a[0].add_(a[1]),
        r -> Ref.zip(r[0], r[1], Double::sum), into(Sample.Arg.DATA)));
    l.addAll(pair("mul_", a -> a[0].mul_(a[1]),
        r -> Ref.zip(r[0], r[1], (x, y) -> x * y), into(Sample.Arg.DATA)));
    l.addAll(pair("copy_", a -> a[0].copy_(a[1]),
        r -> Ref.zip(r[0], r[1], (x, y) -> y), into(Sample.Arg.DATA)));
    l.addAll(pair("copy_", "copy_(i64 src)", a -> a[0].copy_(a[1]),
        r -> Ref.zip(r[0], r[1], (x, y) -> y), into(Sample.Arg.INDEX)));
    for (boolean acc : new boolean[] {false, true}) {
      l.addAll(pair("index_put_", "index_put_(accumulate=" + acc + ")",
          a -> a[0].indexPut_(a[1], a[2], acc), r -> indexPut(r[0], r[1], r[2], acc),
          MutationOps::indexPutSamples));
      l.add(OpInfo.builder("index_put(accumulate=" + acc + ")")
          .op(a -> a[0].indexPut(a[1], a[2], acc))
          .reference(r -> indexPut(r[0], r[1], r[2], acc))
          .samples(MutationOps::indexPutSamples)
          .dtypes(DType.F32, DType.F64, DType.I64)
          .covers("index_put")
          .build());
    }
    return l;
  }

  private static List<OpInfo> pair(
      String primitive, Consumer<Tensor[]> inPlace, Function<Ref[], Ref> ref,
      OpInfo.SampleGen samples) {
    return pair(primitive, primitive, inPlace, ref, samples);
  }

  /**
   * The two entries of an in-place op (see the class comment).
   *
   * @param inPlace writes into operand 0 from the others
   * @param ref the value operand 0 should hold afterwards, from the operands' values before
   */
  private static List<OpInfo> pair(
      String primitive, String name, Consumer<Tensor[]> inPlace, Function<Ref[], Ref> ref,
      OpInfo.SampleGen samples) {
    OpInfo onCopy = OpInfo.builder(name)
        .op(a -> {
          Tensor[] args = a.clone();
          args[0] = a[0].copy();
          inPlace.accept(args);
          return args[0];
        })
        .reference(ref)
        .samples(samples)
        .dtypes(DType.F32, DType.F64, DType.I64)
        .inPlace()
        .covers(primitive)
        .build();
    OpInfo intoView = OpInfo.builder(name + " into view")
        .op(a -> {
          Tensor base = a[0].copy();
          Tensor[] args = a.clone();
          int last = base.rank() - 1;
          args[0] = base.slice(last, 1, base.shape()[last], 2);
          inPlace.accept(args);
          return base;
        })
        .reference(r -> {
          Ref[] args = r.clone();
          args[0] = oddSlots(r[0]);
          return withOddSlots(r[0], ref.apply(args));
        })
        .samples(rnd -> widened(samples, rnd))
        .dtypes(DType.F32, DType.F64, DType.I64)
        .inPlace()
        .covers(primitive)
        .build();
    return List.of(onCopy, intoView);
  }

  /** Same-size pairs over {@link Samples#ODD_SIZES} plus {@link #INTO}; src of kind {@code src}. */
  private static OpInfo.SampleGen into(Sample.Arg src) {
    return rnd -> {
      List<int[][]> shapes = new ArrayList<>(Arrays.asList(INTO));
      for (int n : Samples.ODD_SIZES) {
        shapes.add(new int[][] {{n}, {n}});
      }
      List<Sample> out = new ArrayList<>();
      for (int[][] s : shapes) {
        Sample d = Sample.data(Samples.uniform(rnd, -3, 3, s[0]), Samples.uniform(rnd, -3, 3, s[1]));
        out.add(new Sample(d.label(), d.args(), new Sample.Arg[] {Sample.Arg.DATA, src}));
      }
      return out;
    };
  }

  /**
   * {@code gen}'s samples with destination {@code t[..., m]} replaced by a fresh base {@code t[...,
   * 2m+1]} (0-d destinations have no view to write through and are dropped).
   */
  private static List<Sample> widened(OpInfo.SampleGen gen, Random rnd) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : gen.samples(rnd)) {
      int[] shape = s.args()[0].shape.clone();
      if (shape.length == 0) {
        continue;
      }
      shape[shape.length - 1] = 2 * shape[shape.length - 1] + 1;
      Ref[] args = s.args().clone();
      args[0] = Samples.uniform(rnd, -3, 3, shape);
      out.add(new Sample("base" + Arrays.toString(shape).replace(" ", "") + " " + s.label(), args,
          s.kinds()));
    }
    return out;
  }

  /** {@code r[..., 1::2]}. */
  private static Ref oddSlots(Ref r) {
    int last = r.rank() - 1;
    int[] shape = r.shape.clone();
    shape[last] /= 2;
    return Ref.generate(shape, idx -> {
      int[] src = idx.clone();
      src[last] = 2 * idx[last] + 1;
      return r.at(src);
    });
  }

  /** {@code base} with {@code base[..., 1::2]} replaced by {@code view}. */
  private static Ref withOddSlots(Ref base, Ref view) {
    int last = base.rank() - 1;
    return Ref.generate(base.shape, idx -> {
      if (idx[last] % 2 == 0) {
        return base.at(idx);
      }
      int[] v = idx.clone();
      v[last] /= 2;
      return view.at(v);
    });
  }

  /**
   * (self, index, values) cases: duplicates (also through a negative index naming the same row),
   * broadcast rows, a scalar value, empty index lists, and a 1023-row self with 300 random indices.
   */
  private static List<Sample> indexPutSamples(Random rnd) {
    List<Sample> out = new ArrayList<>();
    out.add(indexPutSample(rnd, new int[] {6}, new double[] {0, 2, 2, -1, 5, 2}, 6));
    out.add(indexPutSample(rnd, new int[] {4, 3}, new double[] {1, 3, 1}, 3, 3));
    out.add(indexPutSample(rnd, new int[] {4, 3}, new double[] {0, 0}, 3));
    out.add(indexPutSample(rnd, new int[] {4, 3}, new double[] {2}));
    out.add(indexPutSample(rnd, new int[] {3, 2, 4}, new double[] {2, 0, 2, -3}, 2, 4));
    out.add(indexPutSample(rnd, new int[] {5}, new double[0], 0));
    out.add(indexPutSample(rnd, new int[] {0, 3}, new double[0], 3));
    double[] many = new double[300];
    for (int i = 0; i < many.length; i++) {
      many[i] = rnd.nextInt(2 * 1023) - 1023;
    }
    out.add(indexPutSample(rnd, new int[] {1023}, many, 300));
    return out;
  }

  private static Sample indexPutSample(Random rnd, int[] self, double[] index, int... values) {
    Ref[] args = {
      Samples.uniform(rnd, -3, 3, self),
      new Ref(new int[] {index.length}, index),
      Samples.uniform(rnd, -3, 3, values)
    };
    Sample.Arg[] kinds = {Sample.Arg.DATA, Sample.Arg.INDEX, Sample.Arg.DATA};
    long[] idx = Arrays.stream(index).mapToLong(d -> (long) d).toArray();
    String label = Arrays.toString(self).replace(" ", "")
        + (idx.length <= 8 ? Arrays.toString(idx).replace(" ", "") : "[i64[" + idx.length + "]]")
        + "=" + Arrays.toString(values).replace(" ", "");
    return new Sample(label, args, kinds);
  }

  /** {@code self[index[j]] = values[j]} (or {@code +=}) for j in order, rows of axis 0. */
  private static Ref indexPut(Ref self, Ref index, Ref values, boolean accumulate) {
    double[] out = self.data.clone();
    int rows = self.shape[0];
    int rowSize = (int) Shape.numel(Arrays.copyOfRange(self.shape, 1, self.rank()));
    int[] indexed = self.shape.clone();
    indexed[0] = index.data.length;
    for (int j = 0; j < index.data.length; j++) {
      int r = (int) index.data[j];
      r = r < 0 ? r + rows : r;
      for (int e = 0; e < rowSize; e++) {
        double v = values.atBroadcast(Ref.unravel(j * rowSize + e, indexed));
        out[r * rowSize + e] = accumulate ? out[r * rowSize + e] + v : v;
      }
    }
    return new Ref(self.shape.clone(), out);
  }
}
