/**
 * Models for the Spark functions: pure functions of a flat parameter vector and one sample,
 * named by specs ({@code linreg(d)}, {@code logreg(d)}, {@code softmax(d,k)}, {@code
 * mlp(d,h...,k;act=...)}) or by a Java class implementing {@link io.sparkfunc.udfs.model.Model}.
 * Parameters are unflattened by views (see NOTE [flat parameter layout] in {@link
 * io.sparkfunc.udfs.model.LayerModel}).
 */
package io.sparkfunc.udfs.model;
