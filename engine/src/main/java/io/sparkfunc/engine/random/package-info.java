/**
 * Counter-based random numbers: {@link io.sparkfunc.engine.random.Key} (an immutable PRNG key with
 * {@code split} and {@code foldIn}), {@link io.sparkfunc.engine.random.Philox} (Philox4x32-10) and
 * the public draws in {@link io.sparkfunc.engine.random.Random} ({@code rand}, {@code randn},
 * {@code normal}, {@code randint}, {@code bernoulli}).
 *
 * <p>Invariants: there is no hidden state; every draw is a pure function of its key, and element e
 * of a result (flat row-major index) depends only on the key and e, never on the thread, the
 * machine, the shape requested or the other elements (NOTE [Philox counter layout] in {@code
 * Key}). Every draw goes through the single primitive {@code random_bits} ({@code
 * prim.Random}), so transforms need rules for that primitive only.
 */
package io.sparkfunc.engine.random;
