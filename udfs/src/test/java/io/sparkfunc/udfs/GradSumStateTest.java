package io.sparkfunc.udfs;

import static io.sparkfunc.udfs.Rows.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.Tensors;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The aggregate state: blocks, serialization mid-block, and the merge laws, against one big block. */
@Tag("unit")
class GradSumStateTest {
  private static final String SPEC = "softmax(5,3)";
  private static final Model MODEL = Models.parse(SPEC);
  private static final double[] THETA = MODEL.init(11).toDoubleArray();
  private static final Rows ROWS = new Rows(MODEL, 40, 12);
  /** About 7 rows per block: (P + d) * 8 bytes per row. */
  private static final long SMALL = 7L * 8 * (MODEL.numParams() + MODEL.numFeatures());

  private static double[] reference(int from, int to, double clip) {
    PerSample ps = PerSample.of(MODEL);
    return (Double.isInfinite(clip) ? ps.gradSum(Tensors.of(THETA), ROWS.block(from, to))
        : ps.clippedSum(Tensors.of(THETA), ROWS.block(from, to), clip)).toDoubleArray();
  }

  private static GradSumState fill(int from, int to, double clip) {
    GradSumState s = new GradSumState("test", SMALL);
    for (int i = from; i < to; i++) {
      s.add(SPEC, THETA, ROWS.x[i], ROWS.y[i], clip);
    }
    return s;
  }

  @Test
  void blocksGiveTheOneBlockResult() {
    for (double clip : new double[] {0.5, Double.POSITIVE_INFINITY}) {
      GradSumState s = fill(0, 40, clip);
      assertEquals(40, s.count());
      assertClose(reference(0, 40, clip), s.sum(), 1e-12, "clip " + clip);
    }
  }

  @Test
  void blockRowsGiveTheRowByRowResultAndAnEmptySampleChecksTheBlock() {
    int d = MODEL.numFeatures();
    double[] x = new double[40 * d];
    for (int i = 0; i < 40; i++) {
      System.arraycopy(ROWS.x[i], 0, x, i * d, d);
    }
    int[] picked = {0, 3, 4, 9, 17, 18, 19, 20, 21, 22, 39};
    GradSumState byBlock = new GradSumState("test", SMALL);
    byBlock.addBlock(SPEC, THETA, x, ROWS.y, picked, 0.5);
    GradSumState byRow = new GradSumState("test", SMALL);
    for (int i : picked) {
      byRow.add(SPEC, THETA, ROWS.x[i], ROWS.y[i], 0.5);
    }
    assertEquals(picked.length, byBlock.count());
    assertClose(byRow.sum(), byBlock.sum(), 1e-12, "the picked rows of a flat block");
    GradSumState empty = new GradSumState("test", SMALL);
    empty.addBlock(SPEC, THETA, x, ROWS.y, new int[0], 0.5);
    assertEquals(0, empty.count());
    assertNull(empty.sum());
    BadInput e = assertThrows(BadInput.class,
        () -> new GradSumState("test", SMALL).addBlock(SPEC, THETA, new double[d + 1], new double[1], new int[0], 0.5));
    assertEquals("features", e.argument());
  }

