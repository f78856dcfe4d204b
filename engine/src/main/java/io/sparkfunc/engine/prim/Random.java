package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.Bind;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Params;
import io.sparkfunc.engine.core.RandomParams;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Philox;

/**
 * The one random primitive, {@code random_bits}: {@code () -> t[shape]}, a pure function of its
 * key (NOTE [Philox counter layout] in {@link Key}). Every public random function
 * ({@code io.sparkfunc.engine.random.Random}) is composed from it with ordinary ops, so the
 * transforms need rules for this primitive only. It has no tensor operands: its jvp is zero, and
 * its batch rule only has to choose keys.
 *
 * <p>Element e takes the 64-bit draw {@code x} of element e of the key's stream and maps it by
 * dtype:
 *
 * <ul>
 *   <li>{@code f32}: {@code (x >>> 40) * 2^-24}, uniform on the 2^24 multiples of 2^-24 in [0, 1);
 *   <li>{@code f64}: {@code (x >>> 11) * 2^-53}, uniform on the 2^53 multiples of 2^-53 in [0, 1);
 *       so an f32 draw is the f64 draw of the same key truncated to 24 bits;
 *   <li>{@code i64} with {@code bound == 0}: {@code x} itself, all 64 bits uniform;
 *   <li>{@code i64} with {@code bound != 0}: uniform on [0, bound) with bound read as unsigned.
 * </ul>
 *
 * <p>Why a bound parameter rather than a second primitive or a composite: an exactly unbiased
 * integer in a range that is not a power of two needs rejection, i.e. a data-dependent number of
 * draws, which fixed-shape ops cannot express (and the engine has no integer remainder). The
 * bounded mode (Lemire's multiply-shift: keep the high word of {@code x * bound}, redraw with
 * counter round 1, 2, ... while the low word is below {@code 2^64 mod bound}) stays inside this
 * primitive, element-local, so it adds no rule. A redraw happens with probability below
 * {@code bound / 2^64}.
 */
public final class Random {
  private Random() {}

  private static final int CHUNK = 512;

  /**
   * Parameters of {@link #RANDOM_BITS}.
   *
   * @param key the stream
   * @param shape output extents
   * @param dtype f32, f64 or i64
   * @param bound for i64: 0 for raw 64-bit draws, else the exclusive upper bound (unsigned)
   */
  public record RandomBits(Key key, int[] shape, DType dtype, long bound) implements RandomParams {
    /** The same draw with a leading axis: element b of the batch reads slice b of the counters. */
    @Override
    public Params withLeadingAxis(int size) {
      return new RandomBits(key, Structural.prepend(size, shape), dtype, bound);
    }
  }

  /** {@code () -> t[shape]}: draws of the key's stream mapped by dtype (see the class comment). */
  public static final Primitive RANDOM_BITS =
      Primitive.define(
          "random_bits",
          0,
          (in, p) -> bitsType((RandomBits) p),
          (in, p, out) -> generate((RandomBits) p, out))
          .nonDifferentiable("random bits carry no derivative")
          .random();

  private static TensorType bitsType(RandomBits p) {
    if (p.dtype() == DType.BOOL || (p.bound() != 0 && p.dtype() != DType.I64)) {
      throw new EngineException(
          "random_bits", "dtype f32 or f64 (uniform [0,1)), or i64 (bits, or with a bound)",
          "dtype " + p.dtype() + " with bound " + Long.toUnsignedString(p.bound()),
          "use random.Random.bernoulli for bool masks and randint for bounded integers");
    }
    for (int d : p.shape()) {
      if (d < 0) {
        throw new EngineException(
            "random_bits", "non-negative extents", "shape " + Shape.str(p.shape()),
            "pass the extents of the tensor to draw");
      }
    }
    return new TensorType(p.dtype(), p.shape());
  }

  /**
   * Draws a fresh tensor. See the class comment for the mapping by dtype.
   *
   * @param key the stream
   * @param dtype f32, f64 or i64
   * @param bound 0, or for i64 an exclusive unsigned upper bound
   * @param shape output extents
   */
  public static Tensor randomBits(Key key, DType dtype, long bound, int... shape) {
    return Bind.bind(RANDOM_BITS, new RandomBits(key, shape.clone(), dtype, bound));
  }

  private static DenseTensor generate(RandomBits p, TensorType type) {
    DenseTensor out = DenseTensor.allocate(type);
    int n = (int) out.numel();
    if (p.dtype() == DType.I64) {
      long[] y = out.storage().i64Array();
      Philox.fill(p.key(), 0, 0, y, 0, n);
      if (p.bound() != 0) {
        bound(p.key(), p.bound(), y);
      }
      return out;
    }
    long[] x = new long[Math.min(CHUNK, n)];
    for (int start = 0; start < n; start += CHUNK) {
      int len = Math.min(CHUNK, n - start);
      Philox.fill(p.key(), 0, start, x, 0, len);
      if (p.dtype() == DType.F32) {
        float[] y = out.storage().f32Array();
        for (int i = 0; i < len; i++) {
          y[start + i] = (x[i] >>> 40) * 0x1.0p-24f;
        }
      } else {
        double[] y = out.storage().f64Array();
        for (int i = 0; i < len; i++) {
          y[start + i] = (x[i] >>> 11) * 0x1.0p-53;
        }
      }
    }
    return out;
  }

  /** Maps raw draws {@code y} to [0, bound) in place, exactly uniformly (Lemire, with redraws). */
  private static void bound(Key key, long bound, long[] y) {
    long threshold = Long.remainderUnsigned(-bound, bound);
    for (int e = 0; e < y.length; e++) {
      long x = y[e];
      for (int round = 1; Long.compareUnsigned(x * bound, threshold) < 0; round++) {
        x = Philox.draw(key, round, e);
      }
      y[e] = unsignedMultiplyHigh(x, bound);
    }
  }

  /** High 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh from JDK 18). */
  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }
}
