package io.sparkfunc.engine.prim;

import io.sparkfunc.engine.core.Primitive;
import java.util.List;

/**
 * The primitive families, in one list: loading this class loads every family, so {@link #all()}
 * returns every primitive of the engine. Test gates use it to check that each primitive has a
 * registry entry and every rule it needs. A new family file is added here.
 */
public final class Prims {
  private Prims() {}

  static final Object[] FAMILIES = {
    ElementwiseUnary.NEG, ElementwiseBinary.ADD, Structural.RESHAPE, Combine.PAD, Reductions.REDUCE_SUM,
    Indexing.GATHER, LinearAlgebra.DOT_GENERAL, Convert.CONVERT_ELEMENT_TYPE, Mutation.ADD_, Random.RANDOM_BITS
  };

  /**
   * Every primitive of every family (initialising this class initialises {@link #FAMILIES}, which
   * loads each family's cards).
   */
  public static List<Primitive> all() {
    return Primitive.all();
  }
}
