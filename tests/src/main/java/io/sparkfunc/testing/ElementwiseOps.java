package io.sparkfunc.testing;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.prim.ElementwiseBinary;
import io.sparkfunc.engine.prim.ElementwiseUnary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** Registry entries for the elementwise families: unary, binary, tanh_backward, pow with a scalar, compare, where. */
final class ElementwiseOps {
  private ElementwiseOps() {}

  static List<OpInfo> entries() {
    List<OpInfo> l = new ArrayList<>();
    l.add(unary("neg", Tensor::neg, x -> -x, -3, 3));
    l.add(unary("abs", Tensor::abs, Math::abs, -3, 3));
    l.add(OpInfo.builder("sign").op(a -> a[0].sign()).reference(r -> r[0].map(Math::signum))
        .samples(Samples.unary(-3, 3)).covers("sign").nonDifferentiable().build());
    l.add(unary("exp", Tensor::exp, Math::exp, -10, 10));
    l.add(unary("log", Tensor::log, Math::log, 0.01, 10));
    l.add(unary("log1p", Tensor::log1p, Math::log1p, -0.9, 10));
    l.add(unary("expm1", Tensor::expm1, Math::expm1, -5, 5));
    l.add(unary("sqrt", Tensor::sqrt, Math::sqrt, 0, 10));
    l.add(unary("rsqrt", Tensor::rsqrt, x -> 1 / Math.sqrt(x), 0.01, 10));
    l.add(unary("sin", Tensor::sin, Math::sin, -10, 10));
    l.add(unary("cos", Tensor::cos, Math::cos, -10, 10));
    l.add(unary("tanh", Tensor::tanh, Math::tanh, -6, 6));
    l.add(binary("tanh_backward", ElementwiseUnary::tanhBackward, (g, y) -> g * (1 - y * y), -3, 3));
    l.add(
        named(unary("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), -20, 20), "logistic"));
    l.add(unary("erf", Tensor::erf, ElementwiseOps::erfBySimpson, -4, 4));
    l.add(unary("copy", Tensor::copy, x -> x, -3, 3));
    l.add(binary("add", Tensor::add, Double::sum, -3, 3));
    l.add(binary("sub", Tensor::sub, (a, b) -> a - b, -3, 3));
    l.add(binary("mul", Tensor::mul, (a, b) -> a * b, -3, 3));
    l.add(binary("div", Tensor::div, (a, b) -> a / b, 0.5, 3));
    l.add(named(binary("maximum", Tensor::maximum, Math::max, -3, 3), "max"));
    l.add(named(binary("minimum", Tensor::minimum, Math::min, -3, 3), "min"));
    l.add(binary("pow", Tensor::pow, Math::pow, 0.1, 3));
    for (double p : new double[] {2, 3, 0.5, -1.5}) {
      l.add(
          OpInfo.builder("pow_scalar(" + p + ")")
              .op(a -> a[0].pow(p))
              .reference(r -> r[0].map(x -> Math.pow(x, p)))
              .samples(Samples.unary(0.1, 3))
              .covers("pow_scalar")
              .build());
    }
    l.add(compare("eq", ElementwiseBinary.EQ, (a, b) -> a == b));
    l.add(compare("ne", ElementwiseBinary.NE, (a, b) -> a != b));
    l.add(compare("lt", ElementwiseBinary.LT, (a, b) -> a < b));
    l.add(compare("le", ElementwiseBinary.LE, (a, b) -> a <= b));
    l.add(compare("gt", ElementwiseBinary.GT, (a, b) -> a > b));
    l.add(compare("ge", ElementwiseBinary.GE, (a, b) -> a >= b));
    l.add(where());
    return l;
  }

  private static OpInfo unary(
      String name, Function<Tensor, Tensor> f, DoubleUnaryOperator ref, double lo, double hi) {
    return OpInfo.builder(name)
        .op(a -> f.apply(a[0]))
        .reference(r -> r[0].map(ref))
        .samples(Samples.unary(lo, hi))
        .covers(name)
        .build();
  }

  private static OpInfo binary(
      String name,
      java.util.function.BiFunction<Tensor, Tensor, Tensor> f,
      DoubleBinaryOperator ref,
      double lo,
      double hi) {
    return OpInfo.builder(name)
        .op(a -> f.apply(a[0], a[1]))
        .reference(r -> Ref.zip(r[0], r[1], ref))
        .samples(Samples.binary(lo, hi))
        .covers(name)
        .build();
  }

  /** erf(x) = 2/sqrt(pi) * integral of exp(-t^2) over [0, x], by Simpson's rule (independent of the engine's series). */
  static double erfBySimpson(double x) {
    int n = 4000;
    double h = x / n;
    double s = 1 + Math.exp(-x * x);
    for (int i = 1; i < n; i++) {
      double t = i * h;
      s += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
    }
    return 2 / Math.sqrt(Math.PI) * s * h / 3;
  }

  /** Re-labels the covered primitive when the public name differs from the primitive's. */
  private static OpInfo named(OpInfo e, String primitive) {
    return OpInfo.builder(e.name)
        .op(e.fn)
        .reference(e.reference)
        .samples(e.samples)
        .tol(e.tolF32, e.tolF64)
        .covers(primitive)
        .build();
  }

  private static OpInfo compare(
      String name, io.sparkfunc.engine.core.Primitive p, DoublePredicate2 ref) {
    OpInfo.SampleGen ints = Samples.map(Samples.binary(0, 3), Math::floor);
    return OpInfo.builder(name)
        .op(a -> ElementwiseBinary.compare(p, a[0], a[1]))
        .reference(r -> Ref.zip(r[0], r[1], (a, b) -> ref.test(a, b) ? 1 : 0))
        .samples(ints)
        .dtypes(DType.F32, DType.F64, DType.I64)
        .anyOutputDType()
        .nonDifferentiable()
        .covers(name)
        .build();
  }

  /** A predicate over two doubles (unboxed, so == compares values). */
  @FunctionalInterface
  private interface DoublePredicate2 {
    boolean test(double a, double b);
  }

  private static OpInfo where() {
    OpInfo.SampleGen gen = rnd -> {
      int[][][] shapes = {
        {{5}, {5}, {5}}, {{2, 3}, {3}, {2, 1}}, {{3, 1}, {1, 4}, {}}, {{0}, {0}, {1}}, {{1023}, {1023}, {}}
      };
      List<Sample> out = new ArrayList<>();
      for (int[][] s : shapes) {
        Ref m = Samples.uniform(rnd, 0, 1, s[0]).map(x -> x < 0.5 ? 1 : 0);
        Ref[] args = {m, Samples.uniform(rnd, -3, 3, s[1]), Samples.uniform(rnd, -3, 3, s[2])};
        Sample.Arg[] kinds = {Sample.Arg.MASK, Sample.Arg.DATA, Sample.Arg.DATA};
        out.add(new Sample(java.util.Arrays.deepToString(s), args, kinds));
      }
      return out;
    };
    return OpInfo.builder("where")
        .op(a -> a[0].where(a[1], a[2]))
        .reference(r -> Ref.zip3(r[0], r[1], r[2], (m, a, b) -> m != 0 ? a : b))
        .samples(gen)
        .covers("select")
        .build();
  }
}
