package io.sparkfunc.udfs;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.storage.HeapStorage;
import io.sparkfunc.udfs.model.Model;
import java.util.Arrays;

/**
 * A growable block of rows: features {@code f64[n,d]} and labels {@code f64[n]}, stored
 * row-major in two arrays that double as they fill. Rows are checked on the way in ({@link
 * Inputs}), so a block only ever holds valid rows.
 */
public final class Block {
  private final int d;
  private double[] x;
  private double[] y;
  private int n;

  /** An empty block for rows of {@code d} features. */
  public Block(int d) {
    this.d = d;
    this.x = new double[d * 8];
    this.y = new double[8];
  }

  /** Appends one row (copied). */
  public void add(double[] features, double label) {
    add(features, 0, label);
  }

  /** Appends the row {@code features[offset .. offset+d)} (copied), e.g. a row of a flat block {@code f64[m*d]}. */
  public void add(double[] features, int offset, double label) {
    if (n == y.length) {
      y = Arrays.copyOf(y, n * 2);
      x = Arrays.copyOf(x, x.length * 2);
    }
    System.arraycopy(features, offset, x, n * d, d);
    y[n++] = label;
  }

  /** Rows held. */
  public int size() {
    return n;
  }

  /** Drops every row (keeps the capacity). */
  public void clear() {
    n = 0;
  }

  /** The features as a tensor: {@code -> f64[n,d]} (copied once; {@code Tensors.of} copies). */
  public Tensor features() {
    return DenseTensor.contiguous(HeapStorage.of(Arrays.copyOf(x, n * d)), n, d);
  }

  /** The labels as the model takes them: {@code -> i64[n]} for class labels, else {@code f64[n]}. */
  public Tensor labels(Model model) {
    return labels(model, y, n);
  }

  /**
   * The first {@code n} of {@code y} as {@code model} takes labels: {@code -> i64[n]} for class
   * labels, else {@code f64[n]} (copied either way).
   */
  public static Tensor labels(Model model, double[] y, int n) {
    if (model.labelKind() != Model.LabelKind.CLASS) {
      return Tensors.of(Arrays.copyOf(y, n), n);
    }
    long[] classes = new long[n];
    for (int i = 0; i < n; i++) {
      classes[i] = (long) y[i];
    }
    return Tensors.of(classes, n);
  }
}
