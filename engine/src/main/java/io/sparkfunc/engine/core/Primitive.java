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
 * <p>A card carries {@code impl} (the kernel) and {@code shapeRule} (abstract evaluation), set at
 * definition, and the transform rules set right under it: {@code jvp} (forward mode), {@code vjp}
 * (reverse mode), {@code batch} (vmap), or a declaration that the primitive is non-differentiable.
 * Rules are written with public ops, so they are themselves differentiable and batchable.
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
  private JvpRule jvp;
  private VjpRule vjp;
  private BatchRule batch;
  private String nonDifferentiable;
  private boolean random;
  private InPlace inPlace;
  private boolean view;

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

  /**
   * Runs the kernel on concrete inputs. Before an in-place primitive writes operand 0, deferred
   * results still reading its storage are computed (NOTE [Elementwise fusion] in {@code
   * prim.FusedStorage}).
   */
  public DenseTensor impl(DenseTensor[] in, Params params, TensorType out) {
    if (inPlace != null) {
      in[0].storage().beforeWrite();
    }
    return impl.apply(in, params, out);
  }

  // ---- transform rules (set once, in the family's static initializer, right under the card) ----

  /** Sets the forward-mode rule. */
  public Primitive jvp(JvpRule rule) {
    requireUnset(jvp, "jvp");
    this.jvp = rule;
    return this;
  }

  /** Sets the reverse-mode rule. */
  public Primitive vjp(VjpRule rule) {
    requireUnset(vjp, "vjp");
    this.vjp = rule;
    return this;
  }

  /** Sets a reverse-mode rule that computes only the wanted cotangents (NOTE [Wanted cotangents]). */
  public Primitive vjp(VjpRule.Selective rule) {
    return vjp((VjpRule) rule);
  }

  /** Sets the vmap rule. */
  public Primitive batch(BatchRule rule) {
    requireUnset(batch, "batch");
    this.batch = rule;
    return this;
  }

  /**
   * Declares that the output carries no derivative (comparisons, argmax, integer outputs, random
   * bits): its tangent and every input cotangent are zero.
   *
   * @param reason why, for the coverage table and error messages
   */
  public Primitive nonDifferentiable(String reason) {
    requireUnset(nonDifferentiable, "nonDifferentiable");
    this.nonDifferentiable = reason;
    return this;
  }

  /** Marks a random primitive (vmap consults its randomness policy). */
  public Primitive random() {
    this.random = true;
    return this;
  }

  /**
   * Marks an in-place primitive (it writes operand 0 and returns it): the transforms that do not
   * write memory (grad, jvp, functionalize) compute {@link InPlace#functional} instead and rebind
   * the written tracer.
   */
  public Primitive inPlace(InPlace rule) {
    requireUnset(inPlace, "inPlace");
    this.inPlace = rule;
    return this;
  }

  /**
   * Marks a view primitive: on concrete tensors its output shares its one operand's storage, so a
   * write into the output is a write into the operand. Its vjp rule is the adjoint of a selection
   * and places values back where the view took them from; the transforms that do not write memory
   * use it to carry a write through a view into its base.
   */
  public Primitive view() {
    this.view = true;
    return this;
  }

  /** The in-place description, or null for primitives that write nothing. */
  public InPlace inPlaceRule() {
    return inPlace;
  }

  /** True for view primitives. */
  public boolean isView() {
    return view;
  }

  /** The forward-mode rule, or null. */
  public JvpRule jvpRule() {
    return jvp;
  }

  /** The reverse-mode rule, or null. */
  public VjpRule vjpRule() {
    return vjp;
  }

  /** The vmap rule, or null. */
  public BatchRule batchRule() {
    return batch;
  }

  /** Why the primitive has no derivative, or null if it is differentiable. */
  public String nonDifferentiableReason() {
    return nonDifferentiable;
  }

  /** True for random primitives. */
  public boolean isRandom() {
    return random;
  }

  private void requireUnset(Object current, String what) {
    if (current != null) {
      throw new IllegalStateException(name + ": " + what + " rule set twice");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
