package io.sparkfunc.spark.jobs;

import io.sparkfunc.engine.core.EngineException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command-line options of {@link DpSgdTrain}, {@code --name value} pairs (and the flag {@code
 * --no-dp}). Defaults train {@code softmax(64,10)} on the embedded digits with DP at ε = 8, δ =
 * 1e-5. {@link #USAGE} lists them all.
 */
final class TrainOptions {
  static final String USAGE = String.join("\n",
      "DpSgdTrain [--data PATH (csv or parquet; default: the embedded 8x8 digits)] [--format csv|parquet]",
      "  [--label-col label] [--features-col COL (an array column; default: every other column)]",
      "  [--feature-scale 16 for the digits, else 1 (features are divided by it)] [--test-fraction 0.2]",
      "  [--model softmax(d,k) | mlp(d,h,k;act=tanh) ... (default softmax(d,10))] [--epochs 20] [--batch 128]",
      "  [--lr 2.0] [--clip 1.0] [--noise SIGMA | --target-epsilon 8] [--delta 1e-5] [--no-dp]",
      "  [--seed 42] [--out target/dpsgd] [--master local[*] (when not given to spark-submit)]",
      "  [--step blocks (blocks cached as objects, TrainingBlocks) | sql (the dp_clipped_grad_sum_blocks aggregate)]");

  final Map<String, String> values = new LinkedHashMap<>();
  final boolean dp;

  private TrainOptions(Map<String, String> given, boolean dp) {
    values.put("format", "");
    values.put("label-col", "label");
    values.put("features-col", "");
    values.put("test-fraction", "0.2");
    values.put("epochs", "20");
    values.put("batch", "128");
    values.put("lr", "2.0");
    values.put("clip", "1.0");
    values.put("target-epsilon", "8");
    values.put("delta", "1e-5");
    values.put("seed", "42");
    values.put("out", "target/dpsgd");
    values.put("step", "blocks");
    values.putAll(given);
    this.dp = dp;
  }

  static TrainOptions parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    boolean dp = true;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--no-dp")) {
        dp = false;
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        given.put(args[i].substring(2), args[++i]);
      } else {
        throw new EngineException("DpSgdTrain", "--name value pairs", "'" + args[i] + "'", "usage:\n" + USAGE);
      }
    }
    TrainOptions o = new TrainOptions(given, dp);
    for (String k : given.keySet()) {
      if (!USAGE.contains("--" + k + " ")) {
        throw new EngineException("DpSgdTrain", "a known option", "--" + k, "usage:\n" + USAGE);
      }
    }
    return o;
  }

  String get(String key) {
    return values.get(key);
  }

  boolean has(String key) {
    return values.containsKey(key) && !values.get(key).isEmpty();
  }

  double num(String key) {
    try {
      return Double.parseDouble(values.get(key));
    } catch (NumberFormatException e) {
      throw new EngineException("DpSgdTrain", "a number for --" + key, "'" + values.get(key) + "'", "usage:\n" + USAGE);
    }
  }
}
