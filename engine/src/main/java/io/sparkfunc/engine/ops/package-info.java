/**
 * Composite ops (mean, var, std, logsumexp, norm) written in plain Java over primitives. They
 * carry no transform rules by design: transforms see the primitives they are made of.
 */
package io.sparkfunc.engine.ops;
