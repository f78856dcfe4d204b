package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.TensorType;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.kernel.BinaryOp;
import io.sparkfunc.engine.kernel.CompareOp;
import io.sparkfunc.engine.kernel.KernelProvider;
import io.sparkfunc.engine.kernel.Kernels;
import io.sparkfunc.engine.kernel.ScalarMath;
import io.sparkfunc.engine.kernel.UnaryOp;
import io.sparkfunc.engine.storage.Storage;

/**
 * The drivers behind the elementwise families: dtype promotion, broadcasting, and the walk that
 * hands runs to the {@link Kernels}. f32/f64 go to the kernels; i64 and bool take a scalar path.
 * Large f32/f64 results are deferred and fused with the ops that read them ({@link FusedStorage},
 * NOTE [Elementwise fusion]).
 */
final class Elementwise {
  private Elementwise() {}

  static Kernels kernels() {
    return KernelProvider.get();
  }

  /** Shape rule of a binary arithmetic op: broadcast shapes, promote dtypes (bool+bool -> i64). */
  static TensorType binaryType(String op, TensorType a, TensorType b, boolean trueDivide) {
    DType t = a.dtype().promote(b.dtype());
    if (t == DType.BOOL) {
      t = DType.I64;
    }
    if (trueDivide && !t.isFloating()) {
      t = DType.F32;
    }
    return new TensorType(t, Shape.broadcast(op, a, b));
  }

  /**
   * Operand {@code x} in dtype {@code t}: itself if it has that dtype and is on the heap or is an
   * off-heap float (which {@link Staging} streams to the kernels), else a heap copy.
   */
  static DenseTensor prepared(DenseTensor x, DType t) {
    if (x.dtype() != t) {
      return Materialize.convert(x, t);
    }
    return x.storage().isHeap() || t.isFloating() ? x : Materialize.copy(x);
  }

  static DenseTensor unary(UnaryOp op, DenseTensor x, TensorType outType) {
    DenseTensor lazy = FusedStorage.defer(FusedStorage.Kind.UNARY, op, 0, outType, outType.dtype(), x);
    if (lazy != null) {
      return lazy;
    }
    DenseTensor out = DenseTensor.allocate(outType);
    if (outType.dtype() == DType.I64) {
      Storage s = x.storage();
      long[] y = out.storage().i64Array();
      forEachElement(x, (i, at) -> y[i] = (long) ScalarMath.unary(op, s.getLong(at)));
      return out;
    }
    DenseTensor[] ops = {prepared(x, outType.dtype())};
    StridedLoop loop = planUnit(out, ops);
    if (outType.dtype() == DType.F32) {
      Staging.runs(loop, out, ops, (arr, off, len, inc) ->
          kernels().unary(op, (float[]) arr[1], off[1], (float[]) arr[0], off[0], len));
    } else {
      Staging.runs(loop, out, ops, (arr, off, len, inc) ->
          kernels().unary(op, (double[]) arr[1], off[1], (double[]) arr[0], off[0], len));
    }
    return out;
  }

  /** {@link #plan} for a one-operand kernel, which needs the operand's runs contiguous. */
  private static StridedLoop planUnit(DenseTensor out, DenseTensor[] ops) {
    StridedLoop loop = plan(out, ops);
    if (loop.innerStrides()[1] == 1) {
      return loop;
    }
    ops[0] = Materialize.copy(ops[0]);
    return plan(out, ops);
  }

  /** Visits each element of {@code x} in row-major order: (flat output index, storage index). */
  interface ElementVisitor {
    void visit(int index, int storageIndex);
  }

  static void forEachElement(DenseTensor x, ElementVisitor v) {
    StridedLoop loop = new StridedLoop(x.shapeRef(), new int[][] {x.stridesRef()});
    int s = loop.innerStrides()[0];
    int[] flat = {0};
    loop.forEach(
        new int[] {x.offset()},
        (off, n) -> {
          for (int i = 0; i < n; i++) {
            v.visit(flat[0]++, off[0] + i * s);
          }
        });
  }

  /**
   * Plans a walk of {@code out} together with operands broadcast to its shape. Operands whose
   * inner stride is neither 0 nor 1 are replaced, in the array, by contiguous copies (NOTE
   * [Storage staging]), so read the operands' storage only after planning.
   */
  static StridedLoop plan(DenseTensor out, DenseTensor[] operands) {
    StridedLoop loop = planAsIs(out, operands);
    if (!loop.unitOrBroadcastInner()) {
      int[] st = loop.innerStrides();
      for (int i = 0; i < operands.length; i++) {
        if (st[i + 1] != 0 && st[i + 1] != 1) {
          operands[i] = Materialize.copy(operands[i]);
        }
      }
      loop = planAsIs(out, operands);
    }
    return loop;
  }

