package io.sparkfunc.udfs;

import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;

/**
 * Poisson sampling of a block of cached rows, as DP-SGD's accountant assumes: every row is in a
 * step's sample independently with probability {@code q} (the distribution of Spark's {@code
 * sample(false, q)}), decided by the engine's counter-based generator so that the sample is a
 * pure function of {@code (seed, block, row)}: the same on every executor, in every task attempt,
 * however the blocks are partitioned.
 *
 * <p>NOTE [sampling inside blocks]. Row {@code r} of a block of {@code n} rows with id {@code
 * block} is sampled under {@code seed} iff {@code rand(Key.of(seed).foldIn(block), F64, n)[r] <
 * q} ({@link Random#bernoulli}; element {@code r} depends only on the key and {@code r}, NOTE
 * [Philox counter layout] in {@link Key}). A training job passes a different {@code seed} every
 * step; block ids must differ between the blocks of one data set.
 *
 * <p>Shapes: a block of {@code n} rows {@code -> i32[m]}, the sampled rows' indices in ascending
 * order, {@code m ~ Binomial(n, q)}.
 */
public final class PoissonSample {
  private PoissonSample() {}

  /**
   * The sample seed of step {@code step} of a job seeded with {@code seed}: the first 53 bits of
   * {@code Key.of(seed).foldIn(step)}, so that it is exact as a SQL double and distinct steps give
   * independent samples.
   */
  public static long stepSeed(long seed, long step) {
    return Key.of(seed).foldIn(step).k() >>> 11;
  }

  /** The rows of block {@code block} ({@code n} rows) in the sample of {@code seed}: {@code -> i32[m]}, ascending. */
  public static int[] rows(long seed, long block, int n, double q) {
    if (q >= 1) {
      return java.util.stream.IntStream.range(0, n).toArray();
    }
    if (q <= 0 || n == 0) {
      return new int[0];
    }
    boolean[] in = Random.bernoulli(Key.of(seed).foldIn(block), q, n).toBooleanArray();
    int m = 0;
    int[] rows = new int[n];
    for (int r = 0; r < n; r++) {
      if (in[r]) {
        rows[m++] = r;
      }
    }
    return java.util.Arrays.copyOf(rows, m);
  }

  /**
   * {@link #rows(long, long, int, double)} of SQL arguments, checked first: a {@link BadInput}
   * naming {@code q}, {@code seed} or {@code block_id} when one is null, the seed is not a whole
   * number or {@code q} is outside [0, 1].
   */
  public static int[] rows(String where, Double seed, Long block, int n, Double q) {
    Inputs.checkSampleRate(where, q);
    return rows(Inputs.checkSeed(where, seed), Inputs.checkBlockId(where, block), n, q);
  }
}
