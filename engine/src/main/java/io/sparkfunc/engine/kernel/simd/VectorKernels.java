package io.sparkfunc.engine.kernel.simd;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.kernel.CompareOp;
import io.sparkfunc.engine.kernel.Kernels;
import io.sparkfunc.engine.kernel.ScalarKernels;
import io.sparkfunc.engine.kernel.UnaryOp;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;

/**
 * The SIMD {@link Kernels}, over {@code jdk.incubator.vector} with the preferred species (16 f32 /
 * 8 f64 lanes on AVX-512). {@code KernelProvider} loads this class reflectively through its public
 * no-arg constructor. It only dispatches: {@link ElementwiseF32}/{@link ElementwiseF64} hold the
 * elementwise loops, {@link Reduce} the reductions, {@link GemmF32}/{@link GemmF64} the matrix
 * multiply, {@link BufferLoad} the little-endian loads from off-heap buffers.
 *
 * <p>Accuracy against {@code ScalarKernels} (which computes every op in f64 and rounds):
 *
 * <ul>
 *   <li>NEG, ABS, SIGN, ADD, SUB, MUL, DIV, SQRT, MAX, MIN, compare, select: bit-identical,
 *       including NaN, ±0 and ±inf (MAX/MIN propagate NaN and order -0 below +0, as {@code
 *       Math.max}).
 *   <li>RSQRT: f64 identical ({@code 1/sqrt(x)}); f32 within 1 ulp (two f32 roundings).
 *   <li>EXP, LOG, LOG1P, EXPM1, SIN, COS, TANH, POW: the JDK's vector math (Intel SVML on x86),
 *       measured within 1 ulp of the scalar result (TANH 2) on 65536 values of varied magnitude;
 *       special values (NaN, ±inf, ±0, overflow to inf, underflow to 0, tanh saturating to ±1)
 *       match exactly. {@code VectorKernelsTest} allows 2 ulp (3 for TANH and LOGISTIC).
 *   <li>LOGISTIC: from {@code e^-|x|}, never overflows; within 2 ulp, exactly 0, 1/2, 1 at 0 and
 *       the ends.
 *   <li>ERF: the scalar kernel (the Vector API has no operator for it).
 *   <li>sum: f32 accumulates in f32 lanes (see {@link Reduce}); max/min exact.
 *   <li>gemm: f32 accumulates in f32 with FMA (the scalar twin in f64), error about {@code k *
 *       2^-24 * sum_p |a_ip b_pj|} at worst; f64 a few ulp of the same bound.
 * </ul>
 */
public final class VectorKernels implements Kernels {

  /**
   * NOTE [Vector math availability]: JDK 17 compiles EXP, LOG, TANH, POW... to vector calls only
   * where it ships a vector math library: Intel SVML on x86_64 with 256-bit vectors or wider
   * (AVX, AVX2, AVX-512; checked under {@code -XX:UseAVX=1/2/3}). Elsewhere
   * (aarch64, 128-bit SSE) the Vector API runs these lane by lane in Java, 50-100x slower than
   * {@code Math.exp} (seen: a test run under {@code -XX:UseAVX=0} did not finish in 15 minutes).
   * There the transcendental ops take the scalar kernels; arithmetic, compare, select,
   * reductions and GEMM stay vectorized. Likewise the GEMM needs fused multiply-add in hardware
   * (HotSpot's {@code UseFMA}: x86 since Haswell, every aarch64); without it a vector FMA is a
   * Java loop and {@code Math.fma} a BigDecimal computation, so gemm takes the scalar kernel.
   */
  static final boolean VECTOR_MATH =
      System.getProperty("os.arch", "").matches("amd64|x86_64")
          && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

  static final boolean HARDWARE_FMA = hardwareFma();

  private static final Kernels SCALAR = ScalarKernels.INSTANCE;

  private static boolean hardwareFma() {
    try {
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return vm == null || Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
    } catch (RuntimeException | LinkageError e) {
      return true; // not HotSpot: no way to ask, assume a current CPU
    }
  }

  /** Public for {@code KernelProvider}'s reflective lookup. */
  public VectorKernels() {}

  /** {@code simd-<bits>}, e.g. {@code simd-512}, and which parts run scalar on this CPU. */
  @Override
  public String name() {
    int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
    return "simd-" + bits + (VECTOR_MATH ? "" : "+scalar-math")
        + (HARDWARE_FMA ? "" : "+scalar-gemm");
  }

  @Override
  public void unary(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
    if (vectorized(op)) {
      ElementwiseF32.unary(op, x, xo, y, yo, n);
    } else {
      SCALAR.unary(op, x, xo, y, yo, n);
    }
  }

  @Override
  public void unary(UnaryOp op, double[] x, int xo, double[] y, int yo, int n) {
    if (vectorized(op)) {
      ElementwiseF64.unary(op, x, xo, y, yo, n);
    } else {
      SCALAR.unary(op, x, xo, y, yo, n);
    }
  }

