package io.sparkfunc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
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
 * reference.
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

  private static boolean applies(Layout layout, Sample s) {
    for (Ref r : s.args()) {
      if (Layouts.applies(layout, r.shape)) {
        return true;
      }
    }
    return false;
  }

  private static void check(OpInfo op, DType dtype, Sample s, Layout layout, String name) {
    Tensor[] args = new Tensor[s.args().length];
    Ref[] refArgs = new Ref[args.length];
    for (int i = 0; i < args.length; i++) {
      DType t = kindType(s.kinds()[i], dtype);
      args[i] = Layouts.build(s.args()[i], t, Layouts.applies(layout, s.args()[i].shape) ? layout : Layout.CONTIGUOUS);
      refArgs[i] = Ref.of(args[i]);
    }
    Tensor out = op.apply(args);
    if (op.exactDType()) {
      assertEquals(dtype, out.dtype(), name + ": dtype");
    }
    Checks.assertClose(op.reference(refArgs), out, op.tolerance(dtype), name);
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
