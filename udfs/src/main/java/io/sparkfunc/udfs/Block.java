package io.sparkfunc.udfs;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.storage.HeapStorage;
import io.sparkfunc.udfs.model.Model;
import java.util.Arrays;

/**
 * A block of rows: features {@code f64[n,d]} and labels {@code f64[n]}, stored row-major in two
 * arrays. Either growable (the arrays double as rows are added) or a read-only {@link #view} of
 * arrays that already hold a whole block; either way the engine reads the features in place
 * ({@link #features}). Rows are checked on the way in ({@link Inputs}), so a block only ever
 * holds valid rows.
 */
public final class Block {
  private final int d;
  private final boolean view;
  private double[] x;
  private double[] y;
  private int n;

  /** An empty block for rows of {@code d} features. */
  public Block(int d) {
    this(d, new double[d * 8], new double[8], 0, false);
  }

  private Block(int d, double[] x, double[] y, int n, boolean view) {
    this.d = d;
    this.x = x;
    this.y = y;
    this.n = n;
    this.view = view;
  }

  /**
   * The block {@code features: f64[n*d]} (row-major) with {@code labels: f64[n]}, not copied: the
   * caller must not change the arrays while the block is in use. Read-only ({@link #add} and
   * {@link #clear} throw); the rows must have been checked ({@link Inputs#checkBlock}, {@link
   * Inputs#checkBlockRow}).
   */
  public static Block view(int d, double[] features, double[] labels) {
    if ((long) labels.length * d != features.length) {
      throw new IllegalArgumentException("a block of " + labels.length + " rows of " + d
          + " features needs " + (long) labels.length * d + " values, got " + features.length);
    }
    return new Block(d, features, labels, labels.length, true);
  }

  /** Appends one row (copied). */
  public void add(double[] features, double label) {
    add(features, 0, label);
  }

  /** Appends the row {@code features[offset .. offset+d)} (copied), e.g. a row of a flat block {@code f64[m*d]}. */
  public void add(double[] features, int offset, double label) {
    requireGrowable();
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
    requireGrowable();
    n = 0;
  }

  /**
   * The features as a tensor over the block's own array, not copied: {@code -> f64[n,d]}. Valid
   * until the block is cleared (the engine reads it during the call it is passed to).
   */
  public Tensor features() {
    Tensor all = DenseTensor.contiguous(HeapStorage.of(x), x.length / d, d);
    return n * d == x.length ? all : all.slice(0, 0, n, 1);
  }

  private void requireGrowable() {
    if (view) {
      throw new UnsupportedOperationException("a Block.view is read-only: copy its rows into a new Block to add rows");
    }
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
