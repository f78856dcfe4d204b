package io.sparkfunc.engine.kernel.simd;

import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.COS;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.LOG;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NEG;
import static jdk.incubator.vector.VectorOperators.SIN;
import static jdk.incubator.vector.VectorOperators.SQRT;
import static jdk.incubator.vector.VectorOperators.TANH;

import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.kernel.CompareOp;
import io.sparkfunc.engine.kernel.ScalarKernels;
import io.sparkfunc.engine.kernel.ScalarMath;
import io.sparkfunc.engine.kernel.UnaryOp;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * f32 elementwise kernels: unary, binary, scalar power, compare and select, on runs of {@code
 * float[]}. Each op has its own loop over whole vectors with a constant operator (NOTE [Constant
 * operators]); the last {@code n % L} elements run through the same loop on a padded copy (NOTE
 * [Padded tails]). {@link ElementwiseF64} is the f64 twin.
 */
final class ElementwiseF32 {
  private ElementwiseF32() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();
  /**
   * Byte and int species with L lanes: the bool masks of compare/select travel through them. A
   * byte vector needs at least 64 bits, so with fewer than 8 lanes (f64 on AVX2, anything on
   * 128-bit SIMD) compare and select run the scalar loops instead.
   */
  private static final boolean BYTE_LANES = L * 8 >= 64;
  private static final VectorSpecies<Byte> BS =
      BYTE_LANES ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
  private static final VectorSpecies<Integer> IS =
      VectorSpecies.of(int.class, VectorShape.forBitSize(L * 32));

  // ---- unary ----

  static void unary(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
    int done = switch (op) {
      case NEG -> neg(x, xo, y, yo, n);
      case ABS -> abs(x, xo, y, yo, n);
      case SIGN -> sign(x, xo, y, yo, n);
      case EXP -> exp(x, xo, y, yo, n);
      case LOG -> log(x, xo, y, yo, n);
      case LOG1P -> log1p(x, xo, y, yo, n);
      case EXPM1 -> expm1(x, xo, y, yo, n);
      case SQRT -> sqrt(x, xo, y, yo, n);
      case RSQRT -> rsqrt(x, xo, y, yo, n);
      case SIN -> sin(x, xo, y, yo, n);
      case COS -> cos(x, xo, y, yo, n);
      case TANH -> tanh(x, xo, y, yo, n);
      case LOGISTIC -> logistic(x, xo, y, yo, n);
      case ERF -> throw new IllegalArgumentException("erf runs on the scalar kernels");
    };
    if (done < n) {
      int r = n - done;
      float[] t = Pad.f32(x, xo + done, 1, r, L);
      unary(op, t, 0, t, 0, L);
      System.arraycopy(t, 0, y, yo + done, r);
    }
  }

  private static FloatVector at(float[] x, int i) {
    return FloatVector.fromArray(S, x, i);
  }

