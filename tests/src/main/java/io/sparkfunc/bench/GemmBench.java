package io.sparkfunc.bench;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.kernel.KernelProvider;
import io.sparkfunc.engine.kernel.Kernels;
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
 * Square matrix multiply {@code t[n,n]·t[n,n] -> t[n,n]}, single-threaded: {@link #kernel} is the
 * kernel's gemm into a preallocated C; {@link #matmul} the public op ({@code Tensor.matmul}: shape
 * rule, output allocation, the dot_general driver). 2n^3 flops per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class GemmBench {
  @Param({"64", "256", "1024"})
  public int n;

  @Param({"f32", "f64"})
  public String dtype;

  private final Kernels kernels = KernelProvider.get();
  private float[] af;
  private float[] bf;
  private float[] cf;
  private double[] ad;
  private double[] bd;
  private double[] cd;
  private Tensor a;
  private Tensor b;

  @Setup
  public void setup() {
    if ("f32".equals(dtype)) {
      af = Data.f32(n * n, 1);
      bf = Data.f32(n * n, 2);
      cf = new float[n * n];
      a = Tensors.of(af, n, n);
      b = Tensors.of(bf, n, n);
    } else {
      ad = Data.f64(n * n, 1);
      bd = Data.f64(n * n, 2);
      cd = new double[n * n];
      a = Tensors.of(ad, n, n);
      b = Tensors.of(bd, n, n);
    }
  }

  @Benchmark
  public void kernel() {
    if (cf != null) {
      kernels.gemm(n, n, n, af, 0, n, 1, bf, 0, n, 1, cf, 0, n, false);
    } else {
      kernels.gemm(n, n, n, ad, 0, n, 1, bd, 0, n, 1, cd, 0, n, false);
    }
  }

  @Benchmark
  public Tensor matmul() {
    return a.matmul(b);
  }
}
