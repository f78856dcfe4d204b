/**
 * The function bodies that Spark runs: per-sample gradients, norms, clipped sums, ensemble
 * statistics, the model zoo, and block-buffered aggregation state.
 *
 * <p>Invariants: the maths is written against the engine only; Spark types appear at the edges
 * (row in, row out, buffer serialization), never in the numerics. Spark is {@code provided}: it is
 * never shipped in our jar. A pending block of buffered rows is flushed before the aggregation
 * buffer is serialized and in {@code merge}/{@code finish}, or rows would be lost (DESIGN.md
 * section 4).
 *
 * <p>Status: no code yet; this package only fixes the module's place in the build.
 */
package io.sparkfunc.udfs;
