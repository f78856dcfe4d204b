/**
 * The function bodies that Spark runs, with no Spark types in the maths: the model zoo ({@code
 * model}: named specs over one flat parameter vector), batched per-sample gradients, losses,
 * predictions, loss JVPs/HVPs and ensemble predictions over a block of rows ({@link
 * io.sparkfunc.udfs.PerSample}, built from {@code vmap(grad(loss))}, {@code vmap(jvp(...))},
 * {@code vmap(vmap(predict))}), the ghost-clipping route of the gradient sums and per-sample norms
 * of the built-in dense-layer specs (one backward pass per block with respect to the layers'
 * pre-activations, one GEMM per layer; {@code GhostClipping}, equal to the {@code vmap(grad)}
 * route to rounding), the block-buffered states of the aggregates ({@link
 * io.sparkfunc.udfs.BlockState}: {@link io.sparkfunc.udfs.GradSumState}, {@link
 * io.sparkfunc.udfs.EnsembleStatsState}), row checks ({@link io.sparkfunc.udfs.Inputs}), and the
 * DP-SGD privacy accountant ({@code privacy}).
 *
 * <p>Invariants: the maths is written against the engine only; Spark types appear at the edges
 * (row in, row out, buffer serialization), in {@code spark-connector}. A pending block of
 * buffered rows is flushed before the aggregation buffer is serialized and in {@code
 * merge}/{@code result}, or rows would be lost (DESIGN.md section 4). A bad row is a {@link
 * io.sparkfunc.udfs.BadInput} naming the argument, never a skipped row.
 */
package io.sparkfunc.udfs;
