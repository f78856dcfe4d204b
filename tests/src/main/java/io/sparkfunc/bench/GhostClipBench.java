package io.sparkfunc.bench;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.udfs.Block;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * One thread's rows/s of {@code PerSample.clippedSum} (the ghost-clipping route, NOTE [ghost
 * clipping] in udfs) on one prepared block, as MllibAnchorBench's "engine alone" row sizes it
 * (4 MB of work per block): {@code x: f64[n,d]} uniform in [-1, 1], class labels, clip norm 1.
 * Prints rows per second of this thread's CPU time (median and best batch, see {@link #times})
 * and the bytes allocated per block. Small enough to run under a profiler (JFR).
 *
 * <p>Usage: {@code GhostClipBench [spec...]} (default {@code softmax(64,10)} and {@code
 * mlp(64,128,10;act=tanh)}).
 */
public final class GhostClipBench {
  private GhostClipBench() {}

  public static void main(String[] args) {
    String[] specs = args.length > 0 ? args : new String[] {"softmax(64,10)", "mlp(64,128,10;act=tanh)"};
    for (String spec : specs) {
      Model model = Models.parse(spec);
      PerSample ps = PerSample.of(model);
      int rows = (int) Math.min(8192, (4L << 20) / ps.gradSumBytesPerRow());
      Block block = block(model, rows);
      Tensor theta = model.init(3);
      Runnable call = () -> ps.clippedSum(theta, block, 1.0).sum().item();
      double[] ms = times(call);
      System.out.printf(Locale.ROOT, "%s\trows/block %d\tmedian %.0f rows/cpu-s\tbest %.0f rows/cpu-s\t%.2f MB/block%n",
          spec, rows, rows / ms[0] * 1e3, rows / ms[1] * 1e3, allocatedMb(call));
    }
  }

  private static Block block(Model model, int rows) {
    int d = model.numFeatures();
    Block block = new Block(d);
    Random r = new Random(1);
    double[] row = new double[d];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextDouble() * 2 - 1;
      }
      block.add(row, r.nextInt(model.numOutputs()));
    }
    return block;
  }

  /**
   * {@code [median, best]} of this thread's CPU ms per call over 7 batches of about 0.5 CPU-s,
   * after {@code -Dwarm} CPU-seconds (default 6) of warm-up. CPU time, as in {@link CpuTimes}:
   * the machine is shared, and wall time there mostly measures the other processes.
   */
  private static double[] times(Runnable call) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long warmNs = (long) (Double.parseDouble(System.getProperty("warm", "6")) * 1e9);
    long c0 = mx.getCurrentThreadCpuTime();
    int n = 0;
    while (mx.getCurrentThreadCpuTime() - c0 < warmNs) {
      call.run();
      n++;
    }
    int per = Math.max(1, (int) (n * 0.5e9 / warmNs));
    double[] ms = new double[7];
    for (int b = 0; b < ms.length; b++) {
      long s = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < per; i++) {
        call.run();
      }
      ms[b] = (mx.getCurrentThreadCpuTime() - s) / 1e6 / per;
    }
    Arrays.sort(ms);
    return new double[] {ms[3], ms[0]};
  }

  private static double allocatedMb(Runnable call) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    call.run();
    return (mx.getCurrentThreadAllocatedBytes() - before) / 1e6;
  }
}