  private static int neg(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(NEG).intoArray(y, yo + i);
    }
    return i;
  }

  private static int abs(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(ABS).intoArray(y, yo + i);
    }
    return i;
  }

  /** ±1 by sign; ±0 and NaN map to themselves (as {@code Math.signum}). */
  private static int sign(float[] x, int xo, float[] y, int yo, int n) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector minusOne = FloatVector.broadcast(S, -1f);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = at(x, xo + i);
      v.blend(one, v.compare(VectorOperators.GT, 0f))
          .blend(minusOne, v.compare(VectorOperators.LT, 0f))
          .intoArray(y, yo + i);
    }
    return i;
  }

  private static int exp(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(EXP).intoArray(y, yo + i);
    }
    return i;
  }

  private static int log(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(LOG).intoArray(y, yo + i);
    }
    return i;
  }

  private static int log1p(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(LOG1P).intoArray(y, yo + i);
    }
    return i;
  }

  private static int expm1(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(EXPM1).intoArray(y, yo + i);
    }
    return i;
  }

  private static int sqrt(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(SQRT).intoArray(y, yo + i);
    }
    return i;
  }

  private static int rsqrt(float[] x, int xo, float[] y, int yo, int n) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      one.div(at(x, xo + i).lanewise(SQRT)).intoArray(y, yo + i);
    }
    return i;
  }

  private static int sin(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(SIN).intoArray(y, yo + i);
    }
    return i;
  }

  private static int cos(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(COS).intoArray(y, yo + i);
    }
    return i;
  }

  private static int tanh(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      at(x, xo + i).lanewise(TANH).intoArray(y, yo + i);
    }
    return i;
  }

  /**
   * {@code 1/(1+e^-x)}, evaluated as {@code r = 1/(1+e)} with {@code e = e^-|x|} (so e never
   * overflows): r for x >= 0, {@code e*r} for x < 0. NaN stays NaN.
   */
  private static int logistic(float[] x, int xo, float[] y, int yo, int n) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = at(x, xo + i);
      FloatVector e = v.lanewise(ABS).neg().lanewise(EXP);
      FloatVector r = one.div(one.add(e));
      r.blend(e.mul(r), v.compare(VectorOperators.LT, 0f)).intoArray(y, yo + i);
    }
    return i;
  }

  // ---- binary ----

  static void binary(BinaryOp op, float[] a, int ao, int ainc, float[] b, int bo, int binc,
      float[] y, int yo, int n) {
    if (n == 0) {
      return;
    } else if (op != BinaryOp.POW && n < L) {
      exact(op, a, ao, ainc, b, bo, binc, y, yo, 0, n);
      return;
    }
    a = source(a, ao, ainc);
    ao = sourceOffset(ao, ainc);
    b = source(b, bo, binc);
    bo = sourceOffset(bo, binc);
    int done = ainc == 1 && binc == 1 ? loop(op, a, ao, 1, b, bo, 1, y, yo, n)
        : ainc == 1 ? loop(op, a, ao, 1, b, bo, 0, y, yo, n)
        : binc == 1 ? loop(op, a, ao, 0, b, bo, 1, y, yo, n)
        : loop(op, a, ao, 0, b, bo, 0, y, yo, n);
    if (done < n && op != BinaryOp.POW) {
      exact(op, a, ao, ainc, b, bo, binc, y, yo, done, n);
    } else if (done < n) {
      int r = n - done;
      float[] ta = Pad.f32(a, ao + done * ainc, ainc, r, L);
      float[] tb = Pad.f32(b, bo + done * binc, binc, r, L);
      binary(op, ta, 0, 1, tb, 0, 1, ta, 0, L);
      System.arraycopy(ta, 0, y, yo + done, r);
    }
  }

  /**
   * The vector loop of {@code op}, called with constant increments: NOTE [Constant increments].
   *
   * <p>NOTE [Constant increments]: a load at {@code xo + i * inc} with {@code inc} a variable
   * keeps C2 from hoisting the bounds checks out of the loop (range-check elimination needs a
   * constant scale), which cost about a third of the time of an in-cache add or multiply. {@link
   * #binary} therefore calls this small method with literal increments; once inlined, each call
   * site has a constant scale.
   */
  private static int loop(BinaryOp op, float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int n) {
    return switch (op) {
      case ADD -> add(a, ao, ai, b, bo, bi, y, yo, n);
      case SUB -> sub(a, ao, ai, b, bo, bi, y, yo, n);
      case MUL -> mul(a, ao, ai, b, bo, bi, y, yo, n);
      case DIV -> div(a, ao, ai, b, bo, bi, y, yo, n);
      case MAX -> max(a, ao, ai, b, bo, bi, y, yo, n);
      case MIN -> min(a, ao, ai, b, bo, bi, y, yo, n);
      case POW -> pow(a, ao, ai, b, bo, bi, y, yo, n);
    };
  }

  /**
   * {@code y[i] = op(a[i], b[i])} for i in [from, n) in scalar Java, for every op but POW.
   *
   * <p>NOTE [Exact tails]: +, -, *, / round once in IEEE arithmetic (done in double and rounded to float, as 53 >= 2 * 24 + 2 bits make that double rounding innocuous), and max/min have
   * {@code Math.max}/{@code Math.min} semantics in the vector ops too, so these scalar results
   * are bit-identical to the lanes': a run's tail, or a whole run shorter than a vector (a row of
   * 10 logits), skips the padded copies of NOTE [Padded tails], which the transcendental ops and
   * POW keep.
   */
  private static void exact(BinaryOp op, float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int from, int n) {
    for (int i = from; i < n; i++) {
      y[yo + i] = (float) ScalarMath.binary(op, a[ao + i * ai], b[bo + i * bi]);
    }
  }

  /** Lanes {@code i..i+L} of an operand with increment 1, or of its {@link #source} for increment 0. */
  private static FloatVector operand(float[] x, int xo, int inc, int i) {
    return FloatVector.fromArray(S, x, xo + i * inc);
  }

  /**
   * NOTE [Broadcast operands]: an operand with increment 0 is read, like any other, by a vector
   * load, from L copies of its value (at offset 0, see {@link #sourceOffset}). Choosing between a
   * broadcast vector and a load inside the loop instead merges two vectors at a phi, which C2 on
   * JDK 17 cannot keep in registers once both branches have been profiled (a graph mixing scalar
   * and tensor operands): the loop then boxes every vector and runs the Java fallback of the load,
   * about 50 times slower (measured on jvp of a polynomial).
   */
  private static float[] source(float[] x, int xo, int inc) {
    return inc == 0 ? Pad.f32(x, xo, 0, L, L) : x;
  }

  /** The offset of an operand in its {@link #source}. */
  private static int sourceOffset(int xo, int inc) {
    return inc == 0 ? 0 : xo;
  }

  private static int add(float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      operand(a, ao, ai, i).add(operand(b, bo, bi, i)).intoArray(y, yo + i);
    }
    return i;
  }

  private static int sub(float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      operand(a, ao, ai, i).sub(operand(b, bo, bi, i)).intoArray(y, yo + i);
    }
    return i;
  }

  private static int mul(float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      operand(a, ao, ai, i).mul(operand(b, bo, bi, i)).intoArray(y, yo + i);
    }
    return i;
  }

  private static int div(float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      operand(a, ao, ai, i).div(operand(b, bo, bi, i)).intoArray(y, yo + i);
    }
    return i;
  }

  /** Vector MAX has {@code Math.max} semantics (NaN wins, +0 > -0); tests pin this down. */
  private static int max(float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      operand(a, ao, ai, i).max(operand(b, bo, bi, i)).intoArray(y, yo + i);
    }
    return i;
  }

  private static int min(float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      operand(a, ao, ai, i).min(operand(b, bo, bi, i)).intoArray(y, yo + i);
    }
    return i;
  }

  private static int pow(float[] a, int ao, int ai, float[] b, int bo, int bi,
      float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      operand(a, ao, ai, i)
          .lanewise(VectorOperators.POW, operand(b, bo, bi, i))
          .intoArray(y, yo + i);
    }
    return i;
  }

  // ---- power by a scalar ----

  static void powScalar(float[] x, int xo, float p, float[] y, int yo, int n) {
    switch (PowPlan.of(p)) {
      case ONE -> fill(y, yo, n, 1f);
      case COPY -> System.arraycopy(x, xo, y, yo, n);
      case SQUARE -> binary(BinaryOp.MUL, x, xo, 1, x, xo, 1, y, yo, n);
      case RECIPROCAL -> binary(BinaryOp.DIV, new float[] {1f}, 0, 0, x, xo, 1, y, yo, n);
      case CUBE -> smallPower(x, xo, true, y, yo, n);
      case FOURTH -> smallPower(x, xo, false, y, yo, n);
      default -> binary(BinaryOp.POW, x, xo, 1, new float[] {p}, 0, 0, y, yo, n);
    }
  }

  /** {@code x^3} as {@code x*x*x} or {@code x^4} as {@code (x*x)^2} (NOTE [Small integer powers] in {@link PowPlan}). */
  private static void smallPower(float[] x, int xo, boolean cube, float[] y, int yo, int n) {
    int done = cube ? cube(x, xo, y, yo, n) : fourth(x, xo, y, yo, n);
    if (done < n) {
      int r = n - done;
      float[] t = Pad.f32(x, xo + done, 1, r, L);
      smallPower(t, 0, cube, t, 0, L);
      System.arraycopy(t, 0, y, yo + done, r);
    }
  }

  private static int cube(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xo + i);
      v.mul(v).mul(v).intoArray(y, yo + i);
    }
    return i;
  }

  private static int fourth(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xo + i);
      FloatVector sq = v.mul(v);
      sq.mul(sq).intoArray(y, yo + i);
    }
    return i;
  }

  private static void fill(float[] y, int yo, int n, float v) {
    java.util.Arrays.fill(y, yo, yo + n, v);
  }

  // ---- compare and select ----

  static void compare(CompareOp op, float[] a, int ao, int ainc, float[] b, int bo, int binc,
      byte[] y, int yo, int n) {
    if (!BYTE_LANES) {
      ScalarKernels.INSTANCE.compare(op, a, ao, ainc, b, bo, binc, y, yo, n);
      return;
    } else if (n == 0) {
      return;
    }
    a = source(a, ao, ainc);
    ao = sourceOffset(ao, ainc);
    b = source(b, bo, binc);
    bo = sourceOffset(bo, binc);
    int done = compareRun(op, a, ao, ainc, b, bo, binc, y, yo, n);
    if (done < n) {
      int r = n - done;
      byte[] t = new byte[L];
      compareRun(op, Pad.f32(a, ao + done * ainc, ainc, r, L), 0, 1,
          Pad.f32(b, bo + done * binc, binc, r, L), 0, 1, t, 0, L);
      System.arraycopy(t, 0, y, yo + done, r);
    }
  }

  /**
   * Every comparison is one of three constant tests: GT and GE swap the operands of LT and LE,
   * NE writes the complement of EQ (true when either side is NaN, as in Java).
   */
  private static int compareRun(CompareOp op, float[] a, int ao, int ai, float[] b, int bo,
      int bi, byte[] y, int yo, int n) {
    IntVector one = IntVector.broadcast(IS, 1);
    IntVector zero = IntVector.zero(IS);
    return switch (op) {
      case EQ -> eq(a, ao, ai, b, bo, bi, one, zero, y, yo, n);
      case NE -> eq(a, ao, ai, b, bo, bi, zero, one, y, yo, n);
      case LT -> lt(a, ao, ai, b, bo, bi, one, zero, y, yo, n);
      case GT -> lt(b, bo, bi, a, ao, ai, one, zero, y, yo, n);
      case LE -> le(a, ao, ai, b, bo, bi, one, zero, y, yo, n);
      case GE -> le(b, bo, bi, a, ao, ai, one, zero, y, yo, n);
    };
  }

  /**
   * NOTE [Mask to bytes]: on JDK 17 the direct routes from a float mask to bytes (a cast to a
   * byte mask, {@code toLong}, an F2B conversion) are not intrinsified and run 30-70x slower
   * (measured). The mask is cast to the int species of the same shape instead, picks {@code
   * yes}/{@code no} there, and narrows I2B.
   */
  private static void store(VectorMask<Float> m, IntVector yes, IntVector no, byte[] y, int at) {
    ((ByteVector) no.blend(yes, m.cast(IS)).convertShape(VectorOperators.I2B, BS, 0))
        .intoArray(y, at);
  }

  private static int eq(float[] a, int ao, int ai, float[] b, int bo, int bi, IntVector yes,
      IntVector no, byte[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VectorMask<Float> m = operand(a, ao, ai, i).compare(EQ, operand(b, bo, bi, i));
      store(m, yes, no, y, yo + i);
    }
    return i;
  }

  private static int lt(float[] a, int ao, int ai, float[] b, int bo, int bi, IntVector yes,
      IntVector no, byte[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VectorMask<Float> m = operand(a, ao, ai, i).compare(LT, operand(b, bo, bi, i));
      store(m, yes, no, y, yo + i);
    }
    return i;
  }

  private static int le(float[] a, int ao, int ai, float[] b, int bo, int bi, IntVector yes,
      IntVector no, byte[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      VectorMask<Float> m = operand(a, ao, ai, i).compare(LE, operand(b, bo, bi, i));
      store(m, yes, no, y, yo + i);
    }
    return i;
  }

  static void select(byte[] m, int mo, int minc, float[] a, int ao, int ainc, float[] b, int bo,
      int binc, float[] y, int yo, int n) {
    if (!BYTE_LANES) {
      ScalarKernels.INSTANCE.select(m, mo, minc, a, ao, ainc, b, bo, binc, y, yo, n);
      return;
    } else if (n == 0) {
      return;
    }
    a = source(a, ao, ainc);
    ao = sourceOffset(ao, ainc);
    b = source(b, bo, binc);
    bo = sourceOffset(bo, binc);
    m = minc == 0 ? Pad.bool(m, mo, 0, L, L) : m;
    mo = sourceOffset(mo, minc);
    int done = selectLoop(m, mo, minc, a, ao, ainc, b, bo, binc, y, yo, n);
    if (done < n) {
      int r = n - done;
      float[] t = Pad.f32(a, ao + done * ainc, ainc, r, L);
      selectLoop(Pad.bool(m, mo + done * minc, minc, r, L), 0, 1, t, 0, 1,
          Pad.f32(b, bo + done * binc, binc, r, L), 0, 1, t, 0, L);
      System.arraycopy(t, 0, y, yo + done, r);
    }
  }

  /** Mask bytes widen B2F (intrinsified, unlike a byte-mask cast) and compare against 0. */
  private static int selectLoop(byte[] m, int mo, int mi, float[] a, int ao, int ai, float[] b,
      int bo, int bi, float[] y, int yo, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector mv = (FloatVector) ByteVector.fromArray(BS, m, mo + i * mi)
          .convertShape(VectorOperators.B2F, S, 0);
      operand(b, bo, bi, i)
          .blend(operand(a, ao, ai, i), mv.compare(VectorOperators.NE, 0f))
          .intoArray(y, yo + i);
    }
    return i;
  }
}
