package io.sparkfunc.bench;

import com.sun.management.ThreadMXBean;
import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.prim.FusedStorage;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One W workload under several elementwise-fusion thresholds, interleaved in one JVM so that load
 * and JIT state hit every threshold alike: after a warm-up of every threshold, rounds of one batch
 * per threshold (about 50 ms each) in this thread's CPU time; prints per threshold the median
 * ms/call and its ratio to the first threshold's median.
 *
 * <p>Usage: {@code FusionThresholds f32|f64 id threshold...} (e.g. {@code f32 W9a 32768 1024});
 * {@code -Drounds=N} (default 40).
 */
public final class FusionThresholds {
  private FusionThresholds() {}

  public static void main(String[] args) {
    DType t = "f64".equals(args[0]) ? DType.F64 : DType.F32;
    Supplier<Object> call = Workloads.build(args[1], t);
    int[] thresholds = Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    int batch = 1;
    for (int w = 0; w < 6; w++) {
      for (int th : thresholds) {
        FusedStorage.setThreshold(th);
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < batch; i++) {
          call.get();
        }
        long ns = mx.getCurrentThreadCpuTime() - c0;
        batch = (int) Math.max(1, Math.min(10_000, batch * 50e6 / Math.max(ns, 1)));
      }
    }
    int rounds = Integer.getInteger("rounds", 40);
    double[][] ms = new double[thresholds.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int j = 0; j < thresholds.length; j++) {
        FusedStorage.setThreshold(thresholds[j]);
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < batch; i++) {
          call.get();
        }
        ms[j][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / batch;
      }
    }
    double base = median(ms[0]);
    for (int j = 0; j < thresholds.length; j++) {
      double m = median(ms[j]);
      System.out.printf(Locale.ROOT, "%s %s threshold %d\tcpu %.3f ms/call\t%.2f x threshold %d%n",
          args[1], t, thresholds[j], m, m / base, thresholds[0]);
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
