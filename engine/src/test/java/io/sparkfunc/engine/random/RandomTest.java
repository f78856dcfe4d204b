package io.sparkfunc.engine.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Primitive;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RandomTest {
  private static final Key KEY = Key.of(42);

  // ---- Philox4x32-10 known answers (Random123 tests/kat_vectors: counter[4] key[2] -> out[4]) ----

  @Test
  void philoxKnownAnswers() {
    assertPhilox(
        new int[] {0, 0, 0, 0}, 0, 0,
        new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
    assertPhilox(
        new int[] {-1, -1, -1, -1}, -1, -1,
        new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
    assertPhilox(
        new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, 0xa4093822, 0x299f31d0,
        new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
  }

  private static void assertPhilox(int[] counter, int k0, int k1, int[] expected) {
    int[] before = counter.clone();
    assertArrayEquals(expected, Philox.block(counter, k0, k1));
    assertArrayEquals(before, counter, "block must not modify its counter");
  }

  @Test
  void drawsFollowTheCounterLayout() {
    Key key = Key.ofWords(0x299f31d0a4093822L, 0x0370734413198a2eL);
    long[] bits = io.sparkfunc.engine.prim.Random.randomBits(key, DType.I64, 0, 5).toLongArray();
    for (int e = 0; e < 5; e++) {
      int[] w = Philox.block(new int[] {e >>> 1, 0, 0x13198a2e, 0x03707344}, 0xa4093822, 0x299f31d0);
      int h = 2 * (e & 1);
      assertEquals((w[h] & 0xFFFFFFFFL) | ((long) w[h + 1] << 32), bits[e], "element " + e);
    }
  }

  // ---- golden values: any change to the streams or the transforms of them fails here ----

  @Test
  void goldenRand() {
    assertArrayEquals(
        new float[] {0.4685865f, 0.3408615f, 0.32706332f, 0.45431554f, 0.6583155f, 0.77358466f},
        Random.rand(KEY, DType.F32, 6).toFloatArray());
    assertArrayEquals(
        new double[] {0.4685865183391049, 0.34086154938517876, 0.32706338120338474,
            0.4543156017348883, 0.6583155272123093, 0.7735846847302149},
        Random.rand(KEY, DType.F64, 6).toDoubleArray());
  }

  @Test
  void goldenRandn() {
    assertArrayEquals(
        new float[] {-0.60765076f, -0.85364395f, 0.2163766f, -1.0808151f, 0.17126621f, 0.80654746f},
        Random.randn(KEY, DType.F32, 6).toFloatArray(), 1e-6f);
    assertArrayEquals(
        new double[] {-0.6076510539335191, -0.8536440633116089, 0.21637628796618588,
            -1.0808154976343705, 0.17126596131881114, 0.8065475570607904},
        Random.randn(KEY, DType.F64, 6).toDoubleArray(), 1e-14);
  }

  @Test
  void goldenRandintAndKeys() {
    assertArrayEquals(
        new long[] {4, 3, 3, 4, 6, 7, 6, 3, 8, 2, 2, 0}, Random.randint(KEY, 0, 10, 12).toLongArray());
    assertEquals(Key.ofWords(0xb3296891a2e89f68L, 0x7122cfb42cb6f44eL), KEY.split(2)[0]);
    assertEquals(Key.ofWords(0x283b52128cb4e3e7L, 0x896e1a933e2fbc41L), KEY.split(2)[1]);
    assertEquals(Key.ofWords(0x213f135e697dc7efL, 0x260f36bfe1f2c18dL), KEY.foldIn(7));
  }

  @Test
  void f32IsTheF64DrawTruncatedTo24Bits() {
    float[] f = Random.rand(KEY, DType.F32, 1000).toFloatArray();
    double[] d = Random.rand(KEY, DType.F64, 1000).toDoubleArray();
    for (int i = 0; i < f.length; i++) {
      assertEquals(Math.floor(d[i] * 0x1p24) * 0x1p-24, f[i], 0.0, "element " + i);
    }
  }

  // ---- reproducibility and independence ----

  @Test
  void sameKeySameNumbersInEveryThread() throws Exception {
    List<Supplier<double[]>> draws = List.of(
        () -> Random.rand(KEY, DType.F64, 5000).toDoubleArray(),
        () -> Random.randn(KEY, DType.F32, 50, 100).toDoubleArray(),
        () -> Random.randint(KEY, -5, 5, 5000).toDoubleArray());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Supplier<double[]> draw : draws) {
        double[] expected = draw.get();
        List<Future<double[]>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          runs.add(pool.submit(draw::get));
        }
        for (Future<double[]> run : runs) {
          assertArrayEquals(expected, run.get());
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void differentKeysSplitsAndFoldsDiffer() {
    Key[] four = KEY.split(4);
    Set<Float> firsts = new HashSet<>();
    for (Key k : new Key[] {KEY, Key.of(43), four[0], four[1], four[2], four[3], KEY.foldIn(0),
        KEY.foldIn(1), KEY.foldIn(1L << 32), four[0].split(1)[0]}) {
      firsts.add(Random.rand(k, DType.F32, 1).toFloatArray()[0]);
    }
    assertEquals(10, firsts.size(), "first draws of ten different keys");
    assertEquals(four[1], KEY.split(2)[1], "child j does not depend on n");
    assertEquals(KEY.foldIn(99), Key.of(42).foldIn(99), "derivation is deterministic");
    assertNotEquals(KEY.foldIn(0), KEY.split(1)[0], "foldIn and split are separate domains");
    assertEquals(0, KEY.split(0).length);
  }

  @Test
  void elementsDependOnlyOnKeyAndIndex() {
    float[] all = Random.rand(KEY, DType.F32, 1000).toFloatArray();
    float[] prefix = Random.rand(KEY, DType.F32, 301).toFloatArray();
    for (int i = 0; i < prefix.length; i++) {
      assertEquals(all[i], prefix[i], 0f);
    }
    assertArrayEquals(all, Random.rand(KEY, DType.F32, 10, 4, 25).toFloatArray());
    Tensor middle = Random.rand(KEY, DType.F32, 10, 100).slice(0, 5, 6, 1);
    assertArrayEquals(java.util.Arrays.copyOfRange(all, 500, 600), middle.toFloatArray());
    double[] normals = Random.randn(KEY, DType.F64, 4, 25).toDoubleArray();
    assertArrayEquals(
        java.util.Arrays.copyOf(normals, 37), Random.randn(KEY, DType.F64, 37).toDoubleArray());
    long[] ints = Random.randint(KEY, 0, 1000, 100).toLongArray();
    assertArrayEquals(
        java.util.Arrays.copyOf(ints, 9), Random.randint(KEY, 0, 1000, 9).toLongArray());
  }

  // ---- distributions ----

  @Test
  void randIsUniformOnZeroOne() {
    for (DType dtype : new DType[] {DType.F32, DType.F64}) {
      Tensor u = Random.rand(Key.of(7), dtype, 1_000_000);
      assertEquals(dtype, u.dtype());
      double[] v = u.toDoubleArray();
      long[] bins = new long[10];
      double sum = 0;
      for (double x : v) {
        assertTrue(x >= 0 && x < 1, () -> "in [0,1): " + x);
        bins[(int) (x * 10)]++;
        sum += x;
      }
      assertEquals(0.5, sum / v.length, 0.002);
      assertTrue(chiSquare(bins, v.length / 10.0) < 33.7, "chi2 with 9 df, p=1e-4");
    }
  }

  @Test
  void randnHasStandardMoments() {
    for (DType dtype : new DType[] {DType.F32, DType.F64}) {
      double[] v = Random.randn(Key.of(2024), dtype, 1_000_000).toDoubleArray();
      double mean = 0;
      double sq = 0;
      long beyond196 = 0;
      for (double x : v) {
        mean += x;
        sq += x * x;
        beyond196 += Math.abs(x) > 1.959964 ? 1 : 0;
      }
      mean /= v.length;
      assertEquals(0, mean, 0.005, dtype + " mean");
      assertEquals(1, sq / v.length - mean * mean, 0.01, dtype + " variance");
      assertEquals(0.05, beyond196 / (double) v.length, 0.002, dtype + " two-sided 5% tail");
    }
  }

  @Test
  void normalScalesAndShifts() {
    double[] v = Random.normal(Key.of(5), 3, 2, DType.F64, 400_000).toDoubleArray();
    double mean = 0;
    double sq = 0;
    for (double x : v) {
      mean += x;
      sq += x * x;
    }
    mean /= v.length;
    assertEquals(3, mean, 0.02);
    assertEquals(4, sq / v.length - mean * mean, 0.05);
    assertArrayEquals(
        Random.randn(Key.of(5), DType.F32, 8).mul(2).add(3).toFloatArray(),
        Random.normal(Key.of(5), 3, 2, DType.F32, 8).toFloatArray());
  }

  @Test
  void randintStaysInRangeAndIsUnbiased() {
    Tensor r = Random.randint(Key.of(11), -3, 4, 700_000);
    assertEquals(DType.I64, r.dtype());
    long[] bins = new long[7];
    for (long x : r.toLongArray()) {
      assertTrue(x >= -3 && x < 4, () -> "in [-3,4): " + x);
      bins[(int) (x + 3)]++;
    }
    assertTrue(chiSquare(bins, 100_000) < 27.9, "chi2 with 6 df, p=1e-4");
  }

  @Test
  void randintHandlesSpansBeyondLongMax() {
    long third = 1L << 62;
    long low = Long.MIN_VALUE;
    long high = low + 3 * third; // span 3*2^62 > 2^63: a quarter of raw draws get redrawn
    long[] bins = new long[3];
    for (long x : Random.randint(Key.of(3), low, high, 300_000).toLongArray()) {
      assertTrue(x >= low && x < high, () -> "in range: " + x);
      bins[(int) Long.divideUnsigned(x - low, third)]++;
    }
    assertTrue(chiSquare(bins, 100_000) < 18.4, "chi2 with 2 df, p=1e-4");
    long[] full = Random.randint(Key.of(3), Long.MIN_VALUE, Long.MAX_VALUE, 1000).toLongArray();
    assertTrue(java.util.Arrays.stream(full).filter(x -> x < 0).count() > 400, "both signs");
  }

  @Test
  void bernoulliWithScalarAndTensorProbabilities() {
    Tensor mask = Random.bernoulli(Key.of(9), 0.3, 200_000);
    assertEquals(DType.BOOL, mask.dtype());
    assertEquals(0.3, rate(mask.toBooleanArray(), 0, 1), 0.005);
    assertEquals(0, rate(Random.bernoulli(KEY, 0, 1000).toBooleanArray(), 0, 1));
    assertEquals(1, rate(Random.bernoulli(KEY, 1, 1000).toBooleanArray(), 0, 1));

    Tensor p = Tensors.of(new float[] {0.1f, 0.9f});
    boolean[] cols = Random.bernoulli(Key.of(9), p, 100_000, 2).toBooleanArray();
    assertEquals(0.1, rate(cols, 0, 2), 0.005);
    assertEquals(0.9, rate(cols, 1, 2), 0.005);
    assertArrayEquals(new int[] {2}, Random.bernoulli(KEY, p).shape());
    assertArrayEquals(
        Random.rand(KEY, DType.F32, 2).lt(p).toBooleanArray(),
        Random.bernoulli(KEY, p).toBooleanArray(), "same uniforms as rand in p's dtype");
  }

  // ---- errors and the primitive inventory ----

  @Test
  void badArgumentsAreReported() {
    assertError(() -> Random.rand(KEY, DType.I64, 3), "rand", "i64", "randint");
    assertError(() -> Random.randn(KEY, DType.BOOL, 3), "randn", "bool");
    assertError(() -> Random.randint(KEY, 5, 5, 3), "randint", "low=5, high=5");
    assertError(() -> Random.bernoulli(KEY, 1.5, 3), "bernoulli", "p=1.5");
    assertError(() -> Random.bernoulli(KEY, Double.NaN, 3), "bernoulli", "p=NaN");
    assertError(
        () -> Random.bernoulli(KEY, Tensors.of(new float[] {0.1f, 0.2f, 0.3f}), 2),
        "bernoulli", "f32[3]");
    assertError(() -> Random.bernoulli(KEY, Tensors.of(new long[] {0}), 1), "bernoulli", "i64[1]");
    assertError(() -> Random.normal(KEY, 0, -1, DType.F32, 3), "normal", "std=-1.0");
    assertError(() -> KEY.split(-1), "Key.split", "n=-1");
    assertError(
        () -> io.sparkfunc.engine.prim.Random.randomBits(KEY, DType.F32, 5, 3),
        "random_bits", "f32");
  }

  @Test
  void randomBitsIsTheOnlyRandomPrimitive() {
    Random.rand(KEY, DType.F32, 1);
    Tensor empty = Random.randn(KEY, DType.F32, 0, 3);
    assertArrayEquals(new int[] {0, 3}, empty.shape());
    assertSame(DType.F32, Random.rand(KEY, DType.F32).dtype(), "0-d draw");
    List<String> random = new ArrayList<>();
    for (Primitive p : Primitive.all()) {
      if (p.name().contains("rand")) {
        random.add(p.name());
      }
    }
    assertEquals(List.of("random_bits"), random);
  }

  // ---- helpers ----

  private static double chiSquare(long[] observed, double expected) {
    double chi2 = 0;
    for (long o : observed) {
      chi2 += (o - expected) * (o - expected) / expected;
    }
    return chi2;
  }

  private static double rate(boolean[] v, int start, int step) {
    long hits = 0;
    long n = 0;
    for (int i = start; i < v.length; i += step) {
      hits += v[i] ? 1 : 0;
      n++;
    }
    return hits / (double) n;
  }

  static void assertError(Runnable call, String... parts) {
    EngineException e = assertThrows(EngineException.class, call::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("Fix:"), "a fix in: " + e.getMessage());
  }
}
