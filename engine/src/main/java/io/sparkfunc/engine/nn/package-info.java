/**
 * {@code torch.nn.functional} in Java: activations, softmax, linear layers and losses, all
 * composites of primitives so that every transform works through them.
 */
package io.sparkfunc.engine.nn;
