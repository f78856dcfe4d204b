package io.sparkfunc.engine.kernel;

/** Elementwise comparisons producing a bool (byte 0/1); any comparison with NaN is false except NE. */
public enum CompareOp {
  EQ, NE, LT, LE, GT, GE
}
