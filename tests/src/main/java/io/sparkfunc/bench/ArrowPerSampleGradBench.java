package io.sparkfunc.bench;

import io.sparkfunc.arrow.ArrowTensor;
import io.sparkfunc.arrow.ArrowTensors;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Per-sample gradients of one batch of {@value #N} rows, {@code vmap(grad(loss, 0), [NOT_MAPPED,
 * 0, 0])(w, x: f32[n,d], y: f32[n])}, from Arrow columns to an Arrow column and from Java arrays
 * to a Java array, on the same data:
 *
 * <ul>
 *   <li>{@code arrow}: a per-batch child allocator; {@code x} a {@code ListVector} with dense
 *       offsets (Spark's layout) and {@code y} a {@code Float4Vector}, both viewed zero-copy; the
 *       gradients written to a new {@code ListVector} in one bulk copy; everything closed.
 *   <li>{@code heap}: {@code Tensors.of(float[])} for x and y (each a copy, as the API copies) and
 *       {@code toFloatArray()} for the gradients.
 *   <li>{@code arrowCompute} / {@code heapCompute}: the transform alone, on a view held for the
 *       trial or on heap tensors built in setup.
 * </ul>
 *
 * <p>Sample-time mode: the machines here are shared, so compare the medians ({@code p0.50}) of
 * one run rather than means, which a few preempted calls dominate. Three forks by default, each
 * with G1's young generation at 40% of the heap: with G1's default sizing some forks ran the
 * same code several times slower than others (the bimodality of BENCHMARKS.md §1), which made
 * two runs disagree by 1.5x; {@code bench/arrow-bench.sh} runs this and summarizes per fork.
 *
 * <p>Models: {@code linear} is {@code (x.w - y)^2} (gradients {@code f32[n,d]}); {@code mlp} is
 * {@code (sum(tanh(x W1)) - y)^2} with {@code W1: f32[d,8]} (gradients {@code f32[n,d,8]}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g", "-XX:+UnlockExperimentalVMOptions",
    "-XX:G1NewSizePercent=40"})
public class ArrowPerSampleGradBench {
  static final int N = 4096;
  private static final int HIDDEN = 8;

  @Param({"16", "64"})
  public int d;

  @Param({"linear", "mlp"})
  public String model;

  private Fn perSample;
  private float[] xs;
  private float[] ys;
  private Tensor w;
  private Tensor xHeap;
  private Tensor yHeap;
  private BufferAllocator root;
  private ListVector xCol;
  private FieldVector yCol;
  private ArrowTensor xView;
  private ArrowTensor yView;

  @Setup(Level.Trial)
  public void setup() {
    Fn loss = "linear".equals(model)
        ? Fn.of((ww, x, y) -> x.matmul(ww).sub(y).pow(2))
        : Fn.of((ww, x, y) -> x.matmul(ww).tanh().sum().sub(y).pow(2));
    perSample = Func.vmap(Func.grad(loss, 0), List.of(Func.NOT_MAPPED, 0, 0));
    xs = Data.f32(N * d, 1);
    ys = Data.f32(N, 2);
    w = "linear".equals(model)
        ? Tensors.of(Data.f32(d, 3)) : Tensors.of(Data.f32(d * HIDDEN, 3), d, HIDDEN);
    xHeap = Tensors.of(xs, N, d);
    yHeap = Tensors.of(ys);
    root = new RootAllocator();
    xCol = ArrowTensors.toList(xHeap, "x", root);
    yCol = ArrowTensors.toValues(yHeap, "y", root);
    xView = ArrowTensors.view(xCol);
    yView = ArrowTensors.view(yCol);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    xView.close();
    yView.close();
    xCol.close();
    yCol.close();
    root.close();
  }

  @Benchmark
  public float arrow() {
    try (BufferAllocator batch = root.newChildAllocator("batch", 0, Long.MAX_VALUE);
        ArrowTensor x = ArrowTensors.view(xCol);
        ArrowTensor y = ArrowTensors.view(yCol);
        ListVector g =
            ArrowTensors.toList(perSample.tensor(w, x.tensor(), y.tensor()), "g", batch)) {
      return g.getDataVector().getDataBuffer().getFloat(0);
    }
  }

  @Benchmark
  public float[] heap() {
    return perSample.tensor(w, Tensors.of(xs, N, d), Tensors.of(ys)).toFloatArray();
  }

  @Benchmark
  public Tensor arrowCompute() {
    return (Tensor) Workloads.settled(perSample.tensor(w, xView.tensor(), yView.tensor()));
  }

  @Benchmark
  public Tensor heapCompute() {
    return (Tensor) Workloads.settled(perSample.tensor(w, xHeap, yHeap));
  }
}
