package io.sparkfunc.examples;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.kernel.KernelProvider;
import java.util.Random;

/**
 * The seed document's workloads, as far as the engine runs them today: by hand, without
 * transforms. Each section computes a result with engine ops, checks it against an independent
 * plain-Java (or finite-difference) answer, and prints PASS/FAIL; the program exits 1 if any check
 * fails. The transform versions ({@code vmap}, {@code grad}, {@code jvp}) will sit next to these
 * once transforms land, checked against the same answers.
 *
 * <p>Run: {@code ./bin/sparkfunc-run io.sparkfunc.examples.SeedTour}
 */
public final class SeedTour {
  private SeedTour() {}

  public static void main(String[] args) {
    System.out.println("sparkfunc SeedTour (kernels: " + KernelProvider.get().name() + ")");
    SelfChecks checks = new SelfChecks();
    rowNorms(checks);
    polynomial(checks);
    linearMse(checks);
    System.exit(checks.exitCode("SeedTour"));
  }

  /** Seed: {@code compute_norm(x) = x.pow(2).sum().sqrt()} over a [100,3] batch, batched vs a loop. */
  static void rowNorms(SelfChecks checks) {
    System.out.println("row norms of f32[100,3]: batched vs per-row loop");
    float[] data = new float[100 * 3];
    Random rnd = new Random(0);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    Tensor x = Tensors.of(data, 100, 3);
    float[] batched = sumAxis(x.pow(2), 1).sqrt().toFloatArray(); // f32[100]
    double[] loop = new double[100];
    double[] plain = new double[100];
    for (int i = 0; i < 100; i++) {
      loop[i] = sumAxis(x.select(0, i).pow(2), 0).sqrt().item(); // f32[3] -> f32[]
      double s = 0;
      for (int j = 0; j < 3; j++) {
        s += (double) data[3 * i + j] * data[3 * i + j];
      }
      plain[i] = Math.sqrt(s);
    }
    checks.close("batched == per-row loop", loop, SelfChecks.widen(batched), 1e-6, 1e-6);
    checks.close("batched == plain Java", plain, SelfChecks.widen(batched), 1e-5, 1e-6);
  }

  /** Seed: {@code f(x) = x^3 + 2x^2 + x} at [1,2,3]; {@code f'(x) = 3x^2 + 4x + 1 = [8,21,40]}. */
  static void polynomial(SelfChecks checks) {
    System.out.println("polynomial x^3 + 2x^2 + x at [1,2,3] and its hand derivative");
    Tensor x = Tensors.of(new double[] {1, 2, 3});
    double[] f = poly(x).toDoubleArray();
    double[] df = x.pow(2).mul(3).add(x.mul(4)).add(1).toDoubleArray();
    double h = 1e-5;
    double[] fd = poly(x.add(h)).sub(poly(x.sub(h))).div(2 * h).toDoubleArray();
    checks.close("f([1,2,3]) == [4,18,48]", new double[] {4, 18, 48}, f, 0, 1e-12);
    checks.close("f'([1,2,3]) == [8,21,40]", new double[] {8, 21, 40}, df, 0, 1e-12);
    checks.close("f' == central differences", fd, df, 1e-7, 1e-7);
  }

  static Tensor poly(Tensor x) {
    return x.pow(3).add(x.pow(2).mul(2)).add(x);
  }

  /** Seed: MSE loss of {@code x @ w + b} on fixed data; hand gradient vs central differences. */
  static void linearMse(SelfChecks checks) {
    System.out.println("MSE of a linear model on f64[100,5]: hand gradient vs central differences");
    int n = 100;
    int d = 5;
    Random rnd = new Random(1);
    double[] xs = new double[n * d];
    double[] ys = new double[n];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      ys[i] = rnd.nextGaussian();
    }
    Tensor x = Tensors.of(xs, n, d);
    Tensor y = Tensors.of(ys);
    double[] theta = {0.5, -1.0, 0.25, 2.0, -0.75, 0.1}; // w[0..4], then b

    // loss = mean(r^2), r = x @ w + b - y;  dL/dw = 2/n * x^T r,  dL/db = 2/n * sum(r)
    Tensor r = residual(x, y, theta);
    Tensor gw = sumAxis(x.mul(r.unsqueeze(1)), 0).mul(2.0 / n);
    Tensor gb = sumAxis(r, 0).mul(2.0 / n);
    double[] grad = {0, 0, 0, 0, 0, gb.item()};
    System.arraycopy(gw.toDoubleArray(), 0, grad, 0, d);

    double h = 1e-6;
    double[] fd = new double[d + 1];
    for (int k = 0; k <= d; k++) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[k] += h;
      down[k] -= h;
      fd[k] = (loss(x, y, up) - loss(x, y, down)) / (2 * h);
    }
    System.out.printf("  loss %.6f, grad %s%n", loss(x, y, theta), SelfChecks.show(grad));
    checks.close("hand gradient == central differences", fd, grad, 1e-6, 1e-8);
  }

  /** {@code r = x @ w + b - y}: f64[n]; {@code theta} holds w then b. */
  static Tensor residual(Tensor x, Tensor y, double[] theta) {
    int d = x.size(1);
    Tensor w = Tensors.of(java.util.Arrays.copyOf(theta, d));
    return sumAxis(x.mul(w), 1).add(theta[d]).sub(y);
  }

  static double loss(Tensor x, Tensor y, double[] theta) {
    return sumAxis(residual(x, y, theta).pow(2), 0).div(x.size(0)).item();
  }

  /**
   * Sum over {@code axis}, written with views and adds because the engine's reductions are not
   * merged yet. Replace with the engine's sum once it lands; the checks stay the same.
   */
  static Tensor sumAxis(Tensor x, int axis) {
    Tensor acc = x.select(axis, 0);
    for (int i = 1; i < x.size(axis); i++) {
      acc = acc.add(x.select(axis, i));
    }
    return acc;
  }
}
