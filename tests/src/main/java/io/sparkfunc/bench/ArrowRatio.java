package io.sparkfunc.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@link ArrowPerSampleGradBench}'s four calls timed in one JVM, interleaved, so that their ratios
 * do not carry the JVM-to-JVM spread of separate JMH forks (a fork's code layout and JIT choices
 * moved one benchmark's median by 30% here, more than the effect measured). After a warm-up of
 * {@code warmNs} in all (default 10 s, a quarter per call), runs {@code rounds} rounds (default
 * 30); each round
 * times {@code calls} consecutive calls of each benchmark (default: about 20 ms worth) in a
 * rotating order. Prints one line per benchmark: the median µs per call over all timed calls, then
 * arrow/heap and arrowCompute/heapCompute as ratios of those medians.
 *
 * <p>The warm-up was 3 s until the JIT's compile log showed Arrow, Netty and staging methods
 * still compiled at C1 9-10 s into the JVM on this 2-core machine, during the timed rounds: the
 * mlp d=16 ratio then read 1.13 (1.07-1.24) after 3 s and 0.83 (0.83-0.84) after 10 s in the same
 * quiet window (BENCHMARKS.md section 3). JMH's own default warm-up is 50 s.
 *
 * <p>Usage: {@code ArrowRatio linear|mlp d}; {@code bench/arrow-ratio.sh} runs it in several
 * JVMs under the bench lock.
 */
public final class ArrowRatio {
  private ArrowRatio() {}

  private static final String[] NAMES = {"heap", "arrow", "heapCompute", "arrowCompute"};

  public static void main(String[] args) {
    ArrowPerSampleGradBench b = new ArrowPerSampleGradBench();
    b.model = args[0];
    b.d = Integer.parseInt(args[1]);
    b.setup();
    try {
      List<Supplier<Object>> calls =
          List.of(b::heap, b::arrow, b::heapCompute, b::arrowCompute);
      long warm = Long.getLong("warmNs", 10_000_000_000L);
      int[] per = new int[calls.size()];
      for (int k = 0; k < calls.size(); k++) {
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < warm / calls.size() || n < 5) {
          calls.get(k).get();
          n++;
        }
        double callNs = (System.nanoTime() - t0) / (double) n;
        per[k] = Integer.getInteger("calls", Math.max(1, (int) (20e6 / callNs)));
      }
      int rounds = Integer.getInteger("rounds", 30);
      List<List<Double>> times = new ArrayList<>();
      for (int k = 0; k < calls.size(); k++) {
        times.add(new ArrayList<>());
      }
      for (int r = 0; r < rounds; r++) {
        for (int j = 0; j < calls.size(); j++) {
          int k = (r + j) % calls.size();
          for (int i = 0; i < per[k]; i++) {
            long s = System.nanoTime();
            calls.get(k).get();
            times.get(k).add((System.nanoTime() - s) / 1e3);
          }
        }
      }
      double[] med = new double[calls.size()];
      StringBuilder line = new StringBuilder(b.model + " d=" + b.d);
      for (int k = 0; k < calls.size(); k++) {
        double[] t = times.get(k).stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(t);
        med[k] = t[t.length / 2];
        line.append(String.format(Locale.ROOT, " %s=%.1f", NAMES[k], med[k]));
      }
      line.append(String.format(Locale.ROOT, " arrow/heap=%.3f arrowCompute/heapCompute=%.3f",
          med[1] / med[0], med[3] / med[2]));
      System.out.println(line);
    } finally {
      b.tearDown();
    }
  }
}
