package io.sparkfunc.engine.kernel.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * f64 matrix multiply, the twin of {@link GemmF32} (same paths, same blocking, 8 x 2L register
 * tile with L = 8 lanes on AVX-512); Java's primitive types force the copy.
 *
 * <p>Accuracy: FMA accumulation in f64; error below {@code k * 2^-53 * sum_p |A[i,p] B[p,j]|}.
 */
final class GemmF64 {
  private GemmF64() {}

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** The concrete (final) class of S's vectors, for {@link #exact}. */
  private static final Class<? extends Vector<Double>> EXACT = S.vectorType();
  private static final int L = S.length();
  private static final int MR = Blocking.MR;
  private static final int NR = 2 * L;
  private static final int MC = Blocking.MC;
  private static final int KC = Blocking.KC;
  private static final int NC = Blocking.NC;

  /** Per-thread packing buffers, grown on demand and reused across calls. */
  private static final class Buffers {
    double[] a = new double[0];
    double[] b = new double[0];
    final double[] tile = new double[MR * NR];
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  static void gemm(int m, int n, int k, double[] a, int ao, int aRow, int aCol, double[] b, int bo,
      int bRow, int bCol, double[] c, int co, int ldc, boolean acc) {
    switch (GemmPath.choose(m, n, k, aRow, aCol, bRow, bCol)) {
      case EMPTY -> { }
      case CLEAR -> clear(m, n, c, co, ldc, acc);
      case OUTER -> outer(m, n, a, ao, aRow, b, bo, bCol, c, co, ldc, acc);
      case MATVEC_DOTS ->
          dots(m, k, a, ao, aRow, unit(b, bo, bRow, k), unitOffset(bo, bRow), c, co, ldc, acc);
      case VECMAT_DOTS ->
          dots(n, k, b, bo, bCol, unit(a, ao, aCol, k), unitOffset(ao, aCol), c, co, 1, acc);
      case VECMAT_ROWS -> rows(n, k, a, ao, aCol, b, bo, bRow, c, co, 1, acc);
      case MATVEC_ROWS -> rows(m, k, b, bo, bRow, a, ao, aCol, c, co, ldc, acc);
      case SMALL -> small(m, n, k, a, ao, aRow, aCol, b, bo, bRow, bCol, c, co, ldc, acc);
      case PACKED -> packed(m, n, k, a, ao, aRow, aCol, b, bo, bRow, bCol, c, co, ldc, acc);
    }
  }

  private static void clear(int m, int n, double[] c, int co, int ldc, boolean acc) {
    if (!acc) {
      for (int i = 0; i < m; i++) {
        java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0.0);
      }
    }
  }

  /** {@code x[xo + p*inc]} for p < k with unit stride: x itself when inc is 1, else a copy. */
  private static double[] unit(double[] x, int xo, int inc, int k) {
    return inc == 1 ? x : Pad.f64(x, xo, inc, k, k);
  }

  /** Where {@link #unit} puts element 0. */
  private static int unitOffset(int xo, int inc) {
    return inc == 1 ? xo : 0;
  }

  // ---- matrix-vector and outer product (NOTE [GEMM paths]) ----

  /** {@code C[i,:] (+)= A[i,0] * B[0,:]}: a k=1 ROWS pass per row over B's (contiguous) row. */
  private static void outer(int m, int n, double[] a, int ao, int aRow, double[] b, int bo,
      int bCol, double[] c, int co, int ldc, boolean acc) {
    double[] row = unit(b, bo, bCol, n);
    for (int i = 0; i < m; i++) {
      rows(n, 1, a, ao + i * aRow, 0, row, unitOffset(bo, bCol), 0, c, co + i * ldc, 1, acc);
    }
  }

  /**
   * {@code y[j*yinc] (+)= sum_p x[xo + p*xinc] * M[mo + p*mRow + j]} for j < len: scaled rows of
   * a row-contiguous matrix, 4 vectors of outputs at a time held in registers over all of p.
   */
  private static void rows(int len, int k, double[] x, int xo, int xinc, double[] mat, int mo,
      int mRow, double[] y, int yo, int yinc, boolean acc) {
    int j = 0;
    for (; j + 4 * L <= len; j += 4 * L) {
      rows4(k, x, xo, xinc, mat, mo + j, mRow, y, yo + j * yinc, yinc, acc);
    }
    for (; j + L <= len; j += L) {
      rows1(k, x, xo, xinc, mat, mo + j, mRow, y, yo + j * yinc, yinc, acc);
    }
    for (; j < len; j++) {
      double s = 0.0;
      for (int p = 0; p < k; p++) {
        s = Math.fma(x[xo + p * xinc], mat[mo + p * mRow + j], s);
      }
      int at = yo + j * yinc;
      y[at] = acc ? y[at] + s : s;
    }
  }

