package io.sparkfunc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.storage.Storage;
import io.sparkfunc.testing.Layouts.Layout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every registry entry, every dtype, every sample, every layout: the op's result equals the plain
 * reference within the entry's tolerance, and its dtype is the input's. Runs once with the kernels
 * the JVM picked (SIMD when available) and once more under {@code -Dsparkfunc.kernels=scalar}
 * (the {@code scalar-kernels} Surefire execution), so SIMD and scalar are both held to the same
 * reference. On strided and off-heap inputs it also checks that ops leave their inputs alone.
 */
@Tag("unit")
class OpForwardTest {

  @TestFactory
  List<DynamicTest> forwardMatchesReference() {
    List<DynamicTest> tests = new ArrayList<>();
    for (OpInfo op : OpDb.all()) {
      for (DType dtype : op.dtypes()) {
        for (Sample s : op.samples()) {
          for (Layout layout : Layout.values()) {
            if (!applies(layout, s)) {
              continue;
            }
            String name = op.name() + "[" + dtype + ", " + s.label() + ", " + layout + "]";
            tests.add(DynamicTest.dynamicTest(name, () -> check(op, dtype, s, layout, name)));
          }
        }
      }
    }
    return tests;
  }

  /**
   * On strided and off-heap inputs, the op leaves every input's storage as it was (including the
   * gaps between strided elements), and, unless it is a view op, its output shares no memory with
   * an input: overwriting the whole output storage leaves the inputs unchanged too.
   */
  @TestFactory
  List<DynamicTest> inputsStayUntouched() {
    List<DynamicTest> tests = new ArrayList<>();
    for (OpInfo op : OpDb.all()) {
      for (DType dtype : op.dtypes()) {
        for (Sample s : op.samples()) {
          for (Layout layout : new Layout[] {Layout.STRIDED, Layout.OFFHEAP}) {
            if (!applies(layout, s)) {
              continue;
            }
            String name = op.name() + "[" + dtype + ", " + s.label() + ", " + layout + "]";
            tests.add(DynamicTest.dynamicTest(name, () -> checkUntouched(op, dtype, s, layout, name)));
          }
        }
      }
    }
    return tests;
  }

  private static boolean applies(Layout layout, Sample s) {
    for (Ref r : s.args()) {
      if (Layouts.applies(layout, r.shape)) {
        return true;
      }
    }
    return false;
  }

  /** The sample's operands as tensors: in {@code layout} where it applies, else contiguous. */
  private static Tensor[] build(Sample s, DType dtype, Layout layout) {
    Tensor[] args = new Tensor[s.args().length];
    for (int i = 0; i < args.length; i++) {
      DType t = kindType(s.kinds()[i], dtype);
      args[i] = Layouts.build(s.args()[i], t, Layouts.applies(layout, s.args()[i].shape) ? layout : Layout.CONTIGUOUS);
    }
    return args;
  }

  private static void check(OpInfo op, DType dtype, Sample s, Layout layout, String name) {
    Tensor[] args = build(s, dtype, layout);
    Ref[] refArgs = new Ref[args.length];
    for (int i = 0; i < args.length; i++) {
      refArgs[i] = Ref.of(args[i]);
    }
    Tensor out = op.apply(args);
    if (op.exactDType()) {
      assertEquals(dtype, out.dtype(), name + ": dtype");
    }
    Checks.assertClose(op.reference(refArgs), out, op.tolerance(dtype), name);
  }

  private static void checkUntouched(OpInfo op, DType dtype, Sample s, Layout layout, String name) {
    Tensor[] args = build(s, dtype, layout);
    double[][] before = new double[args.length][];
    for (int i = 0; i < args.length; i++) {
      before[i] = storageValues(args[i]);
    }
    Tensor out = op.apply(args);
    assertStorageUnchanged(args, before, name + ": the op wrote into");
    if (!op.view()) {
      Storage st = out.concrete("inputsStayUntouched").storage();
      for (int i = 0; i < st.length(); i++) {
        st.setDouble(i, -12345);
      }
      assertStorageUnchanged(args, before, name + ": writing to the output changed");
    }
  }

  /** Every element of the tensor's storage, not only the ones its view covers. */
  private static double[] storageValues(Tensor t) {
    Storage st = t.concrete("inputsStayUntouched").storage();
    double[] v = new double[st.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = st.getDouble(i);
    }
    return v;
  }

  private static void assertStorageUnchanged(Tensor[] args, double[][] before, String what) {
    for (int a = 0; a < args.length; a++) {
      double[] now = storageValues(args[a]);
      for (int i = 0; i < now.length; i++) {
        if (Double.compare(now[i], before[a][i]) != 0) {
          fail(what + " input " + a + " (" + args[a].type() + "): storage element " + i + " is " + now[i]
              + ", was " + before[a][i]);
        }
      }
    }
  }

  private static DType kindType(Sample.Arg kind, DType dtype) {
    switch (kind) {
      case INDEX:
        return DType.I64;
      case MASK:
        return DType.BOOL;
      default:
        return dtype;
    }
  }
}
