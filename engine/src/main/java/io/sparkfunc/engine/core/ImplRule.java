package io.sparkfunc.engine.core;

import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.TensorType;

/** A primitive's kernel: computes the output from concrete inputs whose types already passed the shape rule. */
@FunctionalInterface
public interface ImplRule {
  /**
   * @param in concrete inputs. Not modified (except by the in-place primitives, which say so).
   * @param params the primitive's parameters
   * @param out the output type computed by the primitive's {@link ShapeRule}
   * @return the output; a view sharing storage for the view primitives, else fresh storage
   */
  DenseTensor apply(DenseTensor[] in, Params params, TensorType out);
}
