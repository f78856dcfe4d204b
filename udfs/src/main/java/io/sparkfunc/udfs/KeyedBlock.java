package io.sparkfunc.udfs;

import java.io.Serializable;

/**
 * A block of checked training rows with its id, as a data set is cut into blocks once and cached
 * (Spark's {@code RowBlocks}): {@code features: f64[n*d]} row-major, {@code labels: f64[n]}. The
 * id keys the block's Poisson sample in every step (NOTE [sampling inside blocks] in {@link
 * PoissonSample}); ids differ between the blocks of one data set.
 *
 * @param id the block's id
 * @param features the rows' features, row after row
 * @param labels the rows' labels
 */
public record KeyedBlock(long id, double[] features, double[] labels) implements Serializable {
  /** Rows in the block. */
  public int rows() {
    return labels.length;
  }
}
