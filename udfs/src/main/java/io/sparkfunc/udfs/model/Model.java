package io.sparkfunc.udfs.model;

import io.sparkfunc.engine.Tensor;

/**
 * A model for the Spark functions: a pure function of one flat parameter vector and one sample.
 * Parameters travel as a flat {@code array<double>} (or {@code array<float>}) column; a model
 * unflattens them by views, so gradients come back flat too.
 *
 * <p>Shapes for one sample: {@code theta: f64[P], x: f64[d], y: f64[] (or i64[] for class
 * labels)}. The batched forms ({@link PerSample}) map these over a block {@code x: f64[n,d]}.
 */
public interface Model {

  /** The canonical spec, e.g. {@code mlp(64,32,10;act=tanh)}; parsing it gives an equal model. */
  String spec();

  /** Features per sample, {@code d}. */
  int numFeatures();

  /** Length of the flat parameter vector, {@code P}. */
  int numParams();

  /** Length of one prediction: 1 for linreg/logreg, {@code k} for classifiers. */
  int numOutputs();

  /** What a label is: a real value, a 0/1 target, or a class index. */
  LabelKind labelKind();

  /** The per-sample loss: {@code theta: f64[P], x: f64[d], y -> f64[]}. */
  Tensor loss(Tensor theta, Tensor x, Tensor y);

  /**
   * The per-sample prediction: {@code theta: f64[P], x: f64[d] -> f64[numOutputs]} (the value for
   * linreg, the probability of class 1 for logreg, class probabilities for classifiers).
   */
  Tensor predict(Tensor theta, Tensor x);

  /** Fresh parameters drawn from {@code seed} (PyTorch's default {@code nn.Linear} init): {@code -> f64[P]}. */
  Tensor init(long seed);

  /** The kinds of label a model takes. */
  enum LabelKind {
    /** Any finite real (regression). */
    REAL,
    /** 0 or 1 (any real in [0, 1] is accepted as a soft target). */
    BINARY,
    /** An integer class index in {@code [0, numOutputs)}. */
    CLASS
  }
}
