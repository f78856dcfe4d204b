package io.sparkfunc.engine.kernel;

/** Elementwise binary kernels: {@code y[i] = op(a[i], b[i])}; MAX and MIN propagate NaN. */
public enum BinaryOp {
  ADD, SUB, MUL, DIV, MAX, MIN, POW
}
