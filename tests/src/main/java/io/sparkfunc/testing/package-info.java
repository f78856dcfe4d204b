/**
 * The op registry and its harness (PyTorch OpInfo / JAX lax_reference style): {@link
 * io.sparkfunc.testing.OpDb} lists one {@link io.sparkfunc.testing.OpInfo} per op with a plain
 * {@link io.sparkfunc.testing.Ref} reference; generated tests in this module run every entry in
 * every dtype, sample and memory layout.
 */
package io.sparkfunc.testing;
