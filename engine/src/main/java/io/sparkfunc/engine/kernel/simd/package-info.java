/**
 * The SIMD kernels: the only code in sparkfunc that imports {@code jdk.incubator.vector}.
 *
 * <p>{@link io.sparkfunc.engine.kernel.simd.VectorKernels} implements {@code
 * io.sparkfunc.engine.kernel.Kernels} and is loaded reflectively by {@code KernelProvider}, so the
 * rest of the engine loads on a JVM started without {@code --add-modules jdk.incubator.vector}.
 * Every method is differential-tested against {@code ScalarKernels} ({@code VectorKernelsTest},
 * {@code VectorGemmTest}).
 *
 * <p>Invariants: arrays are only read and written in the ranges the {@code Kernels} contract
 * names; kernels are stateless apart from per-thread GEMM packing buffers (never shared across
 * threads, never reentered); all loops use the preferred species and work for any lane count.
 *
 * <p>NOTE [Constant operators]: C2 intrinsifies a Vector API operation only when its operator
 * (e.g. {@code VectorOperators.EXP}) is a compile-time constant. A shared loop taking the
 * operator as a parameter is compiled once, stand-alone, with a non-constant operator, and runs
 * the Java fallback: measured 26 ns/element against 0.25 for a loop with a constant {@code EXP}
 * (and the JIT then refuses to inline the big fallback into callers that pass a constant). So
 * every op has its own small loop with a literal operator, and the switch over the op enum sits
 * outside the loop. Helpers called inside those loops (operand loads, mask stores) take no
 * operator.
 *
 * <p>NOTE [Vector boxing]: vectors stay in registers only when every method that handles them is
 * inlined into the compiled loop. Vectors passed to or returned from a method that is not inlined
 * are heap-allocated; C2 stops inlining in large methods (its node budget), which is why the GEMM
 * micro-kernel writes its tile to a scratch array and a separate method updates C.
 */
package io.sparkfunc.engine.kernel.simd;
