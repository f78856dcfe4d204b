package io.sparkfunc.engine.transform;

import java.util.List;

/**
 * torch.func's transforms in Java: {@code vmap}, {@code grad}, {@code gradAndValue}, {@code vjp},
 * {@code jvp}, {@code linearize}, {@code jacrev}, {@code jacfwd}, {@code hessian}, {@code
 * functionalize}. Every transform
 * takes an {@link Fn} and returns one (or a result record), and they compose in any order and to
 * any depth: {@code vmap(grad(f))} gives per-sample gradients, {@code jacfwd(jacrev(f))} a
 * Hessian.
 *
 * <pre>{@code
 * // per-sample gradients of (x.w - y)^2: w: f32[d], xs: f32[n,d], ys: f32[n] -> f32[n,d]
 * Fn loss = Fn.of((w, x, y) -> x.mul(w).sum().sub(y).pow(2));
 * Tensor g = Func.vmap(Func.grad(loss), List.of(NOT_MAPPED, 0, 0)).tensor(w, xs, ys);
 * }</pre>
 */
public final class Func {
  private Func() {}

  /** The in/out dim of an argument that is not mapped (broadcast to every batch element). */
  public static final Object NOT_MAPPED =
      new Object() {
        @Override
        public String toString() {
          return "NOT_MAPPED";
        }
      };

  // ---- vmap ----

  /** {@code vmap(f)}: maps axis 0 of every argument and of every output. */
  public static Fn vmap(Fn f) {
    return vmap(f, 0, 0, 0, Randomness.ERROR);
  }

  /** {@code vmap(f, inDims)}: {@code inDims} is an int for all arguments or a list mirroring them. */
  public static Fn vmap(Fn f, Object inDims) {
    return vmap(f, inDims, 0, 0, Randomness.ERROR);
  }

  /** {@code vmap(f, inDims, outDims)}. */
  public static Fn vmap(Fn f, Object inDims, Object outDims) {
    return vmap(f, inDims, outDims, 0, Randomness.ERROR);
  }

  /**
   * The full vmap.
   *
   * @param inDims per argument (a list, one entry per argument) or for all (an int); each entry
   *     mirrors its argument's tree down to any depth; ints may be negative; {@link #NOT_MAPPED}
   *     broadcasts
   * @param outDims the same for the outputs
   * @param chunkSize 0 for the whole batch at once, else the most elements per pass
   * @param randomness what random ops inside do
   */
  public static Fn vmap(Fn f, Object inDims, Object outDims, int chunkSize, Randomness randomness) {
    return Vmap.vmap(f, inDims, outDims, chunkSize, randomness);
  }

  // ---- reverse mode ----

  /** {@code grad(f)}: the gradient with respect to argument 0 of a scalar-valued {@code f}. */
  public static Fn grad(Fn f) {
    return grad(f, new int[] {0}, false);
  }

  /** {@code grad(f, argnums)}: one gradient tree per argument listed (a list if several). */
  public static Fn grad(Fn f, int... argnums) {
    return grad(f, argnums, false);
  }

  /** {@code grad(f, argnums, hasAux)}: with hasAux, f returns {@code List.of(out, aux)} and so does this. */
  public static Fn grad(Fn f, int[] argnums, boolean hasAux) {
    return args -> {
      Object[] r = Ad.gradAndValue(f, args, argnums, hasAux, "grad(f, argnums=" + java.util.Arrays.toString(argnums) + ")");
      return hasAux ? List.of(r[0], r[2]) : r[0];
    };
  }

  /** {@code gradAndValue(f, argnums, hasAux)}: {@code List.of(grads, value)}, value being {@code List.of(out, aux)} with hasAux. */
  public static Fn gradAndValue(Fn f, int[] argnums, boolean hasAux) {
    return args -> {
      Object[] r = Ad.gradAndValue(f, args, argnums, hasAux, "gradAndValue(f, argnums=" + java.util.Arrays.toString(argnums) + ")");
      return List.of(r[0], hasAux ? List.of(r[1], r[2]) : r[1]);
    };
  }

  /** Result of {@link #vjp}: the output, its reusable pullback, and aux (null without hasAux). */
  public record VjpResult(Object out, Fn vjpFn, Object aux) {}

  /** {@code vjp(f, primals...)}: {@code vjpFn(cotangents)} returns one cotangent tree per primal (a list if several). */
  public static VjpResult vjp(Fn f, Object... primals) {
    return vjp(f, false, primals);
  }

