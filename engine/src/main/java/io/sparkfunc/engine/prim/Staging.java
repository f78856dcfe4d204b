package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.storage.BufferStorage;
import io.sparkfunc.engine.storage.Storage;

/**
 * Hands kernels heap arrays for operands whose numbers live off-heap, a small tile at a time
 * (NOTE [Storage staging] in {@link StridedLoop}): elementwise runs are cut into pieces of at
 * most {@link #TILE} elements and each off-heap piece is loaded into a reused tile by {@code
 * Kernels.load} (the SIMD {@code fromByteBuffer} load), so an off-heap operand is read once,
 * straight from its buffer, and never copied whole. Matrix operands of {@code dot_general} are
 * staged the same way by row or column blocks ({@link #matrix}).
 */
final class Staging {
  private Staging() {}

  /** Elements per elementwise tile: 4 KiB of f32, small enough to stay in L1 from load to use. */
  static final int TILE = 1024;

  /** A kernel call on one piece: per operand (0 is the output) its array, start and increment. */
  interface Piece {
    void run(Object[] arrays, int[] offsets, int n, int[] increments);
  }

  /**
   * Walks a loop planned by {@link Elementwise#plan} like {@link Elementwise#runs}, giving the
   * kernel heap arrays: heap operands as they are, off-heap f32/f64 operands through tiles. The
   * output must be heap. With no off-heap operand the runs pass through uncut.
   */
  static void runs(StridedLoop loop, DenseTensor out, DenseTensor[] operands, Piece piece) {
    int m = operands.length + 1;
    Object[] arrays = new Object[m];
    BufferStorage[] offHeap = new BufferStorage[m];
    arrays[0] = heapArray(out.storage());
    boolean staged = false;
    for (int i = 1; i < m; i++) {
      Storage s = operands[i - 1].storage();
      if (s.isHeap()) {
        arrays[i] = heapArray(s);
      } else {
        offHeap[i] = (BufferStorage) s;
        arrays[i] = s.dtype() == DType.F32 ? new float[TILE] : new double[TILE];
        staged = true;
      }
    }
    int[] inc = loop.innerStrides();
    int[] start = Elementwise.offsets(out, operands);
    if (!staged) {
      loop.forEach(start, (off, n) -> piece.run(arrays, off, n, inc));
      return;
    }
    int[] at = new int[m];
    loop.forEach(start, (off, n) -> {
      for (int done = 0; done < n; done += TILE) {
        int len = Math.min(TILE, n - done);
        for (int j = 0; j < m; j++) {
          at[j] = off[j] + done * inc[j];
          if (offHeap[j] != null) {
            load(offHeap[j], at[j], arrays[j], 0, inc[j] == 0 ? 1 : len);
            at[j] = 0;
          }
        }
        piece.run(arrays, at, len, inc);
      }
    });
  }

  /** {@code n} contiguous elements of off-heap {@code s} from {@code at} into {@code tile}. */
  static void load(BufferStorage s, int at, Object tile, int tileOff, int n) {
    if (tile instanceof float[]) {
      Elementwise.kernels().load(s.buffer(), at, (float[]) tile, tileOff, n);
    } else {
      Elementwise.kernels().load(s.buffer(), at, (double[]) tile, tileOff, n);
    }
  }

  /** The Java array behind heap storage. */
  static Object heapArray(Storage s) {
    switch (s.dtype()) {
      case F32:
        return s.f32Array();
      case F64:
        return s.f64Array();
      case I64:
        return s.i64Array();
      default:
        return s.boolArray();
    }
  }

  /** A matrix in a heap array: {@code x[i,j] = data[offset + i*rowStride + j*colStride]}. */
  record Block(Object data, int offset, int rowStride, int colStride) {}

  /**
   * A heap tile reused across the blocks of one op, grown on demand. {@link #matrixTiles} keeps
   * two per thread, so that ops do not allocate (and zero) a fresh tile each call.
   */
  static final class Tile {
    private Object data;

    /** An array of {@code t} with at least {@code n} elements (contents undefined). */
    Object get(DType t, int n) {
      boolean fits = t == DType.F32
          ? data instanceof float[] && ((float[]) data).length >= n
          : data instanceof double[] && ((double[]) data).length >= n;
      if (!fits) {
        data = t == DType.F32 ? new float[n] : new double[n];
      }
      return data;
    }
  }

  private static final ThreadLocal<Tile[]> MATRIX_TILES =
      ThreadLocal.withInitial(() -> new Tile[] {new Tile(), new Tile()});

  /**
   * This thread's two matrix tiles (one per GEMM operand). A caller must not hold them across a
   * call that may stage again on the same thread (kernels never call back into ops).
   */
  static Tile[] matrixTiles() {
    return MATRIX_TILES.get();
  }

  /**
   * The {@code rows x cols} block of off-heap storage {@code s} addressed {@code s[at + i*rowStride
   * + j*colStride]}, loaded into {@code tile}: in one piece when the block is contiguous, else row
   * by row when rows are, column by column when columns are (a transposed view), element by
   * element otherwise (broadcast and strided views).
   *
   * <p>The block's strides in the tile have a unit stride exactly where the source has one ({@code
   * rowStride == 1}, {@code colStride == 1}), padding a one-row or one-column block (and the
   * element-wise layout) when needed: the GEMM picks its algorithm from which strides are 1 (NOTE
   * [GEMM paths]), and a staged block must take the same one, and so sum in the same order, as
   * the operand would on the heap.
   */
  static Block matrix(BufferStorage s, int at, int rows, int rowStride, int cols, int colStride,
      Tile tile) {
    if (colStride == 1 && rowStride == 1) { // rows overlap (or one is a single element)
      Object t = tile.get(s.dtype(), rows + cols - 1);
      load(s, at, t, 0, rows + cols - 1);
      return new Block(t, 0, 1, 1);
    } else if (colStride == 1) {
      int ld = cols > 1 ? cols : 2;
      Object t = tile.get(s.dtype(), rows * ld);
      if (ld == rowStride || rows == 1) {
        load(s, at, t, 0, (rows - 1) * ld + cols);
      } else {
        for (int i = 0; i < rows; i++) {
          load(s, at + i * rowStride, t, i * ld, cols);
        }
      }
      return new Block(t, 0, ld, 1);
    } else if (rowStride == 1) {
      int ld = rows > 1 ? rows : 2;
      Object t = tile.get(s.dtype(), cols * ld);
      for (int j = 0; j < cols; j++) {
        load(s, at + j * colStride, t, j * ld, rows);
      }
      return new Block(t, 0, 1, ld);
    }
    Object t = tile.get(s.dtype(), 2 * rows * cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double v = s.getDouble(at + i * rowStride + j * colStride);
        if (t instanceof float[]) {
          ((float[]) t)[2 * (i * cols + j)] = (float) v;
        } else {
          ((double[]) t)[2 * (i * cols + j)] = v;
        }
      }
    }
    return new Block(t, 0, 2 * cols, 2);
  }
}
