package io.sparkfunc.engine.kernel;

import java.util.logging.Logger;

/**
 * Chooses the kernels once per JVM: the SIMD implementation when {@code jdk.incubator.vector} is
 * present and usable, else {@link ScalarKernels} with one warning naming the flag to pass.
 *
 * <p>The SIMD class is loaded reflectively, so this class (and all of the engine but {@code
 * kernel.simd}) loads on a JVM started without the incubator module. {@code
 * -Dsparkfunc.kernels=scalar} forces the scalar kernels (for differential tests and debugging).
 */
public final class KernelProvider {
  private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());
  static final String SIMD_CLASS = "io.sparkfunc.engine.kernel.simd.VectorKernels";

  private KernelProvider() {}

  private static final class Holder {
    static final Kernels INSTANCE = lookup();
  }

  /** The kernels in use. */
  public static Kernels get() {
    return Holder.INSTANCE;
  }

  /** The SIMD kernels, or null if the Vector API is not available in this JVM. */
  public static Kernels simdOrNull() {
    try {
      Class.forName("jdk.incubator.vector.FloatVector");
      return (Kernels) Class.forName(SIMD_CLASS).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  private static Kernels lookup() {
    if ("scalar".equals(System.getProperty("sparkfunc.kernels"))) {
      return ScalarKernels.INSTANCE;
    }
    Kernels simd = simdOrNull();
    if (simd == null) {
      LOG.warning(
          "sparkfunc: SIMD kernels are off because the Vector API module is missing; "
              + "pass '--add-modules jdk.incubator.vector' to java for vectorized kernels.");
      return ScalarKernels.INSTANCE;
    }
    return simd;
  }
}
