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
 * <p>The forks run the throughput collector ({@code -XX:+UseParallelGC}), as batch jobs that
 * allocate many short-lived arrays should: under the default G1, W3-loop (171 MB allocated per
 * call, half of it results kept until the call returns) ran at 300-700 ms in about half of the
 * JVMs and 42-65 ms in the others; with ParallelGC at 36-51 ms in every JVM (BENCHMARKS.md §1).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g",
    "-XX:+UseParallelGC"})
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
