package io.sparkfunc.engine.kernel;

/** Elementwise unary kernels: {@code y[i] = op(x[i])}. */
public enum UnaryOp {
  NEG, ABS, SIGN, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TANH, LOGISTIC, ERF
}
