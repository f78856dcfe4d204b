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
    int bad = firstNonFinite(v, 0, v.length);
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
    int bad = firstNonFinite(features, 0, features.length);
    if (bad >= 0) {
      throw new BadInput(where, "features", "finite values", features[bad] + " at index " + bad,
          "filter or impute non-finite features before calling " + where);
    }
  }

  /**
   * A block of rows held flat must fit {@code model}: {@code features: f64[n*d]} row-major and
   * {@code labels: f64[n]}, neither null ({@code n} may be 0). The rows themselves are checked
   * one at a time by {@link #checkBlockRow}.
   */
  public static void checkBlock(String where, Model model, double[] features, double[] labels) {
    int d = model.numFeatures();
    String fix = "pass the block's features row after row (n rows of " + d + ") and its n labels, as RowBlocks builds them";
    if (labels == null) {
      throw new BadInput(where, "labels", "an array of the block's labels", "null", fix);
    }
    if (features == null || (long) labels.length * d != features.length) {
      throw new BadInput(where, "features", (long) labels.length * d + " values (" + labels.length + " rows of "
          + d + " for " + model.spec() + ", row-major)", features == null ? "null" : "f64[" + features.length + "]", fix);
    }
  }

  /**
   * Row {@code r} of a block checked by {@link #checkBlock}: finite features {@code
   * features[r*d .. (r+1)*d)} and a label that suits the model ({@link #checkLabel}); errors name
   * the row within the block.
   */
  public static void checkBlockRow(String where, Model model, double[] features, double[] labels, int r) {
    int d = model.numFeatures();
    int bad = firstNonFinite(features, r * d, (r + 1) * d);
    if (bad >= 0) {
      throw new BadInput(where, "features", "finite values", features[bad] + " at index " + (bad - r * d)
          + " of row " + r + " of the block", "filter or impute non-finite features before building the blocks");
    }
    checkLabel(where, "labels", model, labels[r], " (row " + r + " of the block)");
  }

  /** The label must suit the model: finite; 0..1 for logreg; an integer in [0, k) for classifiers. */
  public static void checkLabel(String where, Model model, Double label) {
    checkLabel(where, "label", model, label, "");
  }

  /** {@link #checkLabel} of the argument {@code argument}; {@code at} follows the value in errors. */
  private static void checkLabel(String where, String argument, Model model, Double label, String at) {
    if (label == null || !Double.isFinite(label)) {
      throw new BadInput(where, argument, "a finite number", label + at,
          "filter or impute rows with missing labels before calling " + where);
    }
    double y = label;
    switch (model.labelKind()) {
      case BINARY:
        if (y < 0 || y > 1) {
          throw new BadInput(where, argument, "a 0/1 target (or a probability) for " + model.spec(),
              y + at, "encode the classes as 0 and 1");
        }
        break;
      case CLASS:
        if (y != Math.rint(y) || y < 0 || y >= model.numOutputs()) {
          throw new BadInput(where, argument, "a class index in [0, " + model.numOutputs() + ") for " + model.spec(),
              y + at, "encode the classes as 0.." + (model.numOutputs() - 1));
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

  /**
   * The sampling probability of Poisson sampling must be in [0, 1] (0 samples nothing, 1 every
   * row).
   */
  public static void checkSampleRate(String where, Double q) {
    if (q == null || !(q >= 0 && q <= 1)) {
      throw new BadInput(where, "q", "a sampling probability in [0, 1]", String.valueOf(q),
          "pass the expected batch size over the number of rows, e.g. 256.0 / n");
    }
  }

  /** A block id must not be null. */
  public static long checkBlockId(String where, Long id) {
    if (id == null) {
      throw new BadInput(where, "block_id", "the block's id (a bigint)", "null", "pass the block_id column RowBlocks builds");
    }
    return id;
  }

  /** A seed is a whole number (SQL passes numbers as double). */
  public static long checkSeed(String where, Double seed) {
    if (seed == null || seed != Math.rint(seed)) {
      throw new BadInput(where, "seed", "an integer seed", String.valueOf(seed), "pass a whole number");
    }
    return seed.longValue();
  }

  private static int firstNonFinite(double[] v, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Double.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }
}
