package io.sparkfunc.engine.core;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.TensorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A primitive operation: a name plus the table of its rules. This is the "primitive card" of
 * DESIGN.md §2.2; each card is declared in its family's file ({@code prim/ElementwiseUnary}, ...)
 * with its rules right under it.
 *
 * <p>Today a card carries {@code impl} (the kernel) and {@code shapeRule} (abstract evaluation).
 * The transforms add their rules to the same card beside these two ({@code jvp}, {@code
 * transpose}, {@code batch}), written with public ops, without changing how primitives are bound.
 *
 * <p>Every primitive ever defined is listed in {@link #all()}, so test gates can check that each
 * has an OpInfo entry and every required rule.
 */
public final class Primitive {
  private static final List<Primitive> ALL = Collections.synchronizedList(new ArrayList<>());

  private final String name;
  private final int arity;
  private final ShapeRule shapeRule;
  private final ImplRule impl;

  private Primitive(String name, int arity, ShapeRule shapeRule, ImplRule impl) {
    this.name = name;
    this.arity = arity;
    this.shapeRule = shapeRule;
    this.impl = impl;
  }

  /**
   * Defines a primitive.
   *
   * @param name lower snake name as in JAX/StableHLO, e.g. {@code reduce_sum}
   * @param arity number of tensor operands, or -1 for variadic (e.g. {@code concatenate})
   * @param shapeRule output type from input types; validates and throws {@link EngineException}
   * @param impl the kernel
   */
  public static Primitive define(String name, int arity, ShapeRule shapeRule, ImplRule impl) {
    Primitive p = new Primitive(name, arity, shapeRule, impl);
    ALL.add(p);
    return p;
  }

  /** Every primitive defined so far (families load when first used; see {@code prim.Prims}). */
  public static List<Primitive> all() {
    synchronized (ALL) {
      return List.copyOf(ALL);
    }
  }

  /** The primitive's name, e.g. {@code dot_general}. */
  public String name() {
    return name;
  }

  /** Number of tensor operands, -1 if variadic. */
  public int arity() {
    return arity;
  }

  /** Abstract evaluation: the output type, or an {@link EngineException}. */
  public TensorType shape(TensorType[] in, Params params) {
    return shapeRule.apply(in, params);
  }

  /** Runs the kernel on concrete inputs. */
  public DenseTensor impl(DenseTensor[] in, Params params, TensorType out) {
    return impl.apply(in, params, out);
  }

  @Override
  public String toString() {
    return name;
  }
}
