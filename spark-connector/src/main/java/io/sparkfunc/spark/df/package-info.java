/**
 * The DataFrame API: {@link io.sparkfunc.spark.df.PerSampleGradients} appends per-sample
 * gradients, {@link io.sparkfunc.spark.df.Ensemble} appends the predictive mean and variance of a
 * weight-sample ensemble. Both run per partition in chunks of rows, each chunk one engine call
 * ({@code vmap(grad(loss))}, {@code vmap(vmap(predict))}), so memory stays bounded by the chunk
 * whatever the partition size ({@link io.sparkfunc.spark.df.ChunkedColumns}).
 *
 * <p>Two paths with equal results, chosen per call by {@code spark.sparkfunc.df.arrow}
 * (auto/true/false): Spark's internal rows, each chunk copied into one off-heap Arrow block that
 * the engine reads in place ({@link io.sparkfunc.spark.df.ArrowChunks}), or the public {@code
 * mapPartitions} over {@code Row}s ({@link io.sparkfunc.spark.df.RowChunks}), the fallback when
 * the internals are missing ({@link io.sparkfunc.spark.df.FastPath}).
 *
 * <p>{@link io.sparkfunc.spark.df.RowBlocks} regroups training rows into blocks (one row per
 * block, features as one flat array) to cache once for the block aggregates of the SQL catalog.
 *
 * <p>Invariants: rows keep their order and every input column; a bad row fails the job with the
 * call, the column and the row (index within its partition), never a skipped row.
 */
package io.sparkfunc.spark.df;
