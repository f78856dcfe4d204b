package io.sparkfunc.engine.kernel.simd;

/**
 * Cache-blocking sizes of the packed GEMM (NOTE [Packed GEMM] in {@link GemmF32}), in elements,
 * shared by f32 and f64. Read once from system properties so that benchmarks can tune them
 * without a rebuild: {@code sparkfunc.gemm.mc}, {@code sparkfunc.gemm.kc}, {@code
 * sparkfunc.gemm.nc}.
 *
 * <p>Defaults, sized for a Zen 5 core (48 KB L1d, 1 MB L2): KC = 256 k steps per block, so one
 * packed B panel (KC x 2 vectors, 32 KB) stays in L1 while the A panels stream past it; MC = 128
 * rows, so the packed A block (128 KB f32, 256 KB f64) sits in L2; NC = 2048 columns bound the
 * packed B block and so the per-thread buffer (2 MB f32, 4 MB f64). A sweep of KC in {256, 384,
 * 512} x MC in {64, 128, 256} at n = 1024 on the shared (loaded) machine gave results within its
 * noise of each other (100-165 GFLOP/s f32), so these stay the cache-derived values.
 */
final class Blocking {
  private Blocking() {}

  /** Rows of the register tile; the micro-kernels are written out for exactly 8. */
  static final int MR = 8;

  /** Rows of A per packed block (a multiple of MR). */
  static final int MC = roundToMr(Integer.getInteger("sparkfunc.gemm.mc", 128));

  /** Depth (k steps) per packed block. */
  static final int KC = Math.max(1, Integer.getInteger("sparkfunc.gemm.kc", 256));

  /** Columns of B per packed block. */
  static final int NC = Math.max(1, Integer.getInteger("sparkfunc.gemm.nc", 2048));

  private static int roundToMr(int v) {
    return Math.max(MR, v / MR * MR);
  }
}
