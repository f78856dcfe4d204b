package io.sparkfunc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.engine.transform.Func;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Derivatives of every differentiable registry entry, in f64:
 *
 * <ul>
 *   <li>jvp against central differences in a random direction (JAX {@code check_jvp});
 *   <li>vjp by the inner-product test {@code <J t, c> = <t, J^T c>} against jvp (tight);
 *   <li>vjp with respect to one operand, the others constant (the tape asks a rule only for the
 *       cotangents it needs, NOTE [Wanted cotangents]), equal to that operand's full cotangent;
 *   <li>second order: the directional derivative of {@code h(x) = <J(x)^T c, d>}, by reverse over
 *       reverse (grad of the vjp) and by forward over reverse (jvp of the vjp), against central
 *       differences of h.
 * </ul>
 * Only floating data operands are perturbed; index and mask operands stay fixed.
 */
@Tag("unit")
class OpDerivativeTest {
  private static final double EPS = 1e-6;

  @TestFactory
  List<DynamicTest> derivatives() {
    List<DynamicTest> tests = new ArrayList<>();
    for (OpInfo op : OpDb.all()) {
      if (!op.differentiable() || !op.dtypes().contains(DType.F64)) {
        continue;
      }
      for (Sample s : OpVmapTest.small(op)) {
        if (!finite(s)) {
          continue; // central differences of inf/NaN inputs are NaN: nothing to compare
        }
        String label = op + ", " + s.label();
        tests.add(DynamicTest.dynamicTest("jvp[" + label + "]", () -> checkJvp(op, s)));
        tests.add(DynamicTest.dynamicTest("vjp[" + label + "]", () -> checkVjp(op, s)));
        if (data(s).length > 1) {
          tests.add(DynamicTest.dynamicTest("vjpOne[" + label + "]", () -> checkVjpOfOne(op, s)));
        }
        tests.add(DynamicTest.dynamicTest("order2[" + label + "]", () -> checkSecondOrder(op, s)));
      }
    }
    return tests;
  }

