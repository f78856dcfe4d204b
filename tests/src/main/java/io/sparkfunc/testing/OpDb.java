package io.sparkfunc.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The registry: one {@link OpInfo} per primitive and composite. Entries live in per-family files
 * ({@link ElementwiseOps}, {@link StructuralOps}, ...) so each stays small; this class only
 * concatenates them. The coverage gate test fails when a primitive has no entry.
 */
public final class OpDb {
  private OpDb() {}

  private static final List<OpInfo> ALL = build();

  private static List<OpInfo> build() {
    List<OpInfo> all = new ArrayList<>();
    all.addAll(ElementwiseOps.entries());
    all.addAll(ReductionOps.entries());
    all.addAll(IndexingOps.entries());
    all.addAll(StructuralOps.entries());
    all.addAll(ConvertOps.entries());
    all.addAll(MutationOps.entries());
    all.addAll(LinearAlgebraOps.entries());
    return Collections.unmodifiableList(all);
  }

  /** Every entry. */
  public static List<OpInfo> all() {
    return ALL;
  }
}
