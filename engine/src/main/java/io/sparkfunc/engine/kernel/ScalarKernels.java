package io.sparkfunc.engine.kernel;

import java.nio.ByteBuffer;

/**
 * Plain-Java kernels: the reference every SIMD kernel is tested against, and the fallback when
 * {@code jdk.incubator.vector} is absent. Clear loops, no tricks.
 */
public final class ScalarKernels implements Kernels {
  /** The shared instance (stateless). */
  public static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void unary(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = (float) ScalarMath.unary(op, x[xo + i]);
    }
  }

  @Override
  public void unary(UnaryOp op, double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = ScalarMath.unary(op, x[xo + i]);
    }
  }

  @Override
  public void binary(BinaryOp op, float[] a, int ao, int ainc, float[] b, int bo, int binc,
      float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = (float) ScalarMath.binary(op, a[ao + i * ainc], b[bo + i * binc]);
    }
  }

  @Override
  public void binary(BinaryOp op, double[] a, int ao, int ainc, double[] b, int bo, int binc,
      double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = ScalarMath.binary(op, a[ao + i * ainc], b[bo + i * binc]);
    }
  }

  @Override
  public void powScalar(float[] x, int xo, float p, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = (float) Math.pow(x[xo + i], p);
    }
  }

  @Override
  public void powScalar(double[] x, int xo, double p, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = Math.pow(x[xo + i], p);
    }
  }

  @Override
  public void compare(CompareOp op, float[] a, int ao, int ainc, float[] b, int bo, int binc,
      byte[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = (byte) (ScalarMath.compare(op, a[ao + i * ainc], b[bo + i * binc]) ? 1 : 0);
    }
  }

  @Override
  public void compare(CompareOp op, double[] a, int ao, int ainc, double[] b, int bo, int binc,
      byte[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = (byte) (ScalarMath.compare(op, a[ao + i * ainc], b[bo + i * binc]) ? 1 : 0);
    }
  }

  @Override
  public void select(byte[] m, int mo, int minc, float[] a, int ao, int ainc, float[] b, int bo,
      int binc, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = m[mo + i * minc] != 0 ? a[ao + i * ainc] : b[bo + i * binc];
    }
  }

  @Override
  public void select(byte[] m, int mo, int minc, double[] a, int ao, int ainc, double[] b, int bo,
      int binc, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = m[mo + i * minc] != 0 ? a[ao + i * ainc] : b[bo + i * binc];
    }
  }

  @Override
  public float sum(float[] x, int xo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[xo + i];
    }
    return (float) s;
  }

  @Override
  public double sum(double[] x, int xo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[xo + i];
    }
    return s;
  }

  @Override
  public float max(float[] x, int xo, int n) {
    float m = x[xo];
    for (int i = 1; i < n; i++) {
      m = Math.max(m, x[xo + i]);
    }
    return m;
  }

  @Override
  public double max(double[] x, int xo, int n) {
    double m = x[xo];
    for (int i = 1; i < n; i++) {
      m = Math.max(m, x[xo + i]);
    }
    return m;
  }

  @Override
  public float min(float[] x, int xo, int n) {
    float m = x[xo];
    for (int i = 1; i < n; i++) {
      m = Math.min(m, x[xo + i]);
    }
    return m;
  }

  @Override
  public double min(double[] x, int xo, int n) {
    double m = x[xo];
    for (int i = 1; i < n; i++) {
      m = Math.min(m, x[xo + i]);
    }
    return m;
  }

  @Override
  public void gemm(int m, int n, int k, float[] a, int ao, int aRow, int aCol, float[] b, int bo,
      int bRow, int bCol, float[] c, int co, int ldc, boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (double) a[ao + i * aRow + p * aCol] * b[bo + p * bRow + j * bCol];
        }
        int at = co + i * ldc + j;
        c[at] = (float) (accumulate ? c[at] + s : s);
      }
    }
  }

  @Override
  public void gemm(int m, int n, int k, double[] a, int ao, int aRow, int aCol, double[] b, int bo,
      int bRow, int bCol, double[] c, int co, int ldc, boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[ao + i * aRow + p * aCol] * b[bo + p * bRow + j * bCol];
        }
        int at = co + i * ldc + j;
        c[at] = accumulate ? c[at] + s : s;
      }
    }
  }

  @Override
  public void load(ByteBuffer src, int index, float[] dst, int dstOff, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOff + i] = src.getFloat(4 * (index + i));
    }
  }

  @Override
  public void load(ByteBuffer src, int index, double[] dst, int dstOff, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOff + i] = src.getDouble(8 * (index + i));
    }
  }
}
