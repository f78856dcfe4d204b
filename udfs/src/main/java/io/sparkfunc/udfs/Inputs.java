package io.sparkfunc.udfs;

import io.sparkfunc.udfs.model.Model;

/**
 * Row checks shared by every function: a bad value is a {@link BadInput} naming the argument,
 * never a skipped row or a silent NaN.
 */
public final class Inputs {
  private Inputs() {}

  /** {@code params} must be {@code f64[P]} of finite values for {@code model}. */
  public static void checkParams(String where, Model model, double[] params) {
    if (params == null) {
      throw new BadInput(where, "params", "an array of " + model.numParams() + " parameters for " + model.spec(),
          "null", "pass the flat parameters, e.g. from sparkfunc.init_params('" + model.spec() + "', seed)");
    }
    if (params.length != model.numParams()) {
      throw new BadInput(where, "params", model.numParams() + " parameters for " + model.spec(),
          "f64[" + params.length + "]", "pass parameters made for this spec (see init_params)");
    }
    int bad = firstNonFinite(params);
    if (bad >= 0) {
      throw new BadInput(where, "params", "finite values", params[bad] + " at index " + bad,
          "check the parameters (a diverged training step gives NaN)");
    }
  }

  /** {@code features} must be {@code f64[d]} of finite values for {@code model}. */
  public static void checkFeatures(String where, Model model, double[] features) {
    if (features == null) {
      throw new BadInput(where, "features", "an array of " + model.numFeatures() + " values",
          "null", "filter or impute rows with null features before calling " + where);
    }
    if (features.length != model.numFeatures()) {
      throw new BadInput(where, "features", model.numFeatures() + " values for " + model.spec(),
          "f64[" + features.length + "]", "give every row " + model.numFeatures() + " features");
    }
    int bad = firstNonFinite(features);
    if (bad >= 0) {
      throw new BadInput(where, "features", "finite values", features[bad] + " at index " + bad,
          "filter or impute non-finite features before calling " + where);
    }
  }

  /** The label must suit the model: finite; 0..1 for logreg; an integer in [0, k) for classifiers. */
  public static void checkLabel(String where, Model model, Double label) {
    if (label == null || !Double.isFinite(label)) {
      throw new BadInput(where, "label", "a finite number", String.valueOf(label),
          "filter or impute rows with missing labels before calling " + where);
    }
    double y = label;
    switch (model.labelKind()) {
      case BINARY:
        if (y < 0 || y > 1) {
          throw new BadInput(where, "label", "a 0/1 target (or a probability) for " + model.spec(),
              String.valueOf(y), "encode the classes as 0 and 1");
        }
        break;
      case CLASS:
        if (y != Math.rint(y) || y < 0 || y >= model.numOutputs()) {
          throw new BadInput(where, "label", "a class index in [0, " + model.numOutputs() + ") for " + model.spec(),
              String.valueOf(y), "encode the classes as 0.." + (model.numOutputs() - 1));
        }
        break;
      default:
        break;
    }
  }

  /** The clip norm must be positive (infinity means no clipping). */
  public static void checkClip(String where, Double clip) {
    if (clip == null || !(clip > 0)) {
      throw new BadInput(where, "clip_norm", "a positive number", String.valueOf(clip),
          "pass the per-sample L2 clipping bound C, e.g. 1.0");
    }
  }

  private static int firstNonFinite(double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }
}
