package io.sparkfunc.testing;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A naive n-d array of doubles used as the reference ("oracle") side of every op test: plain
 * index loops, no strides, no kernels, so its results do not share code with the engine.
 *
 * <p>{@code Ref} values are immutable; {@code data} is row-major with {@code shape}.
 */
public final class Ref {
  /** Extents. */
  public final int[] shape;
  /** Row-major elements. */
  public final double[] data;

  /** Wraps (no copy). */
  public Ref(int[] shape, double[] data) {
    if (Shape.numel(shape) != data.length) {
      throw new IllegalArgumentException("Ref: " + Arrays.toString(shape) + " vs " + data.length);
    }
    this.shape = shape;
    this.data = data;
  }

  /** The values of a concrete tensor (any dtype, any layout). */
  public static Ref of(Tensor t) {
    return new Ref(t.shape(), t.toDoubleArray());
  }

  /** This array as an engine tensor of {@code dtype}. */
  public Tensor toTensor(DType dtype) {
    if (shape.length == 0) {
      return Tensors.scalar(data[0], dtype);
    }
    switch (dtype) {
      case F64:
        return Tensors.of(data.clone(), shape);
      case F32:
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) data[i];
        }
        return Tensors.of(f, shape);
      case I64:
        long[] l = new long[data.length];
        for (int i = 0; i < l.length; i++) {
          l[i] = (long) data[i];
        }
        return Tensors.of(l, shape);
      default:
        boolean[] b = new boolean[data.length];
        for (int i = 0; i < b.length; i++) {
          b[i] = data[i] != 0;
        }
        return Tensors.of(b, shape);
    }
  }

  /** Rank. */
  public int rank() {
    return shape.length;
  }

  /** Row-major strides. */
  public int[] strides() {
    return Shape.contiguousStrides(shape);
  }

  /** Element at a full index. */
  public double at(int... index) {
    return data[flat(index)];
  }

  /** Row-major position of a full index in {@code data}. */
  public int flat(int... index) {
    int[] st = strides();
    int k = 0;
    for (int i = 0; i < index.length; i++) {
      k += index[i] * st[i];
    }
    return k;
  }

  /** Multi-index of flat position {@code flat} in {@code shape}. */
  public static int[] unravel(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) {
      idx[i] = shape[i] == 0 ? 0 : flat % shape[i];
      flat = shape[i] == 0 ? 0 : flat / shape[i];
    }
    return idx;
  }

  /** Element of this array read at an index of a broadcast shape (right-aligned, size-1 axes repeat). */
  public double atBroadcast(int[] outIndex) {
    int lead = outIndex.length - shape.length;
    int[] idx = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      idx[i] = shape[i] == 1 ? 0 : outIndex[lead + i];
    }
    return at(idx);
  }

  /** Elementwise map. */
  public Ref map(DoubleUnaryOperator f) {
    double[] out = new double[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(data[i]);
    }
    return new Ref(shape.clone(), out);
  }

  /** NumPy broadcast of shapes (no validation beyond what the engine test expects to pass). */
  public static int[] broadcastShape(int[]... shapes) {
    int rank = 0;
    for (int[] s : shapes) {
      rank = Math.max(rank, s.length);
    }
    int[] out = new int[rank];
    Arrays.fill(out, 1);
    for (int[] s : shapes) {
      for (int i = 0; i < s.length; i++) {
        int o = rank - s.length + i;
        out[o] = s[i] == 1 ? out[o] : s[i];
      }
    }
    return out;
  }

  /** Broadcasting elementwise combination of two arrays. */
  public static Ref zip(Ref a, Ref b, DoubleBinaryOperator f) {
    int[] shape = broadcastShape(a.shape, b.shape);
    double[] out = new double[(int) Shape.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unravel(i, shape);
      out[i] = f.applyAsDouble(a.atBroadcast(idx), b.atBroadcast(idx));
    }
    return new Ref(shape, out);
  }

  /** Broadcasting elementwise combination of three arrays. */
  public static Ref zip3(Ref a, Ref b, Ref c, TernaryOp f) {
    int[] shape = broadcastShape(a.shape, b.shape, c.shape);
    double[] out = new double[(int) Shape.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      int[] idx = unravel(i, shape);
      out[i] = f.apply(a.atBroadcast(idx), b.atBroadcast(idx), c.atBroadcast(idx));
    }
    return new Ref(shape, out);
  }

  /** A function of three doubles. */
  @FunctionalInterface
  public interface TernaryOp {
    /** Applies the function. */
    double apply(double a, double b, double c);
  }

  /** A fresh array of {@code shape} whose element at index i is {@code f(i)}. */
  public static Ref generate(int[] shape, java.util.function.ToDoubleFunction<int[]> f) {
    double[] out = new double[(int) Shape.numel(shape)];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(unravel(i, shape));
    }
    return new Ref(shape, out);
  }

  @Override
  public String toString() {
    return Arrays.toString(shape) + Arrays.toString(data);
  }
}
