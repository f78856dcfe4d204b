/**
 * What Spark users see: the {@code sparkfunc} DataSource V2 {@code FunctionCatalog}, a session
 * extension for unprefixed SQL names, the DataFrame API (block-wise per partition through
 * Arrow), jobs for {@code spark-submit}, and ML pipeline stages.
 *
 * <p>Invariants: depends on the engine and {@code arrow-tensor}; Spark
 * is {@code provided}. Config keys are {@code spark.sparkfunc.<area>.<name>}. Tests bind the
 * driver to 127.0.0.1.
 *
 * <p>Status: no production code yet; the tests only prove that a local Spark session starts with
 * the project's pins and JVM flags.
 */
package io.sparkfunc.spark;
