/**
 * Jobs for {@code spark-submit}: {@link io.sparkfunc.spark.jobs.DpSgdTrain}, DP-SGD training over
 * the {@code sparkfunc} aggregates with an RDP accountant ({@code bin/sparkfunc-dpsgd}).
 */
package io.sparkfunc.spark.jobs;
