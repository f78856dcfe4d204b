/**
 * The primitive machinery: {@link io.sparkfunc.engine.core.Primitive} cards (name, shape rule,
 * kernel; transforms add their rules beside these), {@link io.sparkfunc.engine.core.Params},
 * {@link io.sparkfunc.engine.core.Bind} (the one door every op goes through) and the four-part
 * {@link io.sparkfunc.engine.core.EngineException}.
 */
package io.sparkfunc.engine.core;
