/**
 * The DataFrame API: {@link io.sparkfunc.spark.df.PerSampleGradients} appends per-sample
 * gradients, {@link io.sparkfunc.spark.df.Ensemble} appends the predictive mean and variance of a
 * weight-sample ensemble. Both run per partition ({@code mapPartitions}, public API) in chunks of
 * rows, each chunk one engine call ({@code vmap(grad(loss))}, {@code vmap(vmap(predict))}), so
 * memory stays bounded by the chunk whatever the partition size ({@link
 * io.sparkfunc.spark.df.ChunkedColumns}).
 *
 * <p>Invariants: rows keep their order and every input column; a bad row fails the job with the
 * call, the column and the row (index within its partition), never a skipped row.
 */
package io.sparkfunc.spark.df;
