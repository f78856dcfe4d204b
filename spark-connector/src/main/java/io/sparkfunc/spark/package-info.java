/**
 * What Spark users see: the {@code sparkfunc} DataSource V2 {@code FunctionCatalog} ({@code sql}),
 * the session extension that makes its functions callable unprefixed ({@link
 * io.sparkfunc.spark.SparkfuncExtensions}), the DataFrame API ({@code df}: per-sample gradients
 * and ensemble predictions, in chunks of rows per partition), jobs for {@code spark-submit}
 * ({@code jobs}); later ML pipeline stages.
 *
 * <p>Invariants: depends on the engine, {@code udfs} and {@code arrow-tensor}; Spark is {@code
 * provided}. Config keys are {@code spark.sparkfunc.<area>.<name>}. Tests bind the driver to
 * 127.0.0.1 and share one {@code local[2]} session per JVM ({@code testing.SharedSpark}).
 */
package io.sparkfunc.spark;
