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

/**
 * The ensemble-stats state against a two-pass reference over every (sample, row) prediction:
 * blocks, serialization mid-block, and the merge laws (identity, associativity, commutativity).
 */
@Tag("unit")
class EnsembleStatsStateTest {
  private static final String SPEC = "mlp(4,6,3;act=tanh)";
  private static final Model MODEL = Models.parse(SPEC);
  private static final double[][] SAMPLES = {MODEL.init(1).toDoubleArray(), MODEL.init(2).toDoubleArray(),
      MODEL.init(3).toDoubleArray(), MODEL.init(4).toDoubleArray()};
  private static final Rows ROWS = new Rows(MODEL, 45, 5);
  /** About 5 rows per block. */
  private static final long SMALL = 5L * 8 * (4 + SAMPLES.length * (4 + 3));

  /** {mean, total var, epistemic var} over rows [from, to), straight from predict, two passes. */
  static double[][] reference(int from, int to) {
    int k = MODEL.numOutputs();
    int s = SAMPLES.length;
    double[][][] p = new double[to - from][s][];
    double[] mean = new double[k];
    for (int i = from; i < to; i++) {
      for (int t = 0; t < s; t++) {
        p[i - from][t] = MODEL.predict(Tensors.of(SAMPLES[t]), Tensors.of(ROWS.x[i])).toDoubleArray();
        for (int j = 0; j < k; j++) {
          mean[j] += p[i - from][t][j] / ((to - from) * s);
        }
      }
    }
    double[] var = new double[k];
    double[] epi = new double[k];
    for (double[][] row : p) {
      for (int j = 0; j < k; j++) {
        double rowMean = 0;
        for (double[] q : row) {
          rowMean += q[j] / s;
        }
        for (double[] q : row) {
          var[j] += (q[j] - mean[j]) * (q[j] - mean[j]) / ((to - from) * s);
          epi[j] += (q[j] - rowMean) * (q[j] - rowMean) / (s * (to - from));
        }
      }
    }
    return new double[][] {mean, var, epi};
  }

  private static EnsembleStatsState fill(int from, int to) {
    EnsembleStatsState st = new EnsembleStatsState("ensemble_stats", SMALL);
    for (int i = from; i < to; i++) {
      st.add(SPEC, SAMPLES, ROWS.x[i]);
    }
    return st;
  }

  private static void assertStats(double[][] want, EnsembleStatsState got, String what) {
    assertClose(want[0], got.mean(), 1e-12, what + ": mean");
    assertClose(want[1], got.variance(), 1e-12, what + ": var");
    assertClose(want[2], got.epistemicVariance(), 1e-12, what + ": epistemic var");
  }

  @Test
  void blocksGiveTheTwoPassResultAndTheLawOfTotalVarianceHolds() {
    EnsembleStatsState st = fill(0, 45);
    assertEquals(45, st.count());
    double[][] want = reference(0, 45);
    assertStats(want, st, "45 rows in blocks of 5");
    for (int j = 0; j < 3; j++) {
      assertTrue(want[2][j] > 0 && want[2][j] < want[1][j], "epistemic part of the total variance");
    }
  }

  @Test
  void serializationMidBlockKeepsThePendingRows() throws Exception {
    EnsembleStatsState back = roundTrip(fill(0, 8)); // one block of 5 flushed, 3 rows pending
    for (int i = 8; i < 13; i++) {
      back.add(SPEC, SAMPLES, ROWS.x[i]);
    }
    assertEquals(13, back.count());
    assertStats(reference(0, 13), back, "after a round trip");
  }

  @Test
  void mergeIsAssociativeAndCommutativeWithTheEmptyStateAsIdentity() {
    double[][] all = reference(0, 45);
    EnsembleStatsState left = fill(0, 11).merge(fill(11, 30)).merge(fill(30, 45));
    EnsembleStatsState right = fill(0, 11).merge(fill(11, 30).merge(fill(30, 45)));
    EnsembleStatsState swapped = fill(30, 45).merge(fill(0, 11)).merge(fill(11, 30));
    EnsembleStatsState[] states = {left, right, swapped, new EnsembleStatsState("e").merge(fill(0, 45)),
        fill(0, 45).merge(new EnsembleStatsState("e"))};
    for (EnsembleStatsState st : states) {
      assertEquals(45, st.count());
      assertStats(all, st, "merged");
    }
    EnsembleStatsState empty = new EnsembleStatsState("e");
    assertNull(empty.mean());
    assertNull(empty.variance());
    assertEquals(0, empty.count());
  }

  @Test
  void badSamplesNameTheArgumentAndTheSample() {
    EnsembleStatsState st = new EnsembleStatsState("ensemble_stats");
    double[][] shortOne = {SAMPLES[0], new double[5]};
    BadInput e = assertThrows(BadInput.class, () -> st.add(SPEC, shortOne, ROWS.x[0]));
    assertEquals("param_samples", e.argument());
    assertTrue(e.getMessage().contains("param_samples[1]") && e.getMessage().contains("got param_samples: f64[5]"),
        e.getMessage());
    assertEquals("param_samples", assertThrows(BadInput.class,
        () -> st.add(SPEC, new double[0][], ROWS.x[0])).argument());
    assertEquals("features", assertThrows(BadInput.class,
        () -> st.add(SPEC, SAMPLES, new double[3])).argument());
    EnsembleStatsState started = fill(0, 2);
    double[][] other = {SAMPLES[1], SAMPLES[0], SAMPLES[2], SAMPLES[3]};
    assertEquals("param_samples", assertThrows(BadInput.class, () -> started.add(SPEC, other, ROWS.x[3])).argument());
  }

  private static EnsembleStatsState roundTrip(EnsembleStatsState st) throws Exception {
    return EnsembleStatsState.of(SerialForms.roundTrip(st));
  }
}
