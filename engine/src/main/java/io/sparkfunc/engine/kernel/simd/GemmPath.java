package io.sparkfunc.engine.kernel.simd;

/**
 * Which algorithm a gemm call takes, chosen from its extents and operand strides only (shared by
 * {@link GemmF32} and {@link GemmF64}). Operands are addressed {@code X[i,j] = x[xo + i*xRow +
 * j*xCol]}; "contiguous" below means a unit stride along the named direction.
 *
 * <p>NOTE [GEMM paths]: the blocked, packed micro-kernel pays for itself only when every extent
 * is at least a few register tiles. Matrix-vector shapes are memory bound and want a single
 * pass over the matrix instead: a {@code DOTS} pass computes each output as a dot product of a
 * contiguous matrix row with the vector, a {@code ROWS} pass adds scaled contiguous matrix rows
 * into the output. The outer product ({@code k == 1}) is a {@code ROWS} pass per output row.
 * Below about 4x4x4 even packing costs more than the arithmetic (measured: 26 against 150 ns at
 * 2x2x2, 63 against 92 at 4x4x4, but 316 against 188 at 6x6x6), so tiny problems run plain loops.
 */
enum GemmPath {
  /** {@code m == 0} or {@code n == 0}: nothing to write. */
  EMPTY,
  /** {@code k == 0}: C is zero (or left alone when accumulating). */
  CLEAR,
  /** {@code k == 1}: {@code C[i,:] (+)= A[i,0] * B[0,:]}. */
  OUTER,
  /** {@code n == 1}, A rows contiguous: {@code C[i,0] = dot(A[i,:], B[:,0])}. */
  MATVEC_DOTS,
  /** {@code m == 1}, B columns contiguous: {@code C[0,j] = dot(A[0,:], B[:,j])}. */
  VECMAT_DOTS,
  /** {@code m == 1}, B rows contiguous: {@code C[0,:] = sum_p A[0,p] * B[p,:]}. */
  VECMAT_ROWS,
  /** {@code n == 1}, A columns contiguous: {@code C[:,0] = sum_p A[:,p] * B[p,0]}. */
  MATVEC_ROWS,
  /** Tiny problems ({@code m*n*k <= SMALL_WORK}): direct loops, no packing. */
  SMALL,
  /** Everything else: cache-blocked, packed panels, register-tiled micro-kernel. */
  PACKED;

  /** Largest {@code m*n*k} that runs unpacked; read once from {@code sparkfunc.gemm.small}. */
  static final long SMALL_WORK = Long.getLong("sparkfunc.gemm.small", 96);

  static GemmPath choose(int m, int n, int k, int aRow, int aCol, int bRow, int bCol) {
    if (m == 0 || n == 0) {
      return EMPTY;
    } else if (k == 0) {
      return CLEAR;
    } else if (k == 1) {
      return OUTER;
    } else if (n == 1 && aCol == 1) {
      return MATVEC_DOTS;
    } else if (m == 1 && bRow == 1) {
      return VECMAT_DOTS;
    } else if (m == 1 && bCol == 1) {
      return VECMAT_ROWS;
    } else if (n == 1 && aRow == 1) {
      return MATVEC_ROWS;
    } else if ((long) m * n * k <= SMALL_WORK) {
      return SMALL;
    }
    return PACKED;
  }
}
