package io.sparkfunc.udfs.model;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;

/** A user model loaded by class name in the tests: {@code y ~ 2 (w.x + b)} with squared error. */
public final class ScaledLinear implements Model {
  private final int d;

  /** {@code ScaledLinear(d)}. */
  public ScaledLinear(String[] args) {
    this.d = Integer.parseInt(args[0]);
  }

  @Override
  public String spec() {
    return ScaledLinear.class.getName() + "(" + d + ")";
  }

  @Override
  public int numFeatures() {
    return d;
  }

  @Override
  public int numParams() {
    return d + 1;
  }

  @Override
  public int numOutputs() {
    return 1;
  }

  @Override
  public LabelKind labelKind() {
    return LabelKind.REAL;
  }

  @Override
  public Tensor loss(Tensor theta, Tensor x, Tensor y) {
    return predict(theta, x).sub(y).pow(2).sum();
  }

  @Override
  public Tensor predict(Tensor theta, Tensor x) {
    Tensor w = theta.slice(0, 0, d, 1);
    Tensor b = theta.slice(0, d, d + 1, 1);
    return x.matmul(w).unsqueeze(0).add(b).mul(2);
  }

  @Override
  public Tensor init(long seed) {
    return Tensors.zeros(DType.F64, d + 1);
  }
}
