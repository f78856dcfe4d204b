/**
 * Bulk numeric kernels behind the {@link io.sparkfunc.engine.kernel.Kernels} interface: a scalar
 * reference twin and a SIMD implementation in {@code kernel.simd} (the only code importing {@code
 * jdk.incubator.vector}), chosen once by {@link io.sparkfunc.engine.kernel.KernelProvider}.
 * Kernels see heap arrays with offsets and 0/1 increments only.
 */
package io.sparkfunc.engine.kernel;