  private static StridedLoop planAsIs(DenseTensor out, DenseTensor[] operands) {
    int[] shape = out.shapeRef();
    int[][] strides = new int[operands.length + 1][];
    strides[0] = out.stridesRef();
    for (int i = 0; i < operands.length; i++) {
      strides[i + 1] = StridedLoop.broadcastStrides(operands[i], shape);
    }
    return new StridedLoop(shape, strides);
  }

  /** Start offsets for {@link StridedLoop#forEach}: the output's, then each operand's. */
  static int[] offsets(DenseTensor out, DenseTensor[] operands) {
    int[] offsets = new int[operands.length + 1];
    offsets[0] = out.offset();
    for (int i = 0; i < operands.length; i++) {
      offsets[i + 1] = operands[i].offset();
    }
    return offsets;
  }

  /** A run with its per-operand increments (index 0 is the output). */
  interface Run {
    void run(int[] offsets, int n, int[] increments);
  }

  /** Walks a planned loop, handing each run its increments. */
  static void runs(StridedLoop loop, DenseTensor out, DenseTensor[] operands, Run run) {
    int[] inc = loop.innerStrides();
    loop.forEach(offsets(out, operands), (off, n) -> run.run(off, n, inc));
  }

  static DenseTensor binary(BinaryOp op, DenseTensor a, DenseTensor b, TensorType outType) {
    DenseTensor lazy =
        FusedStorage.defer(FusedStorage.Kind.BINARY, op, 0, outType, outType.dtype(), a, b);
    if (lazy != null) {
      return lazy;
    }
    DenseTensor out = DenseTensor.allocate(outType);
    binaryInto(op, a, b, out);
    return out;
  }

  /**
   * True if kernels can write {@code out} in place: heap storage and unit stride along its
   * innermost axis of extent above 1 (the inner stride of every walk planned over it).
   */
  static boolean kernelWritable(DenseTensor out) {
    return out.storage().isHeap()
        && new StridedLoop(out.shapeRef(), new int[][] {out.stridesRef()}).innerStrides()[0] == 1;
  }

  /**
   * Writes {@code op(a, b)}, broadcast to {@code out}'s shape and computed in {@code out}'s dtype,
   * into {@code out}, which must be {@link #kernelWritable}. An operand may be {@code out} itself
   * (the same view): that is how in-place ops run.
   */
  static void binaryInto(BinaryOp op, DenseTensor a, DenseTensor b, DenseTensor out) {
    DType t = out.dtype();
    DenseTensor[] ops = {prepared(a, t), prepared(b, t)};
    StridedLoop loop = plan(out, ops);
    if (t == DType.I64) {
      Storage sa = ops[0].storage();
      Storage sb = ops[1].storage();
      long[] y = out.storage().i64Array();
      runs(loop, out, ops, (off, n, inc) -> {
        for (int i = 0; i < n; i++) {
          y[off[0] + i] =
              longBinary(op, sa.getLong(off[1] + i * inc[1]), sb.getLong(off[2] + i * inc[2]));
        }
      });
    } else if (t == DType.F32) {
      Staging.runs(loop, out, ops, (arr, off, n, inc) -> kernels().binary(op, (float[]) arr[1],
          off[1], inc[1], (float[]) arr[2], off[2], inc[2], (float[]) arr[0], off[0], n));
    } else {
      Staging.runs(loop, out, ops, (arr, off, n, inc) -> kernels().binary(op, (double[]) arr[1],
          off[1], inc[1], (double[]) arr[2], off[2], inc[2], (double[]) arr[0], off[0], n));
    }
  }

