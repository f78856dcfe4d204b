package io.sparkfunc.engine.transform;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input to the transforms: each a clear four-part error whose text is asserted (where, expected, got, fix). */
class FuncErrorsTest {
  private static final Tensor X = Tensors.zeros(DType.F32, 3, 4);
  private static final Tensor Y = Tensors.zeros(DType.F32, 5);

  private static void assertMessage(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("Fix:"), "message lacks a fix: " + e.getMessage());
  }

  @Test
  void inDimsLongerOrShorterThanArguments() {
    Fn f = Fn.of((a, b) -> a.sum().add(b.sum()));
    EngineException longer = assertThrows(EngineException.class,
        () -> Func.vmap(f, Arrays.asList(0, 0, 0)).apply(X, X));
    assertMessage(longer, "vmap(f, inDims=[0, 0, 0])", "one in dim per argument (2)", "inDims of length 3");
    EngineException shorter = assertThrows(EngineException.class,
        () -> Func.vmap(f, List.of(0)).apply(X, X));
    assertMessage(shorter, "inDims of length 1 for 2 arguments");
  }

  @Test
  void inDimOutOfRange() {
    EngineException e = assertThrows(EngineException.class,
        () -> Func.vmap(Fn.of(t -> t.sum()), 2).apply(X));
    assertMessage(e, "in dim 2 for argument 0 (f32[3,4])", "in dim in [-2, 1]");
  }

  @Test
  void mappedSizesDiffer() {
    EngineException e = assertThrows(EngineException.class,
        () -> Func.vmap(Fn.of((a, b) -> a.sum().add(b)), List.of(0, 0)).apply(X, Y));
    assertMessage(e, "all mapped axes to have one size", "size 3 at axis 0 of input 0 (f32[3,4])",
        "size 5 at axis 0 of input 1 (f32[5])", "NOT_MAPPED");
  }

  @Test
  void gradOfNonScalarOutput() {
    EngineException e = assertThrows(EngineException.class,
        () -> Func.grad(Fn.of(t -> t.mul(2))).apply(Y));
    assertMessage(e, "grad(f, argnums=[0])", "scalar tensor", "f32[5]", "vjp or jacrev");
  }

  @Test
  void argnumsOutOfRange() {
    EngineException e = assertThrows(EngineException.class,
        () -> Func.grad(Fn.of(t -> t.sum()), 1).apply(Y));
    assertMessage(e, "argnums in [0, 0] for 1 argument", "argnums [1]");
  }

  @Test
  void hasAuxWithoutPair() {
    EngineException e = assertThrows(EngineException.class,
        () -> Func.grad(Fn.of(t -> t.sum()), new int[] {0}, true).apply(Y));
    assertMessage(e, "hasAux=true", "pair (output, aux)", "f32[]");
  }

  @Test
  void dataDependentReadInsideVmap() {
    EngineException e = assertThrows(EngineException.class,
        () -> Func.vmap(Fn.of(t -> t.sum().item() > 0 ? t : t.neg())).apply(X));
    assertMessage(e, "item inside vmap", "data-dependent", "where(mask, a, b)");
  }

  @Test
  void tracerEscapingItsTransform() {
    Tensor[] leaked = new Tensor[1];
    Func.vmap(Fn.of(t -> {
      leaked[0] = t.mul(2);
      return t;
    })).apply(X);
    EngineException e = assertThrows(EngineException.class, () -> leaked[0].add(Y.sum()));
    assertMessage(e, "escaped its vmap", "f32[4]");
  }

  @Test
  void randomOpUnderRandomnessError() {
    Key key = Key.of(7);
    EngineException e = assertThrows(EngineException.class,
        () -> Func.vmap(Fn.of(t -> t.add(Random.rand(key, DType.F32, 4)))).apply(X));
    assertMessage(e, "randomness=ERROR", "random_bits", "Randomness.DIFFERENT");
  }

  @Test
  void wrongCotangentShape() {
    Func.VjpResult r = Func.vjp(Fn.of(t -> t.mul(2)), Y);
    EngineException e = assertThrows(EngineException.class,
        () -> r.vjpFn().apply(Tensors.zeros(DType.F32, 4)));
    assertMessage(e, "vjp_fn(cotangents)", "f32[5]", "f32[4]");
  }
}