  private static void rows4(int k, double[] x, int xo, int xinc, double[] mat, int mo, int mRow,
      double[] y, int yo, int yinc, boolean acc) {
    DoubleVector c0 = DoubleVector.zero(S);
    DoubleVector c1 = c0;
    DoubleVector c2 = c0;
    DoubleVector c3 = c0;
    for (int p = 0; p < k; p++) {
      DoubleVector xp = DoubleVector.broadcast(S, x[xo + p * xinc]);
      int r = mo + p * mRow;
      c0 = DoubleVector.fromArray(S, mat, r).fma(xp, c0);
      c1 = DoubleVector.fromArray(S, mat, r + L).fma(xp, c1);
      c2 = DoubleVector.fromArray(S, mat, r + 2 * L).fma(xp, c2);
      c3 = DoubleVector.fromArray(S, mat, r + 3 * L).fma(xp, c3);
    }
    put(c0, y, yo, yinc, acc);
    put(c1, y, yo + L * yinc, yinc, acc);
    put(c2, y, yo + 2 * L * yinc, yinc, acc);
    put(c3, y, yo + 3 * L * yinc, yinc, acc);
  }

  private static void rows1(int k, double[] x, int xo, int xinc, double[] mat, int mo, int mRow,
      double[] y, int yo, int yinc, boolean acc) {
    DoubleVector c0 = DoubleVector.zero(S);
    for (int p = 0; p < k; p++) {
      DoubleVector xp = DoubleVector.broadcast(S, x[xo + p * xinc]);
      c0 = DoubleVector.fromArray(S, mat, mo + p * mRow).fma(xp, c0);
    }
    put(c0, y, yo, yinc, acc);
  }

  /** Writes (or adds) L outputs at stride yinc. */
  private static void put(DoubleVector v, double[] y, int yo, int yinc, boolean acc) {
    v = exact(v);
    if (yinc == 1 && acc) {
      v.add(DoubleVector.fromArray(S, y, yo)).intoArray(y, yo);
    } else if (yinc == 1) {
      v.intoArray(y, yo);
    } else {
      double[] t = v.toArray();
      for (int l = 0; l < L; l++) {
        int at = yo + l * yinc;
        y[at] = acc ? y[at] + t[l] : t[l];
      }
    }
  }

  /**
   * {@code y[j*yinc] (+)= sum_p M[mo + j*mRow + p] * x[xo + p]} for j < len: dot products of
   * contiguous matrix rows with a contiguous vector, four rows at a time sharing each x load.
   */
  private static void dots(int len, int k, double[] mat, int mo, int mRow, double[] x, int xo,
      double[] y, int yo, int yinc, boolean acc) {
    int j = 0;
    for (; j + 4 <= len; j += 4) {
      dots4(k, mat, mo + j * mRow, mRow, x, xo, y, yo + j * yinc, yinc, acc);
    }
    for (; j < len; j++) {
      int r = mo + j * mRow;
      DoubleVector s0 = DoubleVector.zero(S);
      int p = 0;
      for (int end = S.loopBound(k); p < end; p += L) {
        s0 = DoubleVector.fromArray(S, mat, r + p).fma(DoubleVector.fromArray(S, x, xo + p), s0);
      }
      double s = s0.reduceLanes(VectorOperators.ADD);
      for (; p < k; p++) {
        s = Math.fma(mat[r + p], x[xo + p], s);
      }
      int at = yo + j * yinc;
      y[at] = acc ? y[at] + s : s;
    }
  }

  private static void dots4(int k, double[] mat, int r0, int mRow, double[] x, int xo, double[] y,
      int yo, int yinc, boolean acc) {
    DoubleVector s0 = DoubleVector.zero(S);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    int p = 0;
    for (int end = S.loopBound(k); p < end; p += L) {
      DoubleVector xv = DoubleVector.fromArray(S, x, xo + p);
      s0 = DoubleVector.fromArray(S, mat, r0 + p).fma(xv, s0);
      s1 = DoubleVector.fromArray(S, mat, r0 + mRow + p).fma(xv, s1);
      s2 = DoubleVector.fromArray(S, mat, r0 + 2 * mRow + p).fma(xv, s2);
      s3 = DoubleVector.fromArray(S, mat, r0 + 3 * mRow + p).fma(xv, s3);
    }
    double[] d = {
      s0.reduceLanes(VectorOperators.ADD), s1.reduceLanes(VectorOperators.ADD),
      s2.reduceLanes(VectorOperators.ADD), s3.reduceLanes(VectorOperators.ADD)
    };
    for (int r = 0; r < 4; r++) {
      double s = d[r];
      for (int q = p, row = r0 + r * mRow; q < k; q++) {
        s = Math.fma(mat[row + q], x[xo + q], s);
      }
      int at = yo + r * yinc;
      y[at] = acc ? y[at] + s : s;
    }
  }