  static DenseTensor compare(CompareOp op, DenseTensor a, DenseTensor b, TensorType outType) {
    DType t = a.dtype().promote(b.dtype());
    DenseTensor lazy = FusedStorage.defer(FusedStorage.Kind.COMPARE, op, 0, outType, t, a, b);
    if (lazy != null) {
      return lazy;
    }
    DenseTensor out = DenseTensor.allocate(outType);
    DenseTensor[] ops = {prepared(a, t), prepared(b, t)};
    StridedLoop loop = plan(out, ops);
    byte[] y = out.storage().boolArray();
    if (t == DType.F32) {
      Staging.runs(loop, out, ops, (arr, off, n, inc) -> kernels().compare(op, (float[]) arr[1],
          off[1], inc[1], (float[]) arr[2], off[2], inc[2], y, off[0], n));
    } else if (t == DType.F64) {
      Staging.runs(loop, out, ops, (arr, off, n, inc) -> kernels().compare(op, (double[]) arr[1],
          off[1], inc[1], (double[]) arr[2], off[2], inc[2], y, off[0], n));
    } else {
      Storage sa = ops[0].storage();
      Storage sb = ops[1].storage();
      runs(loop, out, ops, (off, n, inc) -> {
        for (int i = 0; i < n; i++) {
          long u = sa.getLong(off[1] + i * inc[1]);
          long v = sb.getLong(off[2] + i * inc[2]);
          y[off[0] + i] = (byte) (ScalarMath.compare(op, u, v) ? 1 : 0);
        }
      });
    }
    return out;
  }

  static DenseTensor select(DenseTensor mask, DenseTensor a, DenseTensor b, TensorType outType) {
    DType t = outType.dtype();
    DenseTensor lazy = FusedStorage.defer(FusedStorage.Kind.SELECT, null, 0, outType, t, mask, a, b);
    if (lazy != null) {
      return lazy;
    }
    DenseTensor out = DenseTensor.allocate(outType);
    DenseTensor[] ops = {prepared(mask, DType.BOOL), prepared(a, t), prepared(b, t)};
    StridedLoop loop = plan(out, ops);
    byte[] m = ops[0].storage().boolArray();
    if (t == DType.F32) {
      Staging.runs(loop, out, ops, (arr, off, n, inc) -> kernels().select(m, off[1], inc[1],
          (float[]) arr[2], off[2], inc[2], (float[]) arr[3], off[3], inc[3],
          (float[]) arr[0], off[0], n));
    } else if (t == DType.F64) {
      Staging.runs(loop, out, ops, (arr, off, n, inc) -> kernels().select(m, off[1], inc[1],
          (double[]) arr[2], off[2], inc[2], (double[]) arr[3], off[3], inc[3],
          (double[]) arr[0], off[0], n));
    } else {
      Storage sa = ops[1].storage();
      Storage sb = ops[2].storage();
      Storage so = out.storage();
      runs(loop, out, ops, (off, n, inc) -> {
        for (int i = 0; i < n; i++) {
          boolean pick = m[off[1] + i * inc[1]] != 0;
          so.setLong(off[0] + i,
              pick ? sa.getLong(off[2] + i * inc[2]) : sb.getLong(off[3] + i * inc[3]));
        }
      });
    }
    return out;
  }

  static DenseTensor powScalar(DenseTensor x, double p, TensorType outType) {
    DenseTensor lazy =
        FusedStorage.defer(FusedStorage.Kind.POW_SCALAR, null, p, outType, outType.dtype(), x);
    if (lazy != null) {
      return lazy;
    }
    DenseTensor out = DenseTensor.allocate(outType);
    int n = (int) out.numel();
    if (outType.dtype() == DType.F32) {
      DenseTensor[] ops = {prepared(x, DType.F32)};
      Staging.runs(planUnit(out, ops), out, ops, (arr, off, len, inc) ->
          kernels().powScalar((float[]) arr[1], off[1], (float) p, (float[]) arr[0], off[0], len));
    } else if (outType.dtype() == DType.F64) {
      DenseTensor[] ops = {prepared(x, DType.F64)};
      Staging.runs(planUnit(out, ops), out, ops, (arr, off, len, inc) ->
          kernels().powScalar((double[]) arr[1], off[1], p, (double[]) arr[0], off[0], len));
    } else {
      DenseTensor c = Materialize.contiguous(prepared(x, outType.dtype()));
      Storage s = c.storage();
      long[] y = out.storage().i64Array();
      for (int i = 0; i < n; i++) {
        y[i] = (long) Math.pow(s.getLong(c.offset() + i), p);
      }
    }
    return out;
  }

  static long longBinary(BinaryOp op, long a, long b) {
    switch (op) {
      case ADD:
        return a + b;
      case SUB:
        return a - b;
      case MUL:
        return a * b;
      case MAX:
        return Math.max(a, b);
      case MIN:
        return Math.min(a, b);
      case POW:
        return (long) Math.pow(a, b);
      default:
        throw new EngineException(
            op.name().toLowerCase(java.util.Locale.ROOT), "floating operands", "i64 operands",
            "convert to f32 or f64 first with x.to(DType.F32)");
    }
  }
}
