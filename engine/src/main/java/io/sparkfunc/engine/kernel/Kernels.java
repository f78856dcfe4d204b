package io.sparkfunc.engine.kernel;

import java.nio.ByteBuffer;

/**
 * The kernel interface: the only code that touches numbers in bulk. Two implementations exist,
 * {@link ScalarKernels} (plain Java, the test oracle and the fallback) and a SIMD one over {@code
 * jdk.incubator.vector}; {@link KernelProvider} picks one once at start.
 *
 * <p>All kernels work on heap arrays with explicit offsets. Binary kernels take an increment per
 * operand that is 1 (a contiguous run) or 0 (one value broadcast over the run). Output runs are
 * contiguous and may alias an input run exactly (that is how in-place ops and accumulations run).
 *
 * <p>Off-heap numbers (e.g. Arrow buffers) come in through {@link #load(ByteBuffer, int, float[],
 * int, int)}: the drivers stream an off-heap operand through small heap tiles filled by it (NOTE
 * [Storage staging] in {@code prim.StridedLoop}), so every other kernel keeps its array form.
 */
public interface Kernels {
  /** A short name for logs and benchmarks, e.g. {@code scalar} or {@code simd-512}. */
  String name();

  /** {@code y[yo+i] = op(x[xo+i])} for i in [0, n). */
  void unary(UnaryOp op, float[] x, int xo, float[] y, int yo, int n);

  /** f64 twin of {@link #unary(UnaryOp, float[], int, float[], int, int)}. */
  void unary(UnaryOp op, double[] x, int xo, double[] y, int yo, int n);

  /** {@code y[yo+i] = op(a[ao+i*ainc], b[bo+i*binc])}, increments 0 or 1. */
  void binary(BinaryOp op, float[] a, int ao, int ainc, float[] b, int bo, int binc, float[] y, int yo, int n);

  /** f64 twin of the f32 binary kernel. */
  void binary(BinaryOp op, double[] a, int ao, int ainc, double[] b, int bo, int binc, double[] y, int yo, int n);

  /** {@code y[yo+i] = x[xo+i] ^ p} for a scalar exponent. */
  void powScalar(float[] x, int xo, float p, float[] y, int yo, int n);

  /** f64 twin of {@link #powScalar(float[], int, float, float[], int, int)}. */
  void powScalar(double[] x, int xo, double p, double[] y, int yo, int n);

  /** {@code y[yo+i] = op(a[..], b[..]) ? 1 : 0}, increments 0 or 1. */
  void compare(CompareOp op, float[] a, int ao, int ainc, float[] b, int bo, int binc, byte[] y, int yo, int n);

  /** f64 twin of the f32 compare kernel. */
  void compare(CompareOp op, double[] a, int ao, int ainc, double[] b, int bo, int binc, byte[] y, int yo, int n);

  /** {@code y[yo+i] = m[..] != 0 ? a[..] : b[..]}, increments 0 or 1. */
  void select(byte[] m, int mo, int minc, float[] a, int ao, int ainc, float[] b, int bo, int binc, float[] y, int yo, int n);

  /** f64 twin of the f32 select kernel. */
  void select(byte[] m, int mo, int minc, double[] a, int ao, int ainc, double[] b, int bo, int binc, double[] y, int yo, int n);

  /** Sum of {@code x[xo..xo+n)} (f32 accumulation in several lanes, as PyTorch's vectorized sum). */
  float sum(float[] x, int xo, int n);

  /** Sum of {@code x[xo..xo+n)}. */
  double sum(double[] x, int xo, int n);

  /** Maximum of a non-empty run, NaN if any element is NaN. */
  float max(float[] x, int xo, int n);

  /** Maximum of a non-empty run, NaN if any element is NaN. */
  double max(double[] x, int xo, int n);

  /** Minimum of a non-empty run, NaN if any element is NaN. */
  float min(float[] x, int xo, int n);

  /** Minimum of a non-empty run, NaN if any element is NaN. */
  double min(double[] x, int xo, int n);

  /**
   * General matrix multiply {@code C = A·B (+ C if accumulate)} with {@code A: [m,k]}, {@code B:
   * [k,n]}, {@code C: [m,n]}. Each operand is addressed as {@code X[i,j] = x[xo + i*xRow + j*xCol]},
   * so transposed and strided operands need no copy by the caller.
   */
  void gemm(int m, int n, int k,
      float[] a, int ao, int aRow, int aCol,
      float[] b, int bo, int bRow, int bCol,
      float[] c, int co, int ldc, boolean accumulate);

  /** f64 twin of the f32 gemm. */
  void gemm(int m, int n, int k,
      double[] a, int ao, int aRow, int aCol,
      double[] b, int bo, int bRow, int bCol,
      double[] c, int co, int ldc, boolean accumulate);

  /**
   * {@code dst[dstOff+i] = src[index+i]} for i in [0, n): f32 elements at byte offset {@code
   * 4*(index+i)} of {@code src}, which must be in little-endian order (Arrow's layout; {@code
   * BufferStorage} buffers are). Reads {@code src} by absolute index; its position is ignored.
   */
  void load(ByteBuffer src, int index, float[] dst, int dstOff, int n);

  /** f64 twin of {@link #load(ByteBuffer, int, float[], int, int)} (byte offset {@code 8*(index+i)}). */
  void load(ByteBuffer src, int index, double[] dst, int dstOff, int n);
}
