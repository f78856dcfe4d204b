package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.kernel.CompareOp;
import io.sparkfunc.engine.kernel.Kernels;
import io.sparkfunc.engine.kernel.UnaryOp;
import io.sparkfunc.engine.storage.HeapStorage;
import io.sparkfunc.engine.storage.Storage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deferred result of an elementwise op (NOTE [Elementwise fusion]): the op and its operands,
 * computed together with the deferred operands it reads, tile by tile, on first access to any
 * accessor. From then on it is heap storage over the computed array.
 *
 * <p>NOTE [Elementwise fusion]. A chain of elementwise ops over large arrays ({@code x^3 + 2x^2 +
 * x} and its jvp: 13 ops on 10^6 elements) run one at a time makes one pass over memory per op,
 * each into a fresh, cache-cold array. So the impls of the elementwise primitives (unary, pow by a
 * scalar, binary, compare, select) do not compute a large result ({@link #threshold()} elements
 * or more, f32/f64, every operand contiguous with the result's shape or a single broadcast value,
 * on the heap or itself deferred, no dtype conversion): they return a tensor over a {@code
 * FusedStorage} holding the op and its operands. Every accessor of the storage (arrays, element
 * reads and writes, bulk reads and writes, {@code isHeap}) first computes it, so every kernel and
 * every other code path works on it unchanged; a deferred result costs nothing until read.
 *
 * <p>Computing a result walks the graph of deferred results below it (each node once: a shared
 * subexpression is one step) and evaluates it in tiles of {@link #TILE} elements: per tile, each
 * step calls the same kernel the unfused op would, on slices of its operands, into a scratch tile
 * that stays in cache. Only the result is written whole, plus any node that something outside the
 * graph also reads (its consumer count exceeds its uses inside the graph): that one is written
 * whole too, in the same pass, and becomes computed. Since each element goes through the same
 * kernel op in the same order, results are bit-identical to the unfused ops ({@code
 * FusedStorageTest}). A graph holds at most {@link #MAX_NODES} deferred nodes (counted per use):
 * beyond that the operands are computed first, which bounds recursion and scratch. Results read
 * together ({@link #materializeAll}, e.g. a jvp's output and tangent) share one pass, so an input
 * they both read is read once. A node that was only ever computed as a tile inside another
 * result is computed again if it is read itself later (cheap next to a pass over memory, but
 * a transcendental op pays its arithmetic twice).
 *
 * <p>Values: an in-place write must not change a deferred result that read the old numbers.
 * Deferred results register as readers of every storage they read, and in-place primitives call
 * {@link Storage#beforeWrite()} on the storage they write (in {@code Primitive.impl}), which
 * computes the readers first. Code that writes into the Java array of a tensor directly (outside
 * the in-place primitives) must do so before building deferred results from it, as it always
 * did for any view. Threads: computing is synchronized per node and idempotent; a node shared by
 * results computed in two threads may be evaluated by both, with the same numbers.
 */
public final class FusedStorage extends Storage {
  /** Elements per tile: 16 KiB of f64, so a graph's scratch tiles stay in L2. */
  static final int TILE = 2048;

  /** Most deferred nodes one result may compute (a node counts once per use). */
  static final int MAX_NODES = 24;

  private static volatile int threshold =
      Integer.getInteger("sparkfunc.fusion.threshold", 1 << 15);

  /** What a node computes. */
  enum Kind { UNARY, POW_SCALAR, BINARY, COMPARE, SELECT }

  private final Kind kind;
  private final Object op;
  private final double exponent;
  private final DType inType;
  private final int size;
  // Operands (null once computed): storage, index of element 0, increment 1 (a run) or 0 (one
  // value). Guarded by this.
  private Storage[] sources;
  private int[] offsets;
  private int[] increments;
  /** Deferred nodes not yet computed that read this one. Guarded by this. */
  private int consumers;
  private volatile HeapStorage heap;

  private FusedStorage(DType outType, int length, Kind kind, Object op, double exponent,
      DType inType, Storage[] sources, int[] offsets, int[] increments, int size) {
    super(outType, length);
    this.kind = kind;
    this.op = op;
    this.exponent = exponent;
    this.inType = inType;
    this.sources = sources;
    this.offsets = offsets;
    this.increments = increments;
    this.size = size;
  }

  /** Results with at least this many elements are deferred; 0 turns fusion off. */
  public static int threshold() {
    return threshold;
  }

  /**
   * Sets {@link #threshold()} (tests force 1 to run everything fused, 0 to run nothing fused);
   * default 32768, or the system property {@code sparkfunc.fusion.threshold}.
   *
   * @return the previous threshold
   */
  public static int setThreshold(int elements) {
    int old = threshold;
    threshold = elements;
    return old;
  }

  /**
   * A deferred {@code op(operands)} of type {@code out}, or null if it does not qualify (see NOTE
   * [Elementwise fusion]); the caller then computes it now.
   *
   * @param in the dtype the math runs in: every operand but a select's mask must have it
   */
  static DenseTensor defer(Kind kind, Object op, double exponent, TensorType out, DType in,
      DenseTensor... operands) {
    int t = threshold;
    long numel = out.numel();
    if (t <= 0 || numel < t || numel == 0 || !in.isFloating()) {
      return null;
    }
    int n = (int) numel;
    int m = operands.length;
    Storage[] src = new Storage[m];
    int[] off = new int[m];
    int[] inc = new int[m];
    for (int i = 0; i < m; i++) {
      DenseTensor x = operands[i];
      Storage s = x.storage();
      boolean mask = kind == Kind.SELECT && i == 0;
      if (x.dtype() != (mask ? DType.BOOL : in) || !(s instanceof HeapStorage || s instanceof FusedStorage)) {
        return null;
      }
      if (x.numel() == n && x.isContiguous()) {
        inc[i] = 1;
      } else if (x.numel() != 1) {
        return null;
      }
      if (s instanceof FusedStorage && (inc[i] == 0 || x.offset() != 0 || s.length() != n)) {
        s.materialize();
      }
      src[i] = s;
      off[i] = x.offset();
    }
    int size = 1;
    for (Storage s : src) {
      size += s instanceof FusedStorage && !s.isSettled() ? ((FusedStorage) s).size : 0;
    }
    if (size > MAX_NODES) {
      for (Storage s : src) {
        s.materialize();
      }
      size = 1;
    }
    FusedStorage node = new FusedStorage(out.dtype(), n, kind, op, exponent, in, src, off, inc, size);
    for (Storage s : src) {
      s.addDeferredReader(node);
      if (s instanceof FusedStorage) {
        ((FusedStorage) s).addConsumer();
      }
    }
    int[] shape = out.shape();
    return new DenseTensor(node, shape, Shape.contiguousStrides(shape), 0);
  }

  private synchronized void addConsumer() {
    consumers++;
  }

  private synchronized void dropConsumer() {
    consumers--;
  }

  @Override
  public boolean isSettled() {
    return heap != null;
  }

  @Override
  public void materialize() {
    heap();
  }

  private HeapStorage heap() {
    HeapStorage h = heap;
    return h != null ? h : compute();
  }

  private synchronized HeapStorage compute() {
    if (heap == null) {
      new Plan(List.of(this)).run(TILE, null);
    }
    return heap;
  }

  /**
   * Computes several results at once: those of one length that are deferred and not computed yet
   * go through a single pass, so inputs they share are read once (the output and tangent of a
   * jvp both read {@code x}); the others are computed as usual.
   */
  public static void materializeAll(Collection<? extends Storage> results) {
    Map<Integer, List<FusedStorage>> byLength = new LinkedHashMap<>();
    for (Storage s : results) {
      if (s instanceof FusedStorage && !s.isSettled()) {
        byLength.computeIfAbsent(s.length(), k -> new ArrayList<>()).add((FusedStorage) s);
      } else {
        s.materialize();
      }
    }
    for (List<FusedStorage> group : byLength.values()) {
      if (group.size() == 1) {
        group.get(0).materialize();
      } else {
        new Plan(group).run(TILE, null);
      }
    }
  }

  /** Receives one tile of a streamed result: its elements {@code [start, start+n)} in {@code tile[0, n)}. */
  @FunctionalInterface
  interface TileVisitor {
    void visit(Object tile, int start, int n);
  }

  /**
   * Computes this result in tiles of whole rows of {@code row} elements and hands each tile to
   * {@code visitor} while it is in cache, without writing the result whole (it stays deferred;
   * nodes below it that something else reads are written as usual). Used by reductions that
   * consume a deferred operand (NOTE [Fused rows] in {@code ReduceDriver}).
   *
   * @return false, having done nothing, if the result is computed already or other deferred
   *     results read it (then read it whole instead)
   */
  synchronized boolean computeInRows(int row, TileVisitor visitor) {
    if (heap != null || consumers > 0) {
      return false;
    }
    new Plan(List.of(this)).run(Math.max(1, TILE / row) * row, visitor);
    return true;
  }

  /** Publishes the computed array and lets go of the operands. */
  private void complete(Object array) {
    Storage[] read;
    synchronized (this) {
      if (heap != null) {
        return;
      }
      read = sources;
      heap = array instanceof float[] ? HeapStorage.of((float[]) array)
          : array instanceof double[] ? HeapStorage.of((double[]) array)
          : HeapStorage.ofBool((byte[]) array);
      sources = null;
      offsets = null;
      increments = null;
    }
    for (Storage s : read) {
      if (s instanceof FusedStorage) {
        ((FusedStorage) s).dropConsumer();
      }
    }
  }

  /** One node of a graph being computed, with its operands resolved. */
  private static final class Step {
    final FusedStorage node;
    final Object[] leafArrays;
    final int[] leafOffsets;
    final int[] increments;
    /** Per operand, the index of the step computing it, or -1 for a leaf (a computed array). */
    final int[] children;
    final int consumers;
    final Object[] arrays;
    final int[] at;
    int uses;
    boolean root;
    Object out;
    boolean whole;

    Step(FusedStorage node, int m, int[] increments, int consumers) {
      this.node = node;
      this.leafArrays = new Object[m];
      this.leafOffsets = new int[m];
      this.increments = increments;
      this.children = new int[m];
      this.consumers = consumers;
      this.arrays = new Object[m];
      this.at = new int[m];
    }
  }

  /** The steps below one result in dependency order, and their evaluation tile by tile. */
  private static final class Plan {
    private final List<Step> steps = new ArrayList<>();
    private final Map<FusedStorage, Integer> index = new IdentityHashMap<>();
    private final int n;

    /** The steps of {@code roots}, all of one length; already computed ones are skipped. */
    Plan(List<FusedStorage> roots) {
      this.n = roots.get(0).length();
      for (FusedStorage r : roots) {
        int at = visit(r);
        if (at >= 0) {
          steps.get(at).root = true;
        }
      }
    }

    /** Adds {@code f} (after its operands) unless already computed; its step index, or -1. */
    private int visit(FusedStorage f) {
      Integer seen = index.get(f);
      if (seen != null) {
        steps.get(seen).uses++;
        return seen;
      }
      Storage[] src;
      int[] off;
      int[] inc;
      int consumers;
      synchronized (f) {
        if (f.heap != null) {
          return -1;
        }
        src = f.sources;
        off = f.offsets;
        inc = f.increments;
        consumers = f.consumers;
      }
      Step s = new Step(f, src.length, inc, consumers);
      for (int i = 0; i < src.length; i++) {
        int child = src[i] instanceof FusedStorage && !src[i].isSettled()
            ? visit((FusedStorage) src[i]) : -1;
        s.children[i] = child;
        if (child < 0) {
          s.leafArrays[i] = Staging.heapArray(src[i]);
          s.leafOffsets[i] = off[i];
        }
      }
      s.uses = 1;
      index.put(f, steps.size());
      steps.add(s);
      return steps.size() - 1;
    }

    /**
     * Evaluates the steps in tiles of {@code tile} elements; the roots are written whole, or, with
     * a {@code visitor} (one root), handed to it tile by tile.
     */
    void run(int tile, TileVisitor visitor) {
      if (steps.isEmpty()) {
        return;
      }
      Step last = steps.get(steps.size() - 1);
      for (Step s : steps) {
        s.whole = s.root ? visitor == null : s.consumers > s.uses;
        s.out = newArray(s.node.dtype(), s.whole ? n : Math.min(tile, n));
      }
      Kernels k = Elementwise.kernels();
      for (int t0 = 0; t0 < n; t0 += tile) {
        int len = Math.min(tile, n - t0);
        for (Step s : steps) {
          for (int i = 0; i < s.children.length; i++) {
            int c = s.children[i];
            if (c >= 0) {
              Step child = steps.get(c);
              s.arrays[i] = child.out;
              s.at[i] = child.whole ? t0 : 0;
            } else {
              s.arrays[i] = s.leafArrays[i];
              s.at[i] = s.leafOffsets[i] + s.increments[i] * t0;
            }
          }
          s.node.apply(k, s.arrays, s.at, s.increments, s.out, s.whole ? t0 : 0, len);
        }
        if (visitor != null) {
          visitor.visit(last.out, t0, len);
        }
      }
      for (Step s : steps) {
        if (s.whole) {
          s.node.complete(s.out);
        }
      }
    }
  }

  private static Object newArray(DType t, int length) {
    switch (t) {
      case F32:
        return new float[length];
      case F64:
        return new double[length];
      default:
        return new byte[length];
    }
  }

  /** The unfused op's kernel call on one tile: {@code y[yo..yo+n) = op(a[i] at o[i] step inc[i])}. */
  private void apply(Kernels k, Object[] a, int[] o, int[] inc, Object y, int yo, int n) {
    boolean f32 = inType == DType.F32;
    switch (kind) {
      case UNARY:
        if (f32) {
          k.unary((UnaryOp) op, (float[]) a[0], o[0], (float[]) y, yo, n);
        } else {
          k.unary((UnaryOp) op, (double[]) a[0], o[0], (double[]) y, yo, n);
        }
        break;
      case POW_SCALAR:
        if (f32) {
          k.powScalar((float[]) a[0], o[0], (float) exponent, (float[]) y, yo, n);
        } else {
          k.powScalar((double[]) a[0], o[0], exponent, (double[]) y, yo, n);
        }
        break;
      case BINARY:
        if (f32) {
          k.binary((BinaryOp) op, (float[]) a[0], o[0], inc[0], (float[]) a[1], o[1], inc[1],
              (float[]) y, yo, n);
        } else {
          k.binary((BinaryOp) op, (double[]) a[0], o[0], inc[0], (double[]) a[1], o[1], inc[1],
              (double[]) y, yo, n);
        }
        break;
      case COMPARE:
        if (f32) {
          k.compare((CompareOp) op, (float[]) a[0], o[0], inc[0], (float[]) a[1], o[1], inc[1],
              (byte[]) y, yo, n);
        } else {
          k.compare((CompareOp) op, (double[]) a[0], o[0], inc[0], (double[]) a[1], o[1], inc[1],
              (byte[]) y, yo, n);
        }
        break;
      default:
        if (f32) {
          k.select((byte[]) a[0], o[0], inc[0], (float[]) a[1], o[1], inc[1], (float[]) a[2],
              o[2], inc[2], (float[]) y, yo, n);
        } else {
          k.select((byte[]) a[0], o[0], inc[0], (double[]) a[1], o[1], inc[1], (double[]) a[2],
              o[2], inc[2], (double[]) y, yo, n);
        }
    }
  }

  // ---- every accessor computes first ----

  @Override
  public float[] f32Array() {
    return heap().f32Array();
  }

  @Override
  public double[] f64Array() {
    return heap().f64Array();
  }

  @Override
  public long[] i64Array() {
    return heap().i64Array();
  }

  @Override
  public byte[] boolArray() {
    return heap().boolArray();
  }

  @Override
  public double getDouble(int i) {
    return heap().getDouble(i);
  }

  @Override
  public long getLong(int i) {
    return heap().getLong(i);
  }

  @Override
  public void setDouble(int i, double v) {
    heap().setDouble(i, v);
  }

  @Override
  public void setLong(int i, long v) {
    heap().setLong(i, v);
  }

  @Override
  public void read(int offset, float[] dst, int dstOffset, int n) {
    heap().read(offset, dst, dstOffset, n);
  }

  @Override
  public void read(int offset, double[] dst, int dstOffset, int n) {
    heap().read(offset, dst, dstOffset, n);
  }

  @Override
  public void write(int offset, float[] src, int srcOffset, int n) {
    heap().write(offset, src, srcOffset, n);
  }

  @Override
  public void write(int offset, double[] src, int srcOffset, int n) {
    heap().write(offset, src, srcOffset, n);
  }

  @Override
  public boolean isHeap() {
    heap();
    return true;
  }
}
