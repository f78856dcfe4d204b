package io.sparkfunc.bench;

import com.sun.management.ThreadMXBean;
import io.sparkfunc.engine.DType;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The W workloads measured in CPU time and allocation, which a loaded machine disturbs far less
 * than wall time: per call, the median of 7 batches of this thread's CPU ms, the process's CPU ms
 * (adds GC and JIT threads), wall ms, and the MB this thread allocated. Warm-up is counted in
 * this thread's CPU time (default 6 s, {@code -DwarmCpuNs=...}), so a starved JVM still reaches
 * C2 code before it is timed.
 *
 * <p>Usage: {@code CpuTimes f32|f64 ids...} (ids of {@link Workloads#IDS}).
 */
public final class CpuTimes {
  private CpuTimes() {}

  public static void main(String[] args) {
    DType t = "f64".equals(args[0]) ? DType.F64 : DType.F32;
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long tid = Thread.currentThread().getId();
    for (String id : Arrays.asList(args).subList(1, args.length)) {
      Supplier<Object> call = Workloads.build(id, t);
      long c0 = threads.getCurrentThreadCpuTime();
      int n = 0;
      while (threads.getCurrentThreadCpuTime() - c0 < Long.getLong("warmCpuNs", 6_000_000_000L)) {
        call.get();
        n++;
      }
      int per = Math.max(1, n / 12);
      double[] cpu = new double[7];
      double[] proc = new double[7];
      double[] wall = new double[7];
      long a0 = threads.getThreadAllocatedBytes(tid);
      for (int r = 0; r < cpu.length; r++) {
        long c = threads.getCurrentThreadCpuTime();
        long p = os.getProcessCpuTime();
        long w = System.nanoTime();
        for (int i = 0; i < per; i++) {
          call.get();
        }
        cpu[r] = (threads.getCurrentThreadCpuTime() - c) / 1e6 / per;
        proc[r] = (os.getProcessCpuTime() - p) / 1e6 / per;
        wall[r] = (System.nanoTime() - w) / 1e6 / per;
      }
      double mb = (threads.getThreadAllocatedBytes(tid) - a0) / 1e6 / (cpu.length * per);
      Arrays.sort(cpu);
      Arrays.sort(proc);
      Arrays.sort(wall);
      System.out.printf(Locale.ROOT, "%s %s\tcpu %.3f ms\tprocess %.3f ms\twall %.3f ms\talloc %.1f MB/call%n",
          id, t, cpu[3], proc[3], wall[3], mb);
    }
  }
}
