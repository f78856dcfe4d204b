package io.sparkfunc.engine.random;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import java.util.Arrays;

/**
 * Random tensors from an explicit {@link Key}, composed from the single primitive {@code
 * random_bits} and ordinary ops (so they need no transform rules of their own). Same key, same
 * numbers, on any machine and in any thread; element e of a result depends only on the key and
 * e (its flat row-major index), so {@code rand(key, F32, 10)} is the first ten elements of {@code
 * rand(key, F32, 100)} and reshaping the request does not change the numbers.
 *
 * <p>Floats carry full precision: f32 results use 24 random bits, f64 results 53.
 */
public final class Random {
  private Random() {}

  private static final double TWO_PI = 2 * Math.PI;

  /** Uniform on [0, 1): {@code -> f32[shape]} or {@code f64[shape]}. */
  public static Tensor rand(Key key, DType dtype, int... shape) {
    checkFloat("rand", dtype);
    return io.sparkfunc.engine.prim.Random.randomBits(key, dtype, 0, shape);
  }

  /**
   * Standard normal (Box-Muller): {@code -> f32[shape]} or {@code f64[shape]}. Element e uses the
   * uniforms {@code u1, u2} at flat indices {@code 2e, 2e+1} of the key's stream, and is {@code
   * sqrt(-2 log(1 - u1)) * cos(2 pi u2)} (the sine half is not used, which keeps every element a
   * function of its own index). Tails reach about 5.8 sigma in f32 and 8.6 in f64.
   */
  public static Tensor randn(Key key, DType dtype, int... shape) {
    checkFloat("randn", dtype);
    int[] pairs = Arrays.copyOf(shape, shape.length + 1);
    pairs[shape.length] = 2;
    Tensor u = io.sparkfunc.engine.prim.Random.randomBits(key, dtype, 0, pairs);
    Tensor radius = u.select(-1, 0).neg().log1p().mul(-2).sqrt();
    return radius.mul(u.select(-1, 1).mul(TWO_PI).cos());
  }

  /** Normal with mean {@code mean} and standard deviation {@code std >= 0}: {@code randn * std + mean}. */
  public static Tensor normal(Key key, double mean, double std, DType dtype, int... shape) {
    checkFloat("normal", dtype);
    if (!(std >= 0)) {
      throw new EngineException(
          "normal", "std >= 0", "std=" + std, "pass the standard deviation (not the variance)");
    }
    return randn(key, dtype, shape).mul(std).add(mean);
  }

  /**
   * Integers uniform on [low, high), exactly unbiased: {@code -> i64[shape]}. Any range up to the
   * full {@code [Long.MIN_VALUE, Long.MAX_VALUE)} works.
   */
  public static Tensor randint(Key key, long low, long high, int... shape) {
    if (high <= low) {
      throw new EngineException(
          "randint", "low < high (high is exclusive)", "low=" + low + ", high=" + high,
          "pass high = largest wanted value + 1, e.g. randint(key, 0, 10, n) for 0..9");
    }
    Tensor offsets = io.sparkfunc.engine.prim.Random.randomBits(key, DType.I64, high - low, shape);
    return low == 0 ? offsets : offsets.add(Tensors.scalar(low));
  }

  /**
   * A bool mask, true with probability {@code p}: {@code -> bool[shape]}. Returns bool (as JAX), not
   * PyTorch's float 0/1: use {@code .to(DType.F32)} for that. Exact for p a multiple of 2^-53.
   */
  public static Tensor bernoulli(Key key, double p, int... shape) {
    if (!(p >= 0 && p <= 1)) {
      throw new EngineException(
          "bernoulli", "p in [0, 1]", "p=" + p, "pass a probability, e.g. 1 - dropRate");
    }
    return rand(key, DType.F64, shape).lt(p);
  }

  /**
   * A bool mask, true at each element with the probability given there by {@code p}, which
   * broadcasts to {@code shape} (no shape: {@code p}'s shape): {@code p: f32[a...] -> bool[shape]}.
   * The uniforms are drawn in {@code p}'s dtype. Probabilities are not checked (that would need
   * their values while tracing): below 0 acts as 0, above 1 as 1, NaN as 0.
   */
  public static Tensor bernoulli(Key key, Tensor p, int... shape) {
    checkFloat("bernoulli(p: " + p.type() + ")", p.dtype());
    int[] out = shape.length == 0 ? p.shape() : shape;
    TensorType target = new TensorType(p.dtype(), out);
    if (!Arrays.equals(Shape.broadcast("bernoulli", p.type(), target), out)) {
      throw new EngineException(
          "bernoulli", "probabilities that broadcast to shape " + Shape.str(out),
          "p: " + p.type(), "pass a shape that p broadcasts to, or no shape to use p's own");
    }
    return rand(key, p.dtype(), out).lt(p);
  }

  private static void checkFloat(String fn, DType dtype) {
    if (!dtype.isFloating()) {
      throw new EngineException(
          fn, "dtype f32 or f64", "dtype " + dtype,
          "draw in f32 or f64 and convert with .to(...), or use randint for integers");
    }
  }
}
