/**
 * JMH benchmarks of the engine's kernels and ops, run by {@code bench/run-jmh.sh} (never by
 * Surefire; results and the reproducing command are in {@code BENCHMARKS.md}).
 *
 * <p>Invariants: every benchmark is single-threaded, allocates its inputs in {@code @Setup}, and
 * declares its work per call ({@link io.sparkfunc.bench.Work}) so that {@link
 * io.sparkfunc.bench.RunBenchmarks} can report GFLOP/s or GB/s next to JMH's ops/s. Benchmarks
 * are measurements, never assertions (DESIGN.md §6).
 */
package io.sparkfunc.bench;
