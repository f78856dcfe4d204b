/**
 * The seed document's examples written with the transforms. Each example maps named input
 * tensors to named outputs; {@code SeedTour} runs them on generated data with self-checks, and the
 * golden tests run them on the inputs of PyTorch functorch fixtures and compare the outputs.
 */
package io.sparkfunc.examples.seed;
