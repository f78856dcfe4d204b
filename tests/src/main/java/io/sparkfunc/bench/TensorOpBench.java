package io.sparkfunc.bench;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import java.util.concurrent.TimeUnit;
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
 * The same memory-bound work as {@link ElementwiseBench} through the public ops ({@code x.add(y)},
 * {@code x.exp()}, {@code x.tanh()}, {@code x.sum()} on {@code t[10^6]}): adds the primitive's
 * shape rule and a fresh (zeroed) output per call to the kernel's time. Each call materializes
 * its result (a large elementwise result is otherwise deferred, NOTE [Elementwise fusion]).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class TensorOpBench {
  @Param({"add", "exp", "tanh", "sum"})
  public String op;

  @Param({"f32", "f64"})
  public String dtype;

  private Tensor x;
  private Tensor z;

  @Setup
  public void setup() {
    int n = ElementwiseBench.N;
    x = "f32".equals(dtype) ? Tensors.of(Data.f32(n, 1)) : Tensors.of(Data.f64(n, 1));
    z = "f32".equals(dtype) ? Tensors.of(Data.f32(n, 2)) : Tensors.of(Data.f64(n, 2));
  }

  @Benchmark
  public Tensor op() {
    return (Tensor) Workloads.settled(call());
  }

  private Tensor call() {
    switch (op) {
      case "add":
        return x.add(z);
      case "exp":
        return x.exp();
      case "tanh":
        return x.tanh();
      default:
        return x.sum();
    }
  }
}