  @Test
  void wholeBlocksRunInPlaceAndMixWithPendingRows() {
    int d = MODEL.numFeatures();
    double[][] xs = new double[6][];
    double[][] ys = new double[6][];
    for (int b = 0; b < 6; b++) { // blocks of 7, 7, 3, 7, 7, 9 rows over rows 0..39
      int from = new int[] {0, 7, 14, 17, 24, 31}[b];
      int to = new int[] {7, 14, 17, 24, 31, 40}[b];
      xs[b] = new double[(to - from) * d];
      ys[b] = java.util.Arrays.copyOfRange(ROWS.y, from, to);
      for (int i = from; i < to; i++) {
        System.arraycopy(ROWS.x[i], 0, xs[b], (i - from) * d, d);
      }
    }
    long before = PerSample.blocksProcessed();
    GradSumState inPlace = new GradSumState("test", SMALL);
    for (int b = 0; b < 2; b++) {
      double[] copy = xs[b].clone();
      inPlace.addBlock(SPEC, THETA, xs[b], ys[b], java.util.stream.IntStream.range(0, 7).toArray(), 0.5);
      assertTrue(java.util.Arrays.equals(copy, xs[b]), "a block run in place is left as it was");
    }
    assertEquals(2, PerSample.blocksProcessed() - before, "two whole blocks of 7, one engine call each");
    assertEquals(14, inPlace.count());
    assertClose(fill(0, 14, 0.5).sum(), inPlace.sum(), 1e-12, "whole blocks in place vs row by row");
    // A short block leaves rows pending; the next whole block then joins them, and a block larger than 7 is cut.
    for (int b = 2; b < 6; b++) {
      inPlace.addBlock(SPEC, THETA, xs[b], ys[b], java.util.stream.IntStream.range(0, ys[b].length).toArray(), 0.5);
    }
    assertEquals(40, inPlace.count());
    assertClose(reference(0, 40, 0.5), inPlace.sum(), 1e-12, "in place, pending and cut blocks together");
    Block view = Block.view(d, xs[0], ys[0]);
    assertEquals(7, view.size());
    assertThrows(UnsupportedOperationException.class, () -> view.add(ROWS.x[0], 0));
    assertThrows(IllegalArgumentException.class, () -> Block.view(d, xs[0], ys[2]));
  }

  @Test
  void serializationMidBlockKeepsThePendingRows() throws Exception {
    GradSumState s = fill(0, 10, 0.5); // one block of 7 flushed, 3 rows pending
    GradSumState back = roundTrip(s);
    for (int i = 10; i < 15; i++) {
      back.add(SPEC, THETA, ROWS.x[i], ROWS.y[i], 0.5);
    }
    assertEquals(15, back.count());
    assertClose(reference(0, 15, 0.5), back.sum(), 1e-12, "after a round trip");
  }

  @Test
  void mergeIsAssociativeAndCommutativeWithTheEmptyStateAsIdentity() {
    double[] all = reference(0, 40, 0.5);
    GradSumState left = fill(0, 13, 0.5).merge(fill(13, 29, 0.5)).merge(fill(29, 40, 0.5));
    GradSumState right = fill(0, 13, 0.5).merge(fill(13, 29, 0.5).merge(fill(29, 40, 0.5)));
    GradSumState swapped = fill(29, 40, 0.5).merge(fill(0, 13, 0.5)).merge(fill(13, 29, 0.5));
    for (GradSumState s : new GradSumState[] {left, right, swapped,
        new GradSumState("test").merge(fill(0, 40, 0.5)), fill(0, 40, 0.5).merge(new GradSumState("test"))}) {
      assertEquals(40, s.count());
      assertClose(all, s.sum(), 1e-12, "merged");
    }
    GradSumState empty = new GradSumState("test");
    assertNull(empty.sum());
    assertEquals(0, empty.count());
  }

  @Test
  void badRowsNameTheArgument() {
    GradSumState s = new GradSumState("dp_clipped_grad_sum");
    BadInput e = assertThrows(BadInput.class, () -> s.add(SPEC, THETA, new double[4], 0.0, 1));
    assertEquals("features", e.argument());
    assertTrue(e.getMessage().startsWith("dp_clipped_grad_sum: expected 5 values for softmax(5,3)"), e.getMessage());
    assertEquals("label", assertThrows(BadInput.class, () -> s.add(SPEC, THETA, ROWS.x[0], 3.0, 1)).argument());
    assertEquals("label", assertThrows(BadInput.class, () -> s.add(SPEC, THETA, ROWS.x[0], null, 1)).argument());
    assertEquals("features", assertThrows(BadInput.class,
        () -> s.add(SPEC, THETA, new double[] {0, 1, Double.NaN, 0, 0}, 1.0, 1)).argument());
    assertEquals("params", assertThrows(BadInput.class,
        () -> new GradSumState("f").add(SPEC, new double[3], ROWS.x[0], 1.0, 1)).argument());
    GradSumState started = fill(0, 2, 1);
    double[] other = THETA.clone();
    other[0] += 1;
    assertEquals("params", assertThrows(BadInput.class,
        () -> started.add(SPEC, other, ROWS.x[2], ROWS.y[2], 1)).argument());
  }

  private static GradSumState roundTrip(GradSumState s) throws Exception {
    return GradSumState.of(SerialForms.roundTrip(s));
  }
}
