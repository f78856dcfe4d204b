package io.sparkfunc.spark.jobs;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.udfs.Block;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Mean loss and accuracy of a classifier over a data set, computed per partition in blocks of
 * 512 rows through {@code vmap(loss)} and {@code vmap(predict)}: {@code (features, label) ->
 * [lossSum, correct, n]}, summed on the driver.
 */
final class BlockEvaluator {
  private BlockEvaluator() {}

  private static final int BLOCK = 512;

  /** {@code [mean loss, accuracy, rows]} of {@code params} on {@code data}. */
  static double[] evaluate(Dataset<Row> data, String spec, double[] params) {
    double[] total = data.javaRDD()
        .mapPartitions(rows -> List.of(partition(rows, spec, params)).iterator())
        .reduce(BlockEvaluator::add);
    return new double[] {total[0] / total[2], total[1] / total[2], total[2]};
  }

  private static double[] partition(Iterator<Row> rows, String spec, double[] params) {
    Model model = Models.parse(spec);
    Inputs.checkParams("evaluate", model, params);
    Tensor theta = Tensors.of(params);
    double[] acc = new double[3];
    Block block = new Block(model.numFeatures());
    List<Double> labels = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      double[] x = r.isNullAt(0) ? null : r.<Double>getList(0).stream().mapToDouble(Double::doubleValue).toArray();
      Double y = r.isNullAt(1) ? null : r.getDouble(1);
      Inputs.checkFeatures("evaluate", model, x);
      Inputs.checkLabel("evaluate", model, y);
      block.add(x, y);
      labels.add(y);
      if (block.size() == BLOCK || !rows.hasNext()) {
        score(model, theta, block, labels, acc);
      }
    }
    return acc;
  }

  private static void score(Model model, Tensor theta, Block block, List<Double> labels, double[] acc) {
    PerSample ps = PerSample.of(model);
    acc[0] += ps.losses(theta, block).sum().item();
    Tensor p = ps.predictions(theta, block);
    long[] predicted = model.numOutputs() == 1 ? null : p.argmax(1, false).toLongArray();
    double[] prob = p.toDoubleArray();
    for (int i = 0; i < labels.size(); i++) {
      double guess = predicted == null ? (prob[i] >= 0.5 ? 1 : 0) : predicted[i];
      acc[1] += guess == labels.get(i) ? 1 : 0;
    }
    acc[2] += labels.size();
    block.clear();
    labels.clear();
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  }
}