  private static boolean finite(Sample s) {
    for (Ref r : s.args()) {
      for (double v : r.data) {
        if (!Double.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The op as a function of its data operands only (index/mask operands fixed). */
  private static Fn ofData(OpInfo op, Sample s) {
    return a -> {
      Tensor[] args = new Tensor[s.args().length];
      for (int i = 0, k = 0; i < args.length; i++) {
        args[i] = s.kinds()[i] == Sample.Arg.DATA ? (Tensor) a[k++] : OpVmapTest.tensor(s.args()[i], s.kinds()[i], DType.F64);
      }
      return op.apply(args);
    };
  }

  private static Object[] data(Sample s) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < s.args().length; i++) {
      if (s.kinds()[i] == Sample.Arg.DATA) {
        out.add(s.args()[i].toTensor(DType.F64));
      }
    }
    return out.toArray();
  }

  private static Object[] randomLike(Object[] xs, Random rnd) {
    Object[] out = new Object[xs.length];
    for (int i = 0; i < xs.length; i++) {
      Tensor x = (Tensor) xs[i];
      out[i] = Ref.generate(x.shape(), idx -> rnd.nextGaussian()).toTensor(DType.F64);
    }
    return out;
  }

  private static Object[] axpy(Object[] x, double a, Object[] t) {
    Object[] out = new Object[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = ((Tensor) x[i]).add(((Tensor) t[i]).mul(a));
    }
    return out;
  }

  private static double dot(Object[] a, Object[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double[] x = ((Tensor) a[i]).toDoubleArray();
      double[] y = ((Tensor) b[i]).toDoubleArray();
      for (int j = 0; j < x.length; j++) {
        s += x[j] * y[j];
      }
    }
    return s;
  }

  private static void checkJvp(OpInfo op, Sample s) {
    Fn f = ofData(op, s);
    Object[] x = data(s);
    Object[] t = randomLike(x, new Random(1));
    Func.JvpResult r = Func.jvp(f, x, t);
    Tensor plus = f.tensor(axpy(x, EPS, t));
    Tensor minus = f.tensor(axpy(x, -EPS, t));
    Ref fd = Ref.of(plus.sub(minus).div(2 * EPS));
    Checks.assertClose(Ref.of(f.tensor(x)), (Tensor) r.out(), 1e-12, "jvp primal " + op);
    Checks.assertClose(fd, (Tensor) r.tangent(), 1e-5, "jvp tangent " + op);
  }

  private static void checkVjp(OpInfo op, Sample s) {
    Fn f = ofData(op, s);
    Object[] x = data(s);
    Object[] t = randomLike(x, new Random(2));
    Tensor jt = (Tensor) Func.jvp(f, x, t).tangent();
    Object[] c = randomLike(new Object[] {jt}, new Random(3));
    Func.VjpResult v = Func.vjp(f, x);
    Object cts = v.vjpFn().apply(c[0]);
    Object[] ct = x.length == 1 ? new Object[] {cts} : ((List<?>) cts).toArray();
    double lhs = dot(new Object[] {jt}, c);
    double rhs = dot(t, ct);
    assertEquals(lhs, rhs, 1e-10 * (1 + Math.abs(lhs)), "<J t, c> = <t, J^T c> for " + op);
  }

  private static void checkVjpOfOne(OpInfo op, Sample s) {
    Fn f = ofData(op, s);
    Object[] x = data(s);
    Tensor c = (Tensor) randomLike(new Object[] {f.tensor(x)}, new Random(6))[0];
    List<?> full = (List<?>) Func.vjp(f, x).vjpFn().apply(c);
    // an in-place op refuses to write a traced operand into a constant self: only self alone there
    for (int i = 0; i < (op.inPlace() ? 1 : x.length); i++) {
      int at = i;
      Fn only = a -> {
        Object[] args = x.clone();
        args[at] = a[0];
        return f.apply(args);
      };
      Tensor one = (Tensor) Func.vjp(only, x[i]).vjpFn().apply(c);
      Checks.assertClose(Ref.of((Tensor) full.get(i)), one, 1e-12, "vjp w.r.t. operand " + i + " alone, " + op);
    }
  }

  private static void checkSecondOrder(OpInfo op, Sample s) {
    Fn f = ofData(op, s);
    Object[] x = data(s);
    Tensor y = f.tensor(x);
    Tensor c = Ref.generate(y.shape(), idx -> Math.sin(idx.length == 0 ? 1 : idx[idx.length - 1] + 1)).toTensor(DType.F64);
    Object[] d = randomLike(x, new Random(4));
    Object[] t = randomLike(x, new Random(5));
    // h(x) = <J(x)^T c, d>, a scalar function built from the vjp rules
    Fn h = a -> {
      Object cts = Func.vjp(f, a).vjpFn().apply(c);
      Object[] ct = a.length == 1 ? new Object[] {cts} : ((List<?>) cts).toArray();
      Tensor sum = null;
      for (int i = 0; i < ct.length; i++) {
        Tensor term = ((Tensor) ct[i]).mul((Tensor) d[i]).sum();
        sum = sum == null ? term : sum.add(term);
      }
      return sum;
    };
    double fd = (h.tensor(axpy(x, EPS, t)).item() - h.tensor(axpy(x, -EPS, t)).item()) / (2 * EPS);
    int[] all = new int[x.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    Object g = Func.grad(h, all).apply(x);
    Object[] gs = x.length == 1 ? new Object[] {g} : ((List<?>) g).toArray();
    double reverse = dot(gs, t);
    double forward = ((Tensor) Func.jvp(h, x, t).tangent()).item();
    double tol = 1e-5 * (1 + Math.abs(fd));
    assertEquals(fd, reverse, tol, "reverse-over-reverse for " + op);
    assertEquals(fd, forward, tol, "forward-over-reverse for " + op);
  }
}
