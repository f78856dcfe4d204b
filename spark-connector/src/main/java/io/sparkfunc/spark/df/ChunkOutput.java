package io.sparkfunc.spark.df;

import io.sparkfunc.engine.Tensor;
import java.util.Arrays;

/**
 * The appended values of one chunk, copied off the engine's tensors: column {@code c} is {@code
 * f64[n,k_c]} held row-major in {@code values[c]}, row {@code i} at {@code i * widths[c]}.
 */
final class ChunkOutput {
  final double[][] values;
  final int[] widths;

  /** {@code columns: f64[n,k_c] each -> } their values, one bulk copy per column. */
  ChunkOutput(Tensor[] columns) {
    values = new double[columns.length][];
    widths = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      values[c] = columns[c].toDoubleArray();
      widths[c] = columns[c].size(1);
    }
  }

  /** Row {@code i} of column {@code c}: {@code -> f64[k_c]} (a copy). */
  double[] row(int c, int i) {
    return Arrays.copyOfRange(values[c], i * widths[c], (i + 1) * widths[c]);
  }
}
