package io.sparkfunc.bench;

import java.util.Map;

/**
 * The work one benchmark call does, from its class and parameters: floating-point operations for
 * GEMM (reported as GFLOP/s against the FMA peak) and bytes moved for the memory-bound ops
 * (reported as GB/s against the read bandwidth). Peaks are the ANCHORS.md numbers for one core of
 * this machine, measured with a C AVX-512 probe.
 */
record Work(double amount, String unit, double peak) {
  static final double PEAK_F32_GFLOPS = 115;
  static final double PEAK_F64_GFLOPS = 57;
  static final double READ_GBS = 21;

  /** Work per call of a benchmark, or null if it declares none. */
  static Work of(String benchmark, Map<String, String> params) {
    String dtype = params.getOrDefault("dtype", "f32");
    int elt = "f64".equals(dtype) ? 8 : 4;
    if (benchmark.contains("GemmBench")) {
      double n = Double.parseDouble(params.get("n"));
      double peak = "f64".equals(dtype) ? PEAK_F64_GFLOPS : PEAK_F32_GFLOPS;
      return new Work(2 * n * n * n, "GFLOP/s", peak);
    }
    String op = params.get("op");
    if (op == null) {
      return null;
    }
    int arrays = switch (op) {
      case "add" -> 3;
      case "sum" -> 1;
      default -> 2;
    };
    return new Work((double) ElementwiseBench.N * elt * arrays, "GB/s", READ_GBS);
  }

  /** Work per second at {@code opsPerSecond}, in units of 10^9. */
  double rate(double opsPerSecond) {
    return amount * opsPerSecond / 1e9;
  }
}