  /**
   * False for ops the vector loops cannot run here: ERF (the Vector API has no operator for it)
   * and, without a vector math library, the transcendentals (NOTE [Vector math availability]).
   */
  private static boolean vectorized(UnaryOp op) {
    switch (op) {
      case NEG: case ABS: case SIGN: case SQRT: case RSQRT:
        return true;
      case ERF:
        return false;
      default:
        return VECTOR_MATH;
    }
  }

  @Override
  public void binary(BinaryOp op, float[] a, int ao, int ainc, float[] b, int bo, int binc,
      float[] y, int yo, int n) {
    if (VECTOR_MATH || op != BinaryOp.POW) {
      ElementwiseF32.binary(op, a, ao, ainc, b, bo, binc, y, yo, n);
    } else {
      SCALAR.binary(op, a, ao, ainc, b, bo, binc, y, yo, n);
    }
  }

  @Override
  public void binary(BinaryOp op, double[] a, int ao, int ainc, double[] b, int bo, int binc,
      double[] y, int yo, int n) {
    if (VECTOR_MATH || op != BinaryOp.POW) {
      ElementwiseF64.binary(op, a, ao, ainc, b, bo, binc, y, yo, n);
    } else {
      SCALAR.binary(op, a, ao, ainc, b, bo, binc, y, yo, n);
    }
  }

  @Override
  public void powScalar(float[] x, int xo, float p, float[] y, int yo, int n) {
    if (VECTOR_MATH || PowPlan.of(p) != PowPlan.GENERAL) {
      ElementwiseF32.powScalar(x, xo, p, y, yo, n);
    } else {
      SCALAR.powScalar(x, xo, p, y, yo, n);
    }
  }

  @Override
  public void powScalar(double[] x, int xo, double p, double[] y, int yo, int n) {
    if (VECTOR_MATH || PowPlan.of(p) != PowPlan.GENERAL) {
      ElementwiseF64.powScalar(x, xo, p, y, yo, n);
    } else {
      SCALAR.powScalar(x, xo, p, y, yo, n);
    }
  }

  @Override
  public void compare(CompareOp op, float[] a, int ao, int ainc, float[] b, int bo, int binc,
      byte[] y, int yo, int n) {
    ElementwiseF32.compare(op, a, ao, ainc, b, bo, binc, y, yo, n);
  }

  @Override
  public void compare(CompareOp op, double[] a, int ao, int ainc, double[] b, int bo, int binc,
      byte[] y, int yo, int n) {
    ElementwiseF64.compare(op, a, ao, ainc, b, bo, binc, y, yo, n);
  }

  @Override
  public void select(byte[] m, int mo, int minc, float[] a, int ao, int ainc, float[] b, int bo,
      int binc, float[] y, int yo, int n) {
    ElementwiseF32.select(m, mo, minc, a, ao, ainc, b, bo, binc, y, yo, n);
  }

  @Override
  public void select(byte[] m, int mo, int minc, double[] a, int ao, int ainc, double[] b, int bo,
      int binc, double[] y, int yo, int n) {
    ElementwiseF64.select(m, mo, minc, a, ao, ainc, b, bo, binc, y, yo, n);
  }

  @Override
  public float sum(float[] x, int xo, int n) {
    return Reduce.sum(x, xo, n);
  }

  @Override
  public double sum(double[] x, int xo, int n) {
    return Reduce.sum(x, xo, n);
  }

  @Override
  public float max(float[] x, int xo, int n) {
    return Reduce.max(x, xo, n);
  }

  @Override
  public double max(double[] x, int xo, int n) {
    return Reduce.max(x, xo, n);
  }

  @Override
  public float min(float[] x, int xo, int n) {
    return Reduce.min(x, xo, n);
  }

  @Override
  public double min(double[] x, int xo, int n) {
    return Reduce.min(x, xo, n);
  }

  @Override
  public void gemm(int m, int n, int k, float[] a, int ao, int aRow, int aCol, float[] b, int bo,
      int bRow, int bCol, float[] c, int co, int ldc, boolean accumulate) {
    if (HARDWARE_FMA) {
      GemmF32.gemm(m, n, k, a, ao, aRow, aCol, b, bo, bRow, bCol, c, co, ldc, accumulate);
    } else {
      SCALAR.gemm(m, n, k, a, ao, aRow, aCol, b, bo, bRow, bCol, c, co, ldc, accumulate);
    }
  }

  @Override
  public void gemm(int m, int n, int k, double[] a, int ao, int aRow, int aCol, double[] b,
      int bo, int bRow, int bCol, double[] c, int co, int ldc, boolean accumulate) {
    if (HARDWARE_FMA) {
      GemmF64.gemm(m, n, k, a, ao, aRow, aCol, b, bo, bRow, bCol, c, co, ldc, accumulate);
    } else {
      SCALAR.gemm(m, n, k, a, ao, aRow, aCol, b, bo, bRow, bCol, c, co, ldc, accumulate);
    }
  }

  @Override
  public void load(ByteBuffer src, int index, float[] dst, int dstOff, int n) {
    BufferLoad.f32(src, index, dst, dstOff, n);
  }

  @Override
  public void load(ByteBuffer src, int index, double[] dst, int dstOff, int n) {
    BufferLoad.f64(src, index, dst, dstOff, n);
  }
}
