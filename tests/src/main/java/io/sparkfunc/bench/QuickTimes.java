package io.sparkfunc.bench;

import io.sparkfunc.engine.DType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A quick look at the W workloads without JMH, for profiling sessions: warms each call for about
 * a second, then prints the median of 5 timed batches in ms/call and the bytes the calling thread
 * allocated per call (heap churn is most of the cost of small-tensor workloads).
 *
 * <p>Usage: {@code QuickTimes f32|f64 [ids...]} (default: every id of {@link Workloads#IDS}).
 */
public final class QuickTimes {
  private QuickTimes() {}

  public static void main(String[] args) {
    DType t = "f64".equals(args.length > 0 ? args[0] : "f32") ? DType.F64 : DType.F32;
    List<String> ids = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of(Workloads.IDS);
    for (String id : ids) {
      Supplier<Object> call = Workloads.build(id, t);
      double ms = median(call);
      System.out.printf(Locale.ROOT, "%s %s\t%.4f ms\t%.2f MB/call%n", id, t, ms, allocatedMb(call));
    }
  }

  /** Megabytes the current thread allocates in one call (after warm-up). */
  static double allocatedMb(Supplier<Object> call) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    call.get();
    return (mx.getCurrentThreadAllocatedBytes() - before) / 1e6;
  }

  /** The median ms/call of 5 batches sized to about 0.2 s each, after about 1 s of warm-up. */
  static double median(Supplier<Object> call) {
    long t0 = System.nanoTime();
    int n = 0;
    while (System.nanoTime() - t0 < Long.getLong("warmNs", 1_000_000_000L)) {
      call.get();
      n++;
    }
    int per = Math.max(1, n / 5);
    double[] times = new double[5];
    for (int r = 0; r < times.length; r++) {
      long s = System.nanoTime();
      for (int i = 0; i < per; i++) {
        call.get();
      }
      times[r] = (System.nanoTime() - s) / 1e6 / per;
    }
    Arrays.sort(times);
    return times[2];
  }
}
