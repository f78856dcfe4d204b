/**
 * Models for the Spark functions: pure functions of a flat parameter vector and one sample,
 * named by specs ({@code linreg(d)}, {@code logreg(d)}, {@code softmax(d,k)}, {@code
 * mlp(d,h...,k;act=...)}) or by a Java class implementing {@link io.sparkfunc.udfs.model.Model}.
 * Parameters are unflattened by views (see NOTE [flat parameter layout] in {@link
 * io.sparkfunc.udfs.model.LayerModel}). A {@link io.sparkfunc.udfs.model.LayerModel} also gives
 * its block output as a function of shifts of the layers' pre-activations, with the layer inputs
 * as aux ({@code LayerModel.blockForward}), and its loss's output gradients in closed form ({@code
 * LayerModel.outputGrads}), which the ghost-clipping route of the gradient sums pulls back.
 */
package io.sparkfunc.udfs.model;
