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
    checkVector(where, "params", model, params,
        "pass the flat parameters, e.g. from sparkfunc.init_params('" + model.spec() + "', seed)");
  }

  /** A tangent {@code direction} in parameter space must be {@code f64[P]} of finite values. */
  public static void checkDirection(String where, Model model, double[] direction) {
    checkVector(where, "direction", model, direction,
        "pass a direction with one value per parameter (the layout of init_params('" + model.spec() + "', seed))");
  }

  /**
   * {@code param_samples} must be {@code S >= 1} parameter vectors, each {@code f64[P]} of finite
   * values for {@code model}; returns them stacked row-major, {@code f64[S*P]}.
   */
  public static double[] checkSamples(String where, Model model, double[][] samples) {
    if (samples == null || samples.length == 0) {
      throw new BadInput(where, "param_samples", "an array of parameter vectors for " + model.spec(),
          samples == null ? "null" : "an empty array", "pass at least one sample, e.g. array(init_params('"
              + model.spec() + "', 1), init_params('" + model.spec() + "', 2))");
    }
    int p = model.numParams();
    double[] flat = new double[samples.length * p];
    for (int s = 0; s < samples.length; s++) {
      checkVector(where + " (param_samples[" + s + "])", "param_samples", model, samples[s],
          "give every sample " + p + " parameters, in the layout of init_params");
      System.arraycopy(samples[s], 0, flat, s * p, p);
    }
    return flat;
  }

  private static void checkVector(String where, String argument, Model model, double[] v, String fix) {
    if (v == null) {
      throw new BadInput(where, argument, "an array of " + model.numParams() + " parameters for " + model.spec(),
          "null", fix);
    }
    if (v.length != model.numParams()) {
      throw new BadInput(where, argument, model.numParams() + " parameters for " + model.spec(),
          "f64[" + v.length + "]", fix);
    }
    int bad = firstNonFinite(v);
    if (bad >= 0) {
      throw new BadInput(where, argument, "finite values", v[bad] + " at index " + bad,
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
