/**
 * The {@code sparkfunc} SQL functions as a DataSource V2 function catalog: row functions with a
 * batched body (a block of one row), and gradient-sum and ensemble-stats aggregates whose state
 * buffers rows into blocks and flushes them before Spark serializes it. Errors name the function, the argument and
 * the row; nothing is dropped.
 */
package io.sparkfunc.spark.sql;
