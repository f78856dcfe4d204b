package io.sparkfunc.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.prim.Prims;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Gates that keep the registry honest: every primitive has a registry entry (so the generated
 * forward, vmap and derivative checks reach it), every entry names real primitives, and every
 * primitive carries the rules the transforms need: a batching rule (random primitives answer to
 * vmap's randomness policy instead) and jvp plus vjp rules unless declared non-differentiable or
 * in-place (grad and jvp run an in-place primitive's functional twin, whose cards carry the rules).
 */
@Tag("unit")
class PrimitiveCoverageTest {

  @Test
  void everyPrimitiveHasARegistryEntryAndEveryEntryNamesAPrimitive() {
    Set<String> primitives = new TreeSet<>();
    for (Primitive p : Prims.all()) {
      primitives.add(p.name());
    }
    Set<String> covered = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    for (OpInfo op : OpDb.all()) {
      for (String name : op.primitives()) {
        covered.add(name);
        if (!primitives.contains(name)) {
          unknown.add(op.name() + " -> " + name);
        }
      }
    }
    Set<String> missing = new TreeSet<>(primitives);
    missing.removeAll(covered);
    assertTrue(missing.isEmpty(), "primitives without a registry entry: " + missing);
    assertTrue(unknown.isEmpty(), "entries naming no primitive: " + unknown);
  }

  @Test
  void everyPrimitiveHasTheRulesTransformsNeed() {
    List<String> gaps = new ArrayList<>();
    for (Primitive p : Prims.all()) {
      if (p.batchRule() == null && !p.isRandom()) {
        gaps.add(p.name() + ": no batching rule");
      }
      boolean differentiable = p.nonDifferentiableReason() == null && p.inPlaceRule() == null;
      if (differentiable && (p.jvpRule() == null || p.vjpRule() == null)) {
        gaps.add(p.name() + ": no jvp/vjp rule, not declared non-differentiable and not in-place");
      }
    }
    assertTrue(gaps.isEmpty(), "rule gaps: " + gaps);
  }
}
