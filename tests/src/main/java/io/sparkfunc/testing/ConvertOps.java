package io.sparkfunc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Philox;
import io.sparkfunc.engine.random.Random;
import io.sparkfunc.engine.transform.Randomness;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.LongToDoubleFunction;

/**
 * Registry entries for the primitives that make values of a given dtype.
 *
 * <p>{@code convert_element_type} ({@code Tensor.to}): {@code x: s[...] -> t[...]} for f32 to f64
 * and back, floats to i64 (truncation toward zero, NaN to 0, saturation), floats and i64 to bool
 * ({@code != 0}), and bool and i64 to floats. The output dtype is not the dtype under test, so
 * these entries use {@code anyOutputDType()} and each op asserts its own target dtype instead.
 * Sources that are not floating data (bool masks, i64 indices) ignore the dtype under test; their
 * entries run under one dtype only.
 *
 * <p>{@code random_bits} ({@code rand}, {@code randint}): {@code x: t[s...] -> t[s...]}, where the
 * operand only supplies the shape (a random op has no tensor operands). The reference recomputes
 * every element from {@link Philox#block} with the documented counter layout and bit recipes
 * (NOTE [Philox counter layout] in {@code Key}, the class comment of {@code prim.Random}), by flat
 * index alone: so the entries also check that element e does not depend on the shape or on the
 * elements drawn with it.
 */
final class ConvertOps {
  private ConvertOps() {}

  /** Values where conversions differ: halves, negatives, signed zero, beyond i64 and f32, NaN. */
  private static final double[] EDGES = {
    -2.7, -2.0, -0.5, -0.0, 0.0, 0.5, 0.999, 2.0, 2.7, 0.1, 3e9, -3e9, 1e19, -1e19, 1e39, 1e-30,
    1e-46, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
  };

  /** Integers around the f32 (2^24) and f64 (2^53) limits of exact representation. */
  private static final double[] INTEGERS = {
    0, 1, -1, 7, -123456789, 16777217, -16777219, 0x1p40 + 3, 0x1p53 - 1, -(0x1p53 - 1)
  };

  /** A derived key, so both Philox key words and both stream words are in play. */
  private static final Key KEY = Key.of(20240611L).split(3)[2].foldIn(7);

  /** {@code randint(MIN, 2^62)}: the span 3 * 2^62 rejects a quarter of the draws (redraw rounds). */
  private static final long SPAN = (1L << 62) - Long.MIN_VALUE;

  static List<OpInfo> entries() {
    OpInfo.SampleGen floats = withEdges(Samples.unary(-5, 5), EDGES, Sample.Arg.DATA);
    List<OpInfo> l = new ArrayList<>();
    l.add(convert("f32.to(F64)", DType.F64, floats, x -> x, DType.F32).build());
    // Derivatives are checked in f64 by central differences, which an f32 result cannot pass.
    l.add(convert("f64.to(F32)", DType.F32, floats, x -> (float) x, DType.F64)
        .nonDifferentiable().build());
    l.add(convert("to(I64)", DType.I64, floats, ConvertOps::truncate, DType.F32, DType.F64)
        .nonDifferentiable().build());
    l.add(convert("to(BOOL)", DType.BOOL, floats, x -> x != 0 ? 1 : 0,
        DType.F32, DType.F64, DType.I64).nonDifferentiable().build());
    OpInfo.SampleGen masks = rnd -> {
      List<Sample> out = new ArrayList<>();
      for (Sample s : Samples.unary(0, 1).samples(rnd)) {
        out.add(as(Sample.Arg.MASK, s.label(), s.args()[0].map(x -> x < 0.5 ? 1 : 0)));
      }
      return out;
    };
    OpInfo.SampleGen ints = withEdges(Samples.unary(-1e6, 1e6), INTEGERS, Sample.Arg.INDEX);
    for (DType target : new DType[] {DType.F32, DType.F64}) {
      DoubleUnaryOperator round = target == DType.F32 ? x -> (float) x : x -> x;
      l.add(convert("bool.to(" + target.name() + ")", target, masks, x -> x, target)
          .nonDifferentiable().build());
      l.add(convert("i64.to(" + target.name() + ")", target, ints, round, target)
          .nonDifferentiable().build());
    }
    l.add(bits("rand(F32)", DType.F32, x -> Random.rand(KEY, DType.F32, x.shape()),
        e -> (draw(0, e) >>> 40) * 0x1p-24));
    l.add(bits("rand(F64)", DType.F64, x -> Random.rand(KEY, DType.F64, x.shape()),
        e -> (draw(0, e) >>> 11) * 0x1p-53));
    l.add(bits("random_bits(I64)", DType.I64,
        x -> io.sparkfunc.engine.prim.Random.randomBits(KEY, DType.I64, 0, x.shape()),
        e -> draw(0, e)));
    l.add(bits("randint(MIN, 2^62)", DType.I64,
        x -> Random.randint(KEY, Long.MIN_VALUE, 1L << 62, x.shape()),
        e -> Long.MIN_VALUE + lemire(e)));
    return l;
  }

