package io.sparkfunc.bench;

import io.sparkfunc.engine.DType;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The transform workloads W1–W9 ({@link Workloads}), side by side with the PyTorch functorch
 * anchor ({@code bench/anchor-compare.sh}): milliseconds per call, single thread.
 *
 * <p>The forks keep G1 but give it a young generation of at least 40% of the heap ({@code
 * -XX:G1NewSizePercent=40}): with G1's default (5%), the workloads that allocate hundreds of MB
 * per call ran 10-30x slower in some JVMs and not in others (thread CPU per call, 3 JVMs each,
 * 2026-11-27: W3-loop f32 365-487 ms against 30-34 ms, W4 f32 69-668 ms against 22.5-24 ms);
 * W1, W3, W6a, W8 and W9b were unchanged. {@code -XX:+UseParallelGC} fixed W3-loop but made W4
 * 885 ms. BENCHMARKS.md §1 has the numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g",
    "-XX:+UnlockExperimentalVMOptions", "-XX:G1NewSizePercent=40"})
public class TransformBench {
  @Param({"W1", "W2d5", "W2d100", "W3", "W3loop", "W4", "W5a", "W5b", "W5c", "W6a", "W6b", "W7",
      "W8", "W9a", "W9b"})
  public String workload;

  @Param({"f32", "f64"})
  public String dtype;

  private Supplier<Object> call;

  @Setup
  public void setup() {
    call = Workloads.build(workload, "f32".equals(dtype) ? DType.F32 : DType.F64);
  }

  @Benchmark
  public Object run() {
    return call.get();
  }
}
