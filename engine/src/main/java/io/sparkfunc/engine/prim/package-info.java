/**
 * Primitive cards grouped by family, one file per family, each card's rules right under it
 * (DESIGN.md §2.2), plus the shared drivers that walk strided operands ({@code StridedLoop},
 * {@code Elementwise}, {@code Materialize}). Only this package calls kernels.
 */
package io.sparkfunc.engine.prim;
