package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.kernel.Kernels;
import io.sparkfunc.engine.storage.BufferStorage;
import io.sparkfunc.engine.storage.Storage;
import java.util.Arrays;

/**
 * The kernel of {@code dot_general}: every case becomes GEMM calls on strided views.
 *
 * <p>NOTE [dot_general as GEMM]: lhs is read as a stack of matrices {@code A[batch][i,p]} with i
 * running over its free axes and p over its contracting axes; rhs as {@code B[batch][p,j]}; the
 * output, allocated contiguous as {@code [batch..., lhsFree..., rhsFree...]}, is {@code
 * C[batch][i,j]} with row stride N. The kernel addresses {@code A[i,p] = a[ao + i*aRow +
 * p*aCol]}, so an operand needs no copy whenever its free axes fold into one stride and its
 * contracting axes fold into another (true for contiguous, transposed, sliced and broadcast
 * views); only an operand whose axes do not fold is copied once, in the needed axis order. Batch
 * axes never need folding: a {@link StridedLoop} walks them and issues one GEMM per batch index,
 * each on packed panels of its own. Free lhs axes that are a matmul's batch axes fold into m, so
 * {@code [b,m,k]·[k,n]} is a single GEMM of {@code b*m} rows. No contracting axes means {@code k =
 * 1}: the outer product, which the kernels run as scaled row copies.
 */
final class DotGeneralDriver {
  private DotGeneralDriver() {}

  /** An operand seen as {@code [batch..., rows, cols]}: storage, offset, strides. */
  private record Matrices(DenseTensor data, int[] batchStrides, int rows, int rowStride, int cols,
      int colStride) {}

  static DenseTensor run(DenseTensor lhs, DenseTensor rhs, LinearAlgebra.DotGeneral p,
      TensorType out) {
    DenseTensor result = DenseTensor.allocate(out);
    if (result.numel() == 0) {
      return result;
    }
    DType t = out.dtype();
    int[] lhsFree = LinearAlgebra.freeAxes(lhs.rank(), p.lhsContracting(), p.lhsBatch());
    int[] rhsFree = LinearAlgebra.freeAxes(rhs.rank(), p.rhsContracting(), p.rhsBatch());
    Matrices a = matrices(Elementwise.prepared(lhs, t), p.lhsBatch(), lhsFree, p.lhsContracting());
    Matrices b = matrices(Elementwise.prepared(rhs, t), p.rhsBatch(), p.rhsContracting(), rhsFree);
    int[] batchShape = LinearAlgebra.pick(lhs.shapeRef(), p.lhsBatch());
    int[] cStrides = Shape.contiguousStrides(batchShape);
    int mn = a.rows() * b.cols();
    for (int i = 0; i < cStrides.length; i++) {
      cStrides[i] *= mn;
    }
    StridedLoop loop =
        new StridedLoop(batchShape, new int[][] {cStrides, a.batchStrides(), b.batchStrides()});
    int[] inc = loop.innerStrides();
    int[] start = {0, a.data().offset(), b.data().offset()};
    Staging.Tile[] tiles = Staging.matrixTiles();
    loop.forEach(start, (off, len) -> {
      for (int r = 0; r < len; ) {
        int k = Math.min(len - r, Math.min(entries(a, inc[1]), entries(b, inc[2])));
        Src sa = src(a, off[1] + r * inc[1], k, inc[1], tiles[0]);
        Src sb = src(b, off[2] + r * inc[2], k, inc[2], tiles[1]);
        for (int q = r; q < r + k; q++) {
          gemm(a, off[1] + q * inc[1], sa, b, off[2] + q * inc[2], sb, result, off[0] + q * inc[0],
              tiles);
        }
        r += k;
      }
    });
    return result;
  }

  /** Elements per staged block of an off-heap operand (64 KiB of f32: it stays in L2). */
  private static final int BLOCK = 16384;

  /**
   * Where a GEMM reads an operand: storage index i is {@code data[i - shift]}. Heap storage is its
   * own array (shift 0); an off-heap operand whose matrices are small is loaded span by span for
   * several batch entries at once (NOTE [Storage staging]).
   */
  private record Src(Object data, int shift) {}

  /** Elements one matrix of x spans in storage, or -1 if it cannot be staged as one span. */
  private static int span(Matrices x) {
    if (x.rows() == 0 || x.cols() == 0) {
      return 0;
    } else if (x.rowStride() < 0 || x.colStride() < 0) {
      return -1;
    }
    long s = (long) (x.rows() - 1) * x.rowStride() + (long) (x.cols() - 1) * x.colStride() + 1;
    return s > BLOCK ? -1 : (int) s;
  }

  /** How many consecutive batch entries (batch stride {@code inc}) to stage in one span. */
  private static int entries(Matrices x, int inc) {
    int s = span(x);
    if (x.data().storage().isHeap() || s == 0 || (s > 0 && inc == 0)) {
      return Integer.MAX_VALUE;
    }
    return s < 0 || inc < 0 ? 1 : Math.max(1, (BLOCK - s) / Math.max(1, inc) + 1);
  }

  /** The source of k entries of x from storage index at, or null to stage it block by block. */
  private static Src src(Matrices x, int at, int k, int inc, Staging.Tile tile) {
    Storage s = x.data().storage();
    if (s.isHeap()) {
      return new Src(Staging.heapArray(s), 0);
    }
    int span = span(x);
    if (span < 0) {
      return null;
    }
    int len = span == 0 ? 0 : (k - 1) * Math.max(inc, 0) + span; // empty matrices read nothing
    Object data = tile.get(s.dtype(), len);
    Staging.load((BufferStorage) s, at, data, 0, len);
    return new Src(data, at);
  }

