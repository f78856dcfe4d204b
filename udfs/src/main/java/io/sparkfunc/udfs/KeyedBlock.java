package io.sparkfunc.udfs;

import java.io.Serializable;

/**
 * A block of checked training rows with its id, as a data set is cut into blocks once and cached
 * (Spark's {@code TrainingBlocks}): {@code features: f64[n*d]} row-major, {@code labels: f64[n]}.
 * The id keys the block's Poisson sample in every step (NOTE [sampling inside blocks] in {@link
 * PoissonSample}); ids differ between the blocks of one data set. A plain class rather than a
 * record, so that any serializer Spark is configured with (Java or Kryo) can write it when a
 * cached block spills to disk.
 */
public final class KeyedBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long id;
  private final double[] features;
  private final double[] labels;

  /** The block {@code id} of {@code labels.length} rows (not copied). */
  public KeyedBlock(long id, double[] features, double[] labels) {
    this.id = id;
    this.features = features;
    this.labels = labels;
  }

  /** The block's id. */
  public long id() {
    return id;
  }

  /** The rows' features, row after row: {@code f64[n*d]}. */
  public double[] features() {
    return features;
  }

  /** The rows' labels: {@code f64[n]}. */
  public double[] labels() {
    return labels;
  }

  /** Rows in the block. */
  public int rows() {
    return labels.length;
  }
}
