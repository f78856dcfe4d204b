/**
 * The engine's public values: {@link io.sparkfunc.engine.Tensor} (abstract: concrete or traced),
 * {@link io.sparkfunc.engine.DenseTensor} (a strided view over a storage), {@link
 * io.sparkfunc.engine.DType}, {@link io.sparkfunc.engine.TensorType} (dtype + shape, printed as
 * {@code f32[3,4]}), {@link io.sparkfunc.engine.Shape} helpers and {@link
 * io.sparkfunc.engine.Tensors} for creation.
 *
 * <p>Invariants: every op reaches a primitive through {@code core.Bind}; views share storage and
 * copy nothing; the engine depends on the JDK alone.
 */
package io.sparkfunc.engine;
