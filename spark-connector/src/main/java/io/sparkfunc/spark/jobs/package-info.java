/**
 * Jobs for {@code spark-submit}: {@link io.sparkfunc.spark.jobs.DpSgdTrain}, DP-SGD training over
 * the {@code sparkfunc} block aggregates (training rows cached once as blocks, Poisson-sampled
 * inside the blocks each step) with an RDP accountant ({@code bin/sparkfunc-dpsgd}).
 */
package io.sparkfunc.spark.jobs;
