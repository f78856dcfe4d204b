package io.sparkfunc.udfs.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The accountant against published values: TF-Privacy's {@code rdp_accountant_test.py}
 * (tensorflow/privacy, tensorflow_privacy/privacy/analysis/rdp_accountant_test.py, commit
 * 385fefc8), whose numbers were checked there against multi-precision integration, and the
 * closed form for q = 1.
 */
@Tag("unit")
class RdpAccountantTest {

  @Test
  void noSamplingIsTheGaussianClosedForm() {
    // test_compute_rdp_no_sampling: q = 1, RDP = alpha / (2 sigma^2).
    assertEquals(0.1, RdpAccountant.rdp(1, 10, 1, new double[] {20})[0], 1e-15);
    assertEquals(3 * 2.5 / (2 * 1.3 * 1.3), RdpAccountant.rdp(1, 1.3, 3, new double[] {2.5})[0], 1e-12);
    assertEquals(0, RdpAccountant.rdp(0, 10, 1, new double[] {20})[0]);
  }

  @Test
  void scalarOrderMatchesTfPrivacy() {
    // test_compute_rdp_scalar: compute_rdp(0.1, 2, 10, 5) == 0.07737 (places=5).
    assertEquals(0.07737, RdpAccountant.rdp(0.1, 2, 10, new double[] {5})[0], 5e-6);
  }

  @Test
  void orderSequenceMatchesTfPrivacy() {
    // test_compute_rdp_sequence: integer and fractional orders, delta=1e-5.
    double[] orders = {1.5, 2.5, 5, 50, 100, Double.POSITIVE_INFINITY};
    double[] want = {0.00065, 0.001085, 0.00218075, 0.023846, 167.416307, Double.POSITIVE_INFINITY};
    double[] got = RdpAccountant.rdp(0.01, 2.5, 50, orders);
    for (int i = 0; i < orders.length; i++) {
      assertEquals(want[i], got[i], 1e-5, "order " + orders[i]);
    }
  }

  @Test
  void epsilonForTargetDeltaMatchesTfPrivacy() {
    // test_get_privacy_spent_check_target_delta: q=0.01, sigma=4, 10000 steps, orders 2..32,
    // delta=1e-5 -> eps 1.258575 (places=5) with Mironov's conversion.
    double[] orders = new double[31];
    for (int i = 0; i < orders.length; i++) {
      orders[i] = i + 2;
    }
    double[] rdp = RdpAccountant.rdp(0.01, 4, 10000, orders);
    assertEquals(1.258575, RdpAccountant.epsilonClassic(orders, rdp, 1e-5), 5e-6);
    double improved = RdpAccountant.epsilon(orders, rdp, 1e-5);
    assertTrue(improved < 1.258575 && improved > 1.0, "Balle et al. conversion is tighter: " + improved);
  }

  @Test
  void noiseForEpsilonInvertsEpsilon() {
    double q = 128.0 / 1437;
    long steps = 400;
    double sigma = RdpAccountant.noiseForEpsilon(4.0, 1e-5, q, steps);
    assertTrue(RdpAccountant.epsilon(q, sigma, steps, 1e-5) <= 4.0);
    assertTrue(RdpAccountant.epsilon(q, sigma * 0.999, steps, 1e-5) > 4.0 - 1e-2);
  }

  @Test
  void logErfcIsAccurateAndFiniteInTheTails() {
    assertEquals(Math.log(0.157299207050285), RdpAccountant.logErfc(1), 2e-7);
    assertEquals(Math.log(1.842700792949715), RdpAccountant.logErfc(-1), 2e-7);
    assertEquals(Math.log(1.5374597944280349e-12), RdpAccountant.logErfc(5), 2e-7);
    // erfc(40) ~ 1.5e-697 underflows a double; its log does not: -x^2 - log(x sqrt(pi)) - 1/(2x^2).
    double x = 40;
    assertEquals(-x * x - Math.log(x * Math.sqrt(Math.PI)) - 1 / (2 * x * x), RdpAccountant.logErfc(x), 1e-6);
  }
}
