package io.sparkfunc.bench;

import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.kernel.KernelProvider;
import io.sparkfunc.engine.kernel.Kernels;
import io.sparkfunc.engine.kernel.ScalarKernels;
import io.sparkfunc.engine.kernel.UnaryOp;
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
 * Memory-bound kernels over runs of N = 10^6 elements, into preallocated outputs: {@code add}
 * ({@code y = a + b}), {@code exp}, {@code tanh}, and the full {@code sum}; SIMD kernels against
 * the scalar twin. Bytes per call: 3N (add), 2N (exp, tanh), N (sum) elements.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class ElementwiseBench {
  static final int N = 1_000_000;

  @Param({"add", "exp", "tanh", "sum"})
  public String op;

  @Param({"f32", "f64"})
  public String dtype;

  @Param({"simd", "scalar"})
  public String impl;

  private Kernels kernels;
  private float[] xf;
  private float[] zf;
  private float[] yf;
  private double[] xd;
  private double[] zd;
  private double[] yd;

  @Setup
  public void setup() {
    kernels = "scalar".equals(impl) ? ScalarKernels.INSTANCE : KernelProvider.get();
    if ("f32".equals(dtype)) {
      xf = Data.f32(N, 1);
      zf = Data.f32(N, 2);
      yf = new float[N];
    } else {
      xd = Data.f64(N, 1);
      zd = Data.f64(N, 2);
      yd = new double[N];
    }
  }

  @Benchmark
  public double kernel() {
    return xf != null ? runF32() : runF64();
  }

  private double runF32() {
    switch (op) {
      case "add":
        kernels.binary(BinaryOp.ADD, xf, 0, 1, zf, 0, 1, yf, 0, N);
        return yf[0];
      case "exp":
        kernels.unary(UnaryOp.EXP, xf, 0, yf, 0, N);
        return yf[0];
      case "tanh":
        kernels.unary(UnaryOp.TANH, xf, 0, yf, 0, N);
        return yf[0];
      default:
        return kernels.sum(xf, 0, N);
    }
  }

  private double runF64() {
    switch (op) {
      case "add":
        kernels.binary(BinaryOp.ADD, xd, 0, 1, zd, 0, 1, yd, 0, N);
        return yd[0];
      case "exp":
        kernels.unary(UnaryOp.EXP, xd, 0, yd, 0, N);
        return yd[0];
      case "tanh":
        kernels.unary(UnaryOp.TANH, xd, 0, yd, 0, N);
        return yd[0];
      default:
        return kernels.sum(xd, 0, N);
    }
  }
}