  /**
   * One GEMM {@code C[m,n] = A[m,k] B[k,n]} at the given storage offsets. An operand without a
   * source (an off-heap matrix larger than a block) is staged here: A by blocks of rows, B by
   * blocks of columns, each loaded once into a heap tile and multiplied into its part of C.
   *
   * <p>The blocks keep the heap path's results bit for bit: the GEMM sums each output in an order
   * set by its algorithm and k alone (NOTE [GEMM paths]), so a block must take the algorithm the
   * whole problem would. Hence k is never split, no block is a single row or column unless the
   * whole problem is (a short last block joins the one before it, see {@link #cuts}), and the
   * staged tiles keep the operand's unit strides ({@link Staging#matrix}).
   */
  private static void gemm(Matrices a, int ao, Src sa, Matrices b, int bo, Src sb, DenseTensor c,
      int co, Staging.Tile[] tiles) {
    int m = a.rows();
    int n = b.cols();
    int depth = a.cols();
    int rowBlock = sa != null ? m : Math.max(2, BLOCK / Math.max(1, depth));
    int colBlock = sb != null ? n : Math.max(2, BLOCK / Math.max(1, depth));
    for (int j = 0; j < n; ) {
      int nj = cuts(n - j, colBlock);
      Staging.Block bb = block(b, bo + j * b.colStride(), depth, nj, sb, tiles[1]);
      for (int i = 0; i < m; ) {
        int mi = cuts(m - i, rowBlock);
        Staging.Block ab = block(a, ao + i * a.rowStride(), mi, depth, sa, tiles[0]);
        kernel(mi, nj, depth, ab, bb, c, co + i * n + j, n);
        i += mi;
      }
      j += nj;
    }
  }

  /**
   * The extent of the next block when {@code left} rows (or columns) remain: {@code size}, or
   * all that is left when that is less than two blocks (so the last block has at least {@code
   * size} unless the whole extent is smaller).
   */
  private static int cuts(int left, int size) {
    return left < 2 * size ? left : size;
  }

  /** Rows x cols of operand x from storage index at: read from its source, or a staged tile. */
  private static Staging.Block block(Matrices x, int at, int rows, int cols, Src src,
      Staging.Tile tile) {
    if (src != null) {
      return new Staging.Block(src.data(), at - src.shift(), x.rowStride(), x.colStride());
    }
    BufferStorage s = (BufferStorage) x.data().storage();
    return Staging.matrix(s, at, rows, x.rowStride(), cols, x.colStride(), tile);
  }

  private static void kernel(int m, int n, int k, Staging.Block a, Staging.Block b, DenseTensor c,
      int co, int ldc) {
    Kernels kernels = Elementwise.kernels();
    if (c.dtype() == DType.F32) {
      kernels.gemm(m, n, k, (float[]) a.data(), a.offset(), a.rowStride(), a.colStride(),
          (float[]) b.data(), b.offset(), b.rowStride(), b.colStride(),
          c.storage().f32Array(), co, ldc, false);
    } else {
      kernels.gemm(m, n, k, (double[]) a.data(), a.offset(), a.rowStride(), a.colStride(),
          (double[]) b.data(), b.offset(), b.rowStride(), b.colStride(),
          c.storage().f64Array(), co, ldc, false);
    }
  }

  /**
   * {@code x} as {@code [batch..., rows, cols]} where rows fold the axes {@code rowAxes} and cols
   * the axes {@code colAxes}: a view when both groups fold into a single stride, else a contiguous
   * copy in the order (batch, rows, cols), which always folds.
   */
  private static Matrices matrices(DenseTensor x, int[] batchAxes, int[] rowAxes, int[] colAxes) {
    int[] rowStride = fold(x, rowAxes);
    int[] colStride = fold(x, colAxes);
    if (rowStride != null && colStride != null) {
      int[] bs = LinearAlgebra.pick(x.stridesRef(), batchAxes);
      return new Matrices(x, bs, rowStride[0], rowStride[1], colStride[0], colStride[1]);
    }
    int[] order = new int[x.rank()];
    int at = 0;
    for (int[] group : new int[][] {batchAxes, rowAxes, colAxes}) {
      for (int ax : group) {
        order[at++] = ax;
      }
    }
    DenseTensor copy = Materialize.copy(permuted(x, order));
    int nb = batchAxes.length;
    int nr = rowAxes.length;
    return matrices(copy, Structural.identity(nb), range(nb, nb + nr), range(nb + nr, x.rank()));
  }

  /**
   * The (extent, stride) of {@code axes} of x folded into one axis, or null if their strides do
   * not allow it. Extent-1 axes are ignored; a group of total extent 0 or 1 gets stride 1.
   */
  private static int[] fold(DenseTensor x, int[] axes) {
    int extent = 1;
    int stride = 1;
    boolean any = false;
    for (int i = axes.length - 1; i >= 0; i--) {
      int d = x.shapeRef()[axes[i]];
      int s = x.stridesRef()[axes[i]];
      if (d == 0) {
        return new int[] {0, 1};
      } else if (d == 1) {
        continue;
      }
      if (any && s != stride * extent) {
        return null;
      }
      if (!any) {
        stride = s;
        any = true;
      }
      extent *= d;
    }
    return new int[] {extent, extent <= 1 ? 1 : stride};
  }

  private static DenseTensor permuted(DenseTensor x, int[] order) {
    int[] shape = LinearAlgebra.pick(x.shapeRef(), order);
    int[] strides = LinearAlgebra.pick(x.stridesRef(), order);
    return new DenseTensor(x.storage(), shape, strides, x.offset());
  }

  private static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }
}
