/**
 * Privacy accounting for DP-SGD: Rényi DP of the sampled Gaussian mechanism and its conversion
 * to (ε, δ), as TF-Privacy and Opacus compute them.
 */
package io.sparkfunc.udfs.privacy;
