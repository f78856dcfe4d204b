package io.sparkfunc.udfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Poisson sampling inside blocks: reproducible, Binomial-sized, independent of other blocks and steps. */
class PoissonSampleTest {
  @Test
  void theSampleIsAFunctionOfSeedBlockAndRow() {
    int[] a = PoissonSample.rows(7, 3, 1000, 0.2);
    assertArrayEquals(a, PoissonSample.rows(7, 3, 1000, 0.2), "same seed and block, same rows");
    assertFalse(Arrays.equals(a, PoissonSample.rows(8, 3, 1000, 0.2)), "another seed");
    assertFalse(Arrays.equals(a, PoissonSample.rows(7, 4, 1000, 0.2)), "another block");
    int[] prefix = PoissonSample.rows(7, 3, 500, 0.2);
    assertArrayEquals(prefix, Arrays.stream(a).filter(r -> r < 500).toArray(), "row r does not depend on the block's size");
    assertTrue(IntStream.range(1, a.length).allMatch(i -> a[i] > a[i - 1]), "ascending, no repeats");
    assertFalse(PoissonSample.stepSeed(1, 0) == PoissonSample.stepSeed(1, 1));
    assertTrue(PoissonSample.stepSeed(-5, Long.MAX_VALUE) < (1L << 53), "exact as a double");
  }

  @Test
  void sizesAreBinomialAndRowsEquallyLikely() {
    int n = 2000;
    double q = 0.1;
    int blocks = 200;
    int[] hits = new int[n];
    long total = 0;
    for (long b = 0; b < blocks; b++) {
      int[] rows = PoissonSample.rows(PoissonSample.stepSeed(11, 2), b, n, q);
      double sd = Math.sqrt(n * q * (1 - q));
      assertTrue(Math.abs(rows.length - n * q) < 5 * sd, "block " + b + ": " + rows.length + " of " + n);
      total += rows.length;
      for (int r : rows) {
        hits[r]++;
      }
    }
    double mean = (double) blocks * n * q;
    assertTrue(Math.abs(total - mean) < 5 * Math.sqrt(mean * (1 - q)), "all blocks: " + total);
    // each row is in Binomial(blocks, q) of the blocks: the first and second halves of the rows agree
    long first = Arrays.stream(hits, 0, n / 2).sum();
    long second = Arrays.stream(hits, n / 2, n).sum();
    assertTrue(Math.abs(first - second) < 5 * Math.sqrt(total), first + " vs " + second);
  }

  @Test
  void zeroAndOneAndBadRates() {
    assertEquals(0, PoissonSample.rows(1, 1, 100, 0).length);
    assertArrayEquals(IntStream.range(0, 100).toArray(), PoissonSample.rows(1, 1, 100, 1));
    assertEquals(0, PoissonSample.rows(1, 1, 0, 0.5).length);
    BadInput e = assertThrows(BadInput.class, () -> PoissonSample.rows("f", 1.0, 1L, 10, 1.5));
    assertEquals("q", e.argument());
    assertEquals("seed", assertThrows(BadInput.class, () -> PoissonSample.rows("f", 1.5, 1L, 10, 0.5)).argument());
    assertEquals("block_id", assertThrows(BadInput.class, () -> PoissonSample.rows("f", 1.0, null, 10, 0.5)).argument());
  }
}