  /** Direct loops, no packing: for problems whose whole cost is call overhead. */
  private static void small(int m, int n, int k, double[] a, int ao, int aRow, int aCol, double[] b,
      int bo, int bRow, int bCol, double[] c, int co, int ldc, boolean acc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s = Math.fma(a[ao + i * aRow + p * aCol], b[bo + p * bRow + j * bCol], s);
        }
        int at = co + i * ldc + j;
        c[at] = acc ? c[at] + s : s;
      }
    }
  }

  // ---- packed, blocked GEMM ----

  /**
   * NOTE [Packed GEMM]: the Goto/BLIS loop nest. For each NC-wide column block of B and each
   * KC-deep slice of k, B's block is packed into NR-wide panels (each k step's NR values
   * contiguous); for each MC-tall row block of A, A's block is packed into MR-tall panels. The
   * micro-kernel then multiplies one A panel by one B panel: an MR x NR tile of C held in 2*MR
   * vector registers, one FMA per register per k step, with B's panel reused from L1 and A's
   * streaming from L2. Edges are padded with zeros in the panels and only the valid part of the
   * tile reaches C, so operands of any size and any strides take the same path.
   *
   * <p>NOTE [Skinny GEMM]: packing pays for itself by reuse, and A's block is reused once per B
   * panel. With a single B panel ({@code n <= NR}: the {@code [n,64]x[64,10]} logits of a softmax
   * layer, W9a's {@code [256,32]x[32,4]}) nothing is reused and copying A cost as much as the
   * multiply, so a row-contiguous A ({@code aCol == 1}) is read in place by {@link #kernelRows};
   * only its last panel, if cut by the edge, is packed for its zero rows. Both kernels sum each
   * output in the same order, so results do not depend on the path.
   */
  private static void packed(int m, int n, int k, double[] a, int ao, int aRow, int aCol,
      double[] b, int bo, int bRow, int bCol, double[] c, int co, int ldc, boolean acc) {
    Buffers buf = BUFFERS.get();
    int kcMax = Math.min(k, KC);
    buf.a = grow(buf.a, roundUp(Math.min(m, MC), MR) * kcMax);
    buf.b = grow(buf.b, roundUp(Math.min(n, NC), NR) * kcMax);
    boolean inPlace = aCol == 1 && n <= NR;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        packB(kc, nc, b, bo + pc * bRow + jc * bCol, bRow, bCol, buf.b);
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          int at = ao + ic * aRow + pc * aCol;
          if (!inPlace) {
            packA(mc, kc, a, at, aRow, aCol, buf.a);
          }
          block(mc, nc, kc, inPlace ? a : null, at, aRow, buf, c, co + ic * ldc + jc, ldc,
              acc || pc > 0);
        }
      }
    }
  }

  private static int roundUp(int x, int r) {
    return (x + r - 1) / r * r;
  }

  private static double[] grow(double[] cur, int need) {
    return cur.length >= need ? cur : new double[need];
  }

  /**
   * All MR x NR tiles of one A block times one packed B block: A packed in {@code buf.a}, or
   * with {@code a} not null read in place from {@code a[at + i*aRow + p]} (NOTE [Skinny GEMM]),
   * where a last panel of fewer than MR rows is packed for its zero rows.
   */
  private static void block(int mc, int nc, int kc, double[] a, int at, int aRow, Buffers buf,
      double[] c, int co, int ldc, boolean acc) {
    for (int jr = 0; jr < nc; jr += NR) {
      int cols = Math.min(NR, nc - jr);
      for (int ir = 0; ir < mc; ir += MR) {
        int rows = Math.min(MR, mc - ir);
        if (a == null) {
          kernel(kc, buf.a, ir * kc, buf.b, jr * kc, buf.tile);
        } else if (rows == MR) {
          kernelRows(kc, a, at + ir * aRow, aRow, buf.b, jr * kc, buf.tile);
        } else {
          packA(rows, kc, a, at + ir * aRow, aRow, 1, buf.a);
          kernel(kc, buf.a, 0, buf.b, jr * kc, buf.tile);
        }
        writeTile(buf.tile, c, co + ir * ldc + jr, ldc, rows, cols, acc);
      }
    }
  }

  /** A's block as MR-row panels: panel q holds, for each p, rows q*MR..q*MR+MR-1 (zero past mc). */
  private static void packA(int mc, int kc, double[] a, int off, int aRow, int aCol, double[] ap) {
    int t = 0;
    for (int i = 0; i < mc; i += MR) {
      int rows = Math.min(MR, mc - i);
      for (int p = 0; p < kc; p++, t += MR) {
        int src = off + i * aRow + p * aCol;
        for (int r = 0; r < rows; r++) {
          ap[t + r] = a[src + r * aRow];
        }
        for (int r = rows; r < MR; r++) {
          ap[t + r] = 0.0;
        }
      }
    }
  }

  /**
   * B's block as NR-column panels: panel q holds, for each p, columns q*NR.. (zero past nc),
   * read along B's unit stride: whole vectors of contiguous columns, else column by column down
   * a transposed B's contiguous k.
   */
  private static void packB(int kc, int nc, double[] b, int off, int bRow, int bCol, double[] bp) {
    for (int j = 0, t = 0; j < nc; j += NR, t += NR * kc) {
      int cols = Math.min(NR, nc - j);
      int src = off + j * bCol;
      if (cols < NR) {
        java.util.Arrays.fill(bp, t, t + NR * kc, 0.0);
      }
      if (bCol == 1 && cols == NR) {
        for (int p = 0; p < kc; p++) {
          exact(DoubleVector.fromArray(S, b, src + p * bRow)).intoArray(bp, t + p * NR);
          exact(DoubleVector.fromArray(S, b, src + p * bRow + L)).intoArray(bp, t + p * NR + L);
        }
      } else if (bRow == 1) {
        for (int q = 0; q < cols; q++) {
          for (int p = 0, from = src + q * bCol; p < kc; p++) {
            bp[t + p * NR + q] = b[from + p];
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          for (int q = 0; q < cols; q++) {
            bp[t + p * NR + q] = b[src + p * bRow + q * bCol];
          }
        }
      }
    }
  }

  /**
   * {@code v} typed as exactly S's vector class. NOTE [exact vector types]: the Vector API's
   * instance methods ({@code fma}, {@code add}, {@code intoArray}) dispatch on the receiver's
   * class inside JDK code, whose receiver-type profile every caller in the JVM shares. Where C2
   * cannot prove the class (values from {@code zero}/{@code broadcast}, loop-carried
   * accumulators) it inlines by that profile: another library using another shape of the same
   * element type (MLlib's BLAS, {@code dev.ludovic.netlib.blas.VectorBLAS}, uses {@code
   * SPECIES_MAX}, i.e. {@code DoubleMaxVector}) makes it bimorphic, the store intrinsic then fails
   * and every accumulator is boxed: the micro-kernel ran 3-4x slower in a JVM that had run MLlib
   * (BENCHMARKS.md section 4.2). {@code Class.cast} with a constant class gives C2 the exact
   * class, so these calls bind statically whatever the shared profile says.
   */
  private static DoubleVector exact(DoubleVector v) {
    return (DoubleVector) EXACT.cast(v);
  }

  /**
   * The MR x NR (8 x 2L) register tile: {@code tile = Apanel · Bpanel} over kc steps. Sixteen
   * named accumulators stay in vector registers (an array would live in memory); the tile goes to
   * a scratch array so that the C update ({@link #writeTile}) is a separate small method. NOTE:
   * writing C here directly (load-add-store per accumulator) pushes the method past C2's inlining
   * node budget, the last stores stop inlining and their vectors get boxed: 10x slower, measured.
   */
  private static void kernel(int kc, double[] ap, int pa, double[] bp, int pb, double[] tile) {
    DoubleVector c00 = exact(DoubleVector.zero(S));
    DoubleVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    DoubleVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00;
    DoubleVector c71 = c00;
    for (int p = 0; p < kc; p++, pa += MR, pb += NR) {
      DoubleVector b0 = DoubleVector.fromArray(S, bp, pb);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, pb + L);
      DoubleVector a = exact(DoubleVector.broadcast(S, ap[pa]));
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = exact(DoubleVector.broadcast(S, ap[pa + 1]));
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = exact(DoubleVector.broadcast(S, ap[pa + 2]));
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = exact(DoubleVector.broadcast(S, ap[pa + 3]));
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = exact(DoubleVector.broadcast(S, ap[pa + 4]));
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = exact(DoubleVector.broadcast(S, ap[pa + 5]));
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = exact(DoubleVector.broadcast(S, ap[pa + 6]));
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = exact(DoubleVector.broadcast(S, ap[pa + 7]));
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    exact(c00).intoArray(tile, 0);
    exact(c01).intoArray(tile, L);
    exact(c10).intoArray(tile, NR);
    exact(c11).intoArray(tile, NR + L);
    exact(c20).intoArray(tile, 2 * NR);
    exact(c21).intoArray(tile, 2 * NR + L);
    exact(c30).intoArray(tile, 3 * NR);
    exact(c31).intoArray(tile, 3 * NR + L);
    exact(c40).intoArray(tile, 4 * NR);
    exact(c41).intoArray(tile, 4 * NR + L);
    exact(c50).intoArray(tile, 5 * NR);
    exact(c51).intoArray(tile, 5 * NR + L);
    exact(c60).intoArray(tile, 6 * NR);
    exact(c61).intoArray(tile, 6 * NR + L);
    exact(c70).intoArray(tile, 7 * NR);
    exact(c71).intoArray(tile, 7 * NR + L);
  }

  /**
   * {@link #kernel} on A read in place (NOTE [Skinny GEMM]): row r of the tile's A is {@code x[a0
   * + r*aRow + p]}. A second copy because the loads must keep C2's cheap forms: the packed
   * kernel's eight loads at constant offsets from one index (a shared row-offset form costs the
   * big products a third of their speed, measured), these eight unit-stride runs.
   */
  private static void kernelRows(int kc, double[] x, int a0, int aRow, double[] bp, int pb,
      double[] tile) {
    int a1 = a0 + aRow;
    int a2 = a1 + aRow;
    int a3 = a2 + aRow;
    int a4 = a3 + aRow;
    int a5 = a4 + aRow;
    int a6 = a5 + aRow;
    int a7 = a6 + aRow;
    DoubleVector c00 = exact(DoubleVector.zero(S));
    DoubleVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    DoubleVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00;
    DoubleVector c71 = c00;
    for (int p = 0; p < kc; p++, pb += NR) {
      DoubleVector b0 = DoubleVector.fromArray(S, bp, pb);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, pb + L);
      DoubleVector a = exact(DoubleVector.broadcast(S, x[a0 + p]));
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = exact(DoubleVector.broadcast(S, x[a1 + p]));
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = exact(DoubleVector.broadcast(S, x[a2 + p]));
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = exact(DoubleVector.broadcast(S, x[a3 + p]));
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = exact(DoubleVector.broadcast(S, x[a4 + p]));
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = exact(DoubleVector.broadcast(S, x[a5 + p]));
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = exact(DoubleVector.broadcast(S, x[a6 + p]));
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = exact(DoubleVector.broadcast(S, x[a7 + p]));
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    exact(c00).intoArray(tile, 0);
    exact(c01).intoArray(tile, L);
    exact(c10).intoArray(tile, NR);
    exact(c11).intoArray(tile, NR + L);
    exact(c20).intoArray(tile, 2 * NR);
    exact(c21).intoArray(tile, 2 * NR + L);
    exact(c30).intoArray(tile, 3 * NR);
    exact(c31).intoArray(tile, 3 * NR + L);
    exact(c40).intoArray(tile, 4 * NR);
    exact(c41).intoArray(tile, 4 * NR + L);
    exact(c50).intoArray(tile, 5 * NR);
    exact(c51).intoArray(tile, 5 * NR + L);
    exact(c60).intoArray(tile, 6 * NR);
    exact(c61).intoArray(tile, 6 * NR + L);
    exact(c70).intoArray(tile, 7 * NR);
    exact(c71).intoArray(tile, 7 * NR + L);
  }

  /** {@code C[0:rows, 0:cols] (+)= tile[0:rows, 0:cols]}. */
  private static void writeTile(double[] tile, double[] c, int co, int ldc, int rows, int cols,
      boolean acc) {
    for (int r = 0; r < rows; r++, co += ldc) {
      int t = r * NR;
      if (cols == NR) {
        put(DoubleVector.fromArray(S, tile, t), c, co, 1, acc);
        put(DoubleVector.fromArray(S, tile, t + L), c, co + L, 1, acc);
      } else {
        for (int j = 0; j < cols; j++) {
          c[co + j] = acc ? c[co + j] + tile[t + j] : tile[t + j];
        }
      }
    }
  }
}