  /**
   * An entry for {@code x.to(target)} over {@code sources} (the dtypes floating data operands take;
   * mask and index operands keep bool and i64), compared exactly with {@code ref}.
   */
  private static OpInfo.Builder convert(
      String name, DType target, OpInfo.SampleGen samples, DoubleUnaryOperator ref,
      DType first, DType... sources) {
    return OpInfo.builder(name)
        .op(a -> {
          Tensor y = a[0].to(target);
          assertEquals(target, y.dtype(), name + ": output dtype");
          return y;
        })
        .reference(r -> r[0].map(ref))
        .samples(samples)
        .dtypes(first, sources)
        .tol(0, 0)
        .anyOutputDType()
        .covers("convert_element_type");
  }

  /** Float to i64 as documented in {@code prim.Convert}: toward zero, NaN to 0, saturating. */
  private static double truncate(double x) {
    if (Double.isNaN(x)) {
      return 0;
    }
    if (x >= 0x1p63 || x <= -0x1p63) {
      return x > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return x < 0 ? Math.ceil(x) : Math.floor(x);
  }

  /**
   * An entry for a draw of {@code dtype} whose element e is {@code recipe(e)}, compared exactly.
   * i64 results are compared as doubles, so only their top 53 bits are checked here.
   */
  private static OpInfo bits(
      String name, DType dtype, Function<Tensor, Tensor> draw, LongToDoubleFunction recipe) {
    return OpInfo.builder(name)
        .op(a -> draw.apply(a[0]))
        .reference(r -> {
          double[] out = new double[r[0].data.length];
          for (int e = 0; e < out.length; e++) {
            out[e] = recipe.applyAsDouble(e);
          }
          return new Ref(r[0].shape.clone(), out);
        })
        .samples(Samples.unary(0, 1))
        .dtypes(dtype)
        .tol(0, 0)
        .nonDifferentiable()
        .randomness(Randomness.SAME)
        .covers("random_bits")
        .build();
  }

  /** The 64-bit draw e of {@link #KEY}'s stream in counter round {@code round}, from the block. */
  private static long draw(int round, long e) {
    int[] counter = {(int) (e >>> 1), round, (int) KEY.s(), (int) (KEY.s() >>> 32)};
    int[] w = Philox.block(counter, (int) KEY.k(), (int) (KEY.k() >>> 32));
    int h = 2 * (int) (e & 1);
    return (w[h] & 0xFFFF_FFFFL) | ((long) w[h + 1] << 32);
  }

  /**
   * Element e of a draw on [0, SPAN) by Lemire's method in 128-bit arithmetic: the high word of
   * {@code x * SPAN} for the first round's x whose low word is at least {@code 2^64 mod SPAN}.
   */
  private static long lemire(long e) {
    BigInteger two64 = BigInteger.ONE.shiftLeft(64);
    BigInteger span = unsigned(SPAN);
    BigInteger threshold = two64.mod(span);
    for (int round = 0; ; round++) {
      BigInteger product = unsigned(draw(round, e)).multiply(span);
      if (product.mod(two64).compareTo(threshold) >= 0) {
        return product.shiftRight(64).longValue();
      }
    }
  }

  private static BigInteger unsigned(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }

  /** {@code gen}'s samples as operands of {@code kind}, plus one sample holding {@code edges}. */
  private static OpInfo.SampleGen withEdges(OpInfo.SampleGen gen, double[] edges, Sample.Arg kind) {
    return rnd -> {
      List<Sample> out = new ArrayList<>();
      for (Sample s : gen.samples(rnd)) {
        out.add(as(kind, s.label(), s.args()[0]));
      }
      out.add(as(kind, "edges", new Ref(new int[] {edges.length}, edges.clone())));
      return out;
    };
  }

  private static Sample as(Sample.Arg kind, String label, Ref r) {
    return new Sample(label, new Ref[] {r}, new Sample.Arg[] {kind});
  }
}
