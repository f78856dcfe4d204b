/**
 * JMH benchmarks of the engine's kernels and ops, and of per-sample gradients over Arrow columns
 * ({@link io.sparkfunc.bench.ArrowPerSampleGradBench}), run by {@code bench/run-jmh.sh} (never by
 * Surefire; results and the reproducing command are in {@code BENCHMARKS.md}).
 *
 * <p>Invariants: every benchmark is single-threaded and allocates its inputs in {@code @Setup};
 * the kernel and op benchmarks declare their work per call ({@link io.sparkfunc.bench.Work}) so
 * that {@link io.sparkfunc.bench.RunBenchmarks} can report GFLOP/s or GB/s next to JMH's ops/s
 * (the Arrow benchmark reports time per batch only). Benchmarks are measurements, never
 * assertions (DESIGN.md §6).
 */
package io.sparkfunc.bench;
