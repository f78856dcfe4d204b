package io.sparkfunc.udfs;

import static io.sparkfunc.udfs.Rows.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ghost-clipping route of the built-in specs (norms, sums, clipped sums) against the
 * reference route over materialized {@code vmap(grad(loss))} gradients, within 1e-10 relative.
 */
@Tag("unit")
class GhostClippingTest {
  private static final String[] SPECS = {"linreg(5)", "logreg(5)", "softmax(6,4)", "mlp(6,5,4;act=tanh)",
      "mlp(6,5,4;act=relu)", "mlp(5,4,3,3;act=gelu)"};
  private static final double TOL = 1e-10;

  @Test
  void randomBlocksMatchTheVmapRouteClippedAndUnclipped() {
    for (String spec : SPECS) {
      Model m = Models.parse(spec);
      for (long seed = 1; seed <= 3; seed++) {
        Rows rows = new Rows(m, 23, seed);
        Tensor theta = m.init(seed).mul(3);
        double[] norms = check(spec + " seed " + seed, m, theta, rows.block(0, 23), Double.POSITIVE_INFINITY);
        double[] sorted = norms.clone();
        Arrays.sort(sorted);
        check(spec + " seed " + seed + " median clip", m, theta, rows.block(0, 23), sorted[11]);
        check(spec + " seed " + seed + " tiny clip", m, theta, rows.block(0, 23), sorted[0] / 10);
      }
    }
  }

  @Test
  void rowsExactlyAtTheBoundZeroFeatureRowsAndOneRowBlocks() {
    for (String spec : SPECS) {
      Model m = Models.parse(spec);
      Rows rows = new Rows(m, 9, 7);
      Arrays.fill(rows.x[4], 0);
      Tensor theta = m.init(7);
      double[] norms = check(spec + " unclipped", m, theta, rows.block(0, 9), Double.POSITIVE_INFINITY);
      check(spec + " row 3 at the bound", m, theta, rows.block(0, 9), norms[3]);
      check(spec + " zero-feature row at the bound", m, theta, rows.block(0, 9), norms[4]);
      check(spec + " one row", m, theta, rows.block(2, 3), 0.5);
      check(spec + " one row unclipped", m, theta, rows.block(2, 3), Double.POSITIVE_INFINITY);
    }
  }

  @Test
  void zeroGradientRowsKeepFactorOneAndAddNothing() {
    Model m = Models.parse("linreg(4)");
    Tensor theta = m.init(2);
    Rows rows = new Rows(m, 6, 2);
    double bias = theta.toDoubleArray()[4];
    for (int i : new int[] {1, 5}) {
      Arrays.fill(rows.x[i], 0);
      rows.y[i] = bias;
    }
    double[] norms = check("linreg zero rows", m, theta, rows.block(0, 6), 0.3);
    assertEquals(0, norms[1], 0);
    assertEquals(0, norms[5], 0);
    check("linreg zero rows only", m, theta, rows.block(5, 6), 0.3);
  }

  @Test
  void classLabelOutOfRangeIsAnErrorNamingTheRow() {
    Model m = Models.parse("softmax(3,4)");
    Block block = new Block(3);
    block.add(new double[] {1, 2, 3}, 1);
    block.add(new double[] {0, 1, 0}, 4);
    EngineException e = assertThrows(EngineException.class, () -> PerSample.of(m).clippedSum(m.init(1), block, 1.0));
    assertTrue(e.getMessage().contains("label 4 at row 1"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 4)"), e.getMessage());
  }

  /** Asserts the three ghost results equal the reference route; returns the reference norms. */
  private static double[] check(String what, Model m, Tensor theta, Block block, double clip) {
    PerSample ps = PerSample.of(m);
    Tensor g = ps.grads(theta, block);
    double[] norms = PerSample.norms(g).toDoubleArray();
    assertClose(norms, ps.gradNorms(theta, block).toDoubleArray(), TOL, what + ": norms");
    assertClose(g.sum(false, 0).toDoubleArray(), ps.gradSum(theta, block).toDoubleArray(), TOL, what + ": sum");
    if (!Double.isInfinite(clip)) {
      double[] want = PerSample.clippedSum(g, clip).toDoubleArray();
      double[] got = ps.clippedSum(theta, block, clip).toDoubleArray();
      assertClose(want, got, TOL, what + ": clipped sum");
      assertTrue(Arrays.stream(got).allMatch(Double::isFinite), what + ": finite");
    }
    return norms;
  }
}
