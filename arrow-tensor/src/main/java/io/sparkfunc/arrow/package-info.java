/**
 * Arrow buffers &lt;-&gt; engine tensors.
 *
 * <p>Role: turn a batch of per-row arrays held in Arrow vectors into one engine {@code Tensor} of
 * shape {@code [n, ...shape]}, without copying when the layout allows (a {@code ListVector} whose
 * rows all have one length already holds a dense row-major matrix), and back; plus the {@code
 * arrow.fixed_shape_tensor} extension type for IPC files. See DESIGN.md section 3.
 *
 * <p>Invariants: this module knows Arrow and the engine, never Spark. Every Arrow allocation comes
 * from a caller-owned child allocator that the caller closes. Arrow data is little-endian.
 *
 * <p>Status: no code yet; this package only fixes the module's place in the build.
 */
package io.sparkfunc.arrow;
