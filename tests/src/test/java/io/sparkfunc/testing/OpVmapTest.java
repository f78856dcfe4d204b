package io.sparkfunc.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * vmap against a loop over the batch, for every registry entry, every in-dim assignment (each
 * operand unmapped, at axis 0 or at its last axis), batch sizes 1 and 3, batch size 0, and vmap
 * of vmap. Runs strict: a primitive without a batching rule fails here. Random entries run with
 * their {@link OpInfo#randomness()} (SAME: every element, like every loop step, draws the same
 * numbers). In-place entries whose destination is unmapped while a source is mapped must raise
 * torch.func's error instead (writing a batch into one tensor).
 */
@Tag("unit")
class OpVmapTest {
  private static final int MAX_ELEMENTS = 64;

  @TestFactory
  List<DynamicTest> vmapMatchesLoop() {
    List<DynamicTest> tests = new ArrayList<>();
    for (OpInfo op : OpDb.all()) {
      DType dtype = op.dtypes().contains(DType.F64) ? DType.F64 : op.dtypes().iterator().next();
      for (Sample s : small(op)) {
        for (int[] dims : Batches.assignments(s.args())) {
          for (int size : new int[] {1, 3}) {
            String name = "vmap[" + op + ", " + s.label() + ", inDims=" + Arrays.toString(dims) + ", B=" + size + "]";
            tests.add(DynamicTest.dynamicTest(name, () -> checkVmap(op, dtype, s, dims, size, name)));
          }
        }
        int[] zeros = new int[s.args().length];
        String empty = "vmap[" + op + ", " + s.label() + ", B=0]";
        tests.add(DynamicTest.dynamicTest(empty, () -> checkVmap(op, dtype, s, zeros, 0, empty)));
        String nested = "vmap(vmap)[" + op + ", " + s.label() + "]";
        tests.add(DynamicTest.dynamicTest(nested, () -> checkNested(op, dtype, s, nested)));
      }
    }
    return tests;
  }

  static List<Sample> small(OpInfo op) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : op.samples()) {
      boolean ok = true;
      for (Ref r : s.args()) {
        ok &= r.data.length <= MAX_ELEMENTS;
      }
      if (ok) {
        out.add(s);
      }
    }
    return out;
  }

  static Tensor tensor(Ref r, Sample.Arg kind, DType dtype) {
    return r.toTensor(kind == Sample.Arg.INDEX ? DType.I64 : kind == Sample.Arg.MASK ? DType.BOOL : dtype);
  }

  private static void checkVmap(OpInfo op, DType dtype, Sample s, int[] dims, int size, String name) {
    if (op.inPlace() && writesBatchIntoOne(dims)) {
      checkRefused(op, dtype, s, dims, size);
      return;
    }
    int n = s.args().length;
    Tensor got = vmap(op, inDims(dims)).tensor(batchedArgs(s, dims, size, dtype));
    Ref[] outs = new Ref[size];
    for (int b = 0; b < size; b++) {
      Tensor[] args = new Tensor[n];
      for (int i = 0; i < n; i++) {
        Ref r = dims[i] >= 0 ? Batches.variant(s.args()[i], s.kinds()[i], b) : s.args()[i];
        args[i] = tensor(r, s.kinds()[i], dtype);
      }
      outs[b] = Ref.of(op.apply(args));
    }
    int[] outShape = size > 0 ? outs[0].shape : unbatchedShape(op, s, dtype);
    Ref want = Batches.stackAt(outs, outShape, 0);
    Checks.assertClose(want, got, op.tolerance(dtype), name);
  }

  private static Fn vmap(OpInfo op, Object inDims) {
    return Func.vmap(a -> op.apply(toTensors(a)), inDims, 0, 0, op.randomness());
  }

  /** Operand 0 (the destination) unmapped while another operand is mapped. */
  private static boolean writesBatchIntoOne(int[] dims) {
    for (int i = 1; i < dims.length; i++) {
      if (dims[i] >= 0) {
        return dims[0] < 0;
      }
    }
    return false;
  }

  private static void checkRefused(OpInfo op, DType dtype, Sample s, int[] dims, int size) {
    Object[] args = batchedArgs(s, dims, size, dtype);
    EngineException e = assertThrows(EngineException.class, () -> vmap(op, inDims(dims)).apply(args));
    assertTrue(e.expected().startsWith("self to be batched when"), e.getMessage());
  }

  /** The sample's operands, each stacked at its in dim (unmapped ones as they are). */
  private static Object[] batchedArgs(Sample s, int[] dims, int size, DType dtype) {
    Object[] out = new Object[dims.length];
    for (int i = 0; i < dims.length; i++) {
      Ref r = dims[i] >= 0 ? Batches.stack(s.args()[i], s.kinds()[i], size, dims[i]) : s.args()[i];
      out[i] = tensor(r, s.kinds()[i], dtype);
    }
    return out;
  }

  private static List<Object> inDims(int[] dims) {
    List<Object> out = new ArrayList<>();
    for (int d : dims) {
      out.add(d >= 0 ? (Object) d : Func.NOT_MAPPED);
    }
    return out;
  }

  private static int[] unbatchedShape(OpInfo op, Sample s, DType dtype) {
    Tensor[] args = new Tensor[s.args().length];
    for (int i = 0; i < args.length; i++) {
      args[i] = tensor(s.args()[i], s.kinds()[i], dtype);
    }
    return op.apply(args).shape();
  }

  /** vmap(vmap(op)) with every operand mapped at 0 twice, against a double loop. */
  private static void checkNested(OpInfo op, DType dtype, Sample s, String name) {
    int n = s.args().length;
    Object[] batched = new Object[n];
    for (int i = 0; i < n; i++) {
      Ref inner0 = Batches.stack(s.args()[i], s.kinds()[i], 3, 0);
      Ref inner1 = Batches.variant(inner0, s.kinds()[i], 1);
      batched[i] = tensor(Batches.stackAt(new Ref[] {inner0, inner1}, inner0.shape, 0), s.kinds()[i], dtype);
    }
    Fn inner = vmap(op, 0);
    Tensor got = Func.vmap(inner, 0, 0, 0, op.randomness()).tensor(batched);
    Ref[] outer = new Ref[2];
    for (int o = 0; o < 2; o++) {
      Ref[] rows = new Ref[3];
      for (int b = 0; b < 3; b++) {
        Tensor[] args = new Tensor[n];
        for (int i = 0; i < n; i++) {
          Ref v = Batches.variant(s.args()[i], s.kinds()[i], b);
          args[i] = tensor(o == 0 ? v : Batches.variant(v, s.kinds()[i], 1), s.kinds()[i], dtype);
        }
        rows[b] = Ref.of(op.apply(args));
      }
      outer[o] = Batches.stackAt(rows, rows[0].shape, 0);
    }
    Checks.assertClose(Batches.stackAt(outer, outer[0].shape, 0), got, op.tolerance(dtype), name);
  }

  static Tensor[] toTensors(Object[] a) {
    Tensor[] t = new Tensor[a.length];
    for (int i = 0; i < a.length; i++) {
      t[i] = (Tensor) a[i];
    }
    return t;
  }

  static long numel(int[] shape) {
    return Shape.numel(shape);
  }
}