  /** {@code vjp(f, primals..., hasAux)}. */
  public static VjpResult vjp(Fn f, boolean hasAux, Object... primals) {
    int[] all = new int[primals.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    Ad.Vjp v = Ad.vjp(f, primals, all, hasAux, "vjp(f, primals)");
    return new VjpResult(v.out(), v.pullback(), v.aux());
  }

  // ---- forward mode ----

  /** Result of {@link #jvp}: output, output tangent, aux (null without hasAux). */
  public record JvpResult(Object out, Object tangent, Object aux) {}

  /** {@code jvp(f, primals, tangents)}: tangents mirror primals. */
  public static JvpResult jvp(Fn f, Object[] primals, Object[] tangents) {
    return jvp(f, primals, tangents, false);
  }

  /** {@code jvp(f, primals, tangents, hasAux)}. */
  public static JvpResult jvp(Fn f, Object[] primals, Object[] tangents, boolean hasAux) {
    Object[] r = Ad.jvp(f, primals, tangents, hasAux, "jvp(f, primals, tangents)");
    return new JvpResult(r[0], r[1], r[2]);
  }

  /** Result of {@link #linearize}: the output and {@code jvpFn(tangents...)} giving output tangents. */
  public record LinearizeResult(Object out, Fn jvpFn) {}

  /**
   * {@code linearize(f, primals...)}: the output at the primals and the linear map {@code t ->
   * J t}. Each call of {@code jvpFn} runs forward mode at the stored primals.
   */
  public static LinearizeResult linearize(Fn f, Object... primals) {
    Object out = f.apply(primals);
    Fn jvpFn = tangents -> Ad.jvp(f, primals, tangents, false, "linearize(f, primals)")[1];
    return new LinearizeResult(out, jvpFn);
  }

  // ---- Jacobians ----

  /** {@code jacrev(f)}: the Jacobian w.r.t. argument 0 by reverse mode, shape {@code [*out, *in]}. */
  public static Fn jacrev(Fn f) {
    return jacrev(f, new int[] {0}, false, 0);
  }

  /** {@code jacrev(f, argnums, hasAux, chunkSize)}; chunkSize 0 computes all rows at once. */
  public static Fn jacrev(Fn f, int[] argnums, boolean hasAux, int chunkSize) {
    return Jacobians.jacrev(f, argnums, hasAux, chunkSize);
  }

  /** {@code jacfwd(f)}: the Jacobian w.r.t. argument 0 by forward mode. */
  public static Fn jacfwd(Fn f) {
    return jacfwd(f, new int[] {0}, false, Randomness.ERROR);
  }

  /** {@code jacfwd(f, argnums, hasAux, randomness)}. */
  public static Fn jacfwd(Fn f, int[] argnums, boolean hasAux, Randomness randomness) {
    return Jacobians.jacfwd(f, argnums, hasAux, randomness);
  }

  /** {@code hessian(f)}: {@code jacfwd(jacrev(f))} w.r.t. argument 0. */
  public static Fn hessian(Fn f) {
    return hessian(f, 0);
  }

  /** {@code hessian(f, argnums)}. */
  public static Fn hessian(Fn f, int... argnums) {
    return jacfwd(jacrev(f, argnums, false, 0), argnums, false, Randomness.ERROR);
  }

  // ---- functionalize ----

  /** {@code functionalize(f)}: {@link #functionalize(Fn, Remove)} removing mutations. */
  public static Fn functionalize(Fn f) {
    return functionalize(f, Remove.MUTATIONS);
  }

  /**
   * {@code functionalize(f, remove)}: f with its in-place ops replaced by out-of-place ones (and,
   * with {@link Remove#MUTATIONS_AND_VIEWS}, its view ops by copies). Same outputs as f; the
   * inputs are not written while f runs, and at the end every input f wrote (directly or through
   * a view) receives its final value, as torch.func does: {@code functionalize(f)(x)} leaves x as
   * {@code f(x)} would. {@code x: f32[5]}, {@code f = x -> x.add_(1).mul_(2)} gives {@code
   * f32[5]} = 2(x+1) and leaves x = 2(x+1).
   */
  public static Fn functionalize(Fn f, Remove remove) {
    return Functionalize.functionalize(f, remove);
  }
}
