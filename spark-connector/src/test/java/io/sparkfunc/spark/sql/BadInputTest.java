package io.sparkfunc.spark.sql;

import static io.sparkfunc.spark.testing.Failures.assertMentions;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.spark.testing.Failures;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.model.Models;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input fails the query with the function, the argument and the row; no row is dropped.
 * Through the catalog ({@code sparkfunc.f}) the argument is named by position and role; through
 * the session extension (unprefixed {@code f}) also by its column or expression text.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class BadInputTest {
  private static final String SPEC = "softmax(3,2)";

  private static String failure(SparkSession spark, String sql) {
    return Failures.failure(() -> spark.sql(sql).collectAsList());
  }

  @Test
  void badRowsNameFunctionColumnAndRow(SparkSession spark) {
    String theta = "sparkfunc.init_params('" + SPEC + "', 1)";
    spark.sql("SELECT * FROM VALUES (0, array(1.0D, 2.0D, 3.0D), 1), (1, array(1.0D, 2.0D, 3.0D), 0), "
        + "(2, CAST(NULL AS array<double>), 1), (3, array(1.0D, 2.0D), 1), (4, array(1.0D, double('NaN'), 3.0D), 1) "
        + "AS r(id, feats, lbl)").coalesce(1).createOrReplaceTempView("r");
    String call = "sparkfunc.per_sample_grad('" + SPEC + "', " + theta + ", feats, lbl)";
    assertMentions(failure(spark, "SELECT " + call + " FROM r WHERE id IN (0, 2)"),
        "sparkfunc.per_sample_grad(model, params, features, label) at argument 3 (features)", "row 1 of partition 0",
        "expected an array of 3 values; got features: null");
    assertMentions(failure(spark, "SELECT " + call + " FROM r WHERE id = 3"),
        "argument 3 (features)", "row 0", "expected 3 values for softmax(3,2); got features: f64[2]");
    assertMentions(failure(spark, "SELECT " + call + " FROM r WHERE id = 4"),
        "argument 3 (features)", "expected finite values; got features: NaN at index 1");
    assertMentions(failure(spark, "SELECT sparkfunc.sample_loss('softmax(3,2)', " + theta + ", feats, 5) FROM r WHERE id = 0"),
        "sparkfunc.sample_loss", "argument 4 (label)", "class index in [0, 2)");
    assertMentions(failure(spark, "SELECT sparkfunc.predict('resnet(3)', " + theta + ", feats) FROM r"),
        "sparkfunc.predict(model, params, features) at argument 1 (model)", "unknown model 'resnet'");
    assertMentions(failure(spark, "SELECT sparkfunc.predict('" + SPEC + "', array(1.0D, 2.0D), feats) FROM r"),
        "argument 2 (params)", "8 parameters for softmax(3,2); got params: f64[2]");
    assertMentions(failure(spark, "SELECT sparkfunc.dp_clipped_grad_sum('" + SPEC + "', " + theta + ", feats, lbl, 1.0) FROM r"),
        "sparkfunc.dp_clipped_grad_sum", "argument 3 (features)", "row 2 of partition 0", "got features: null");
    assertMentions(failure(spark, "SELECT sparkfunc.dp_clipped_grad_sum('" + SPEC + "', " + theta + ", feats, lbl, 0.0) FROM r"),
        "argument 5 (clip_norm)", "a positive number");
  }

  @Test
  void unprefixedCallsNameTheColumn(SparkSession spark) {
    String theta = "init_params('" + SPEC + "', 1)";
    spark.sql("SELECT * FROM VALUES (0, array(1.0D, 2.0D, 3.0D), 1), (1, array(1.0D, 2.0D, 3.0D), 0), "
        + "(2, CAST(NULL AS array<double>), 1), (3, array(1.0D, 2.0D), 1), (4, array(1.0D, double('Infinity'), 3.0D), 1) "
        + "AS r(id, pixels, digit)").coalesce(1).createOrReplaceTempView("r");
    String call = "per_sample_grad('" + SPEC + "', " + theta + ", pixels, digit)";
    assertMentions(failure(spark, "SELECT " + call + " FROM r WHERE id IN (0, 2)"),
        "per_sample_grad(model, params, features, label) at argument 3 (features: column `pixels`), row 1 of partition 0",
        "expected an array of 3 values; got features: null");
    assertMentions(failure(spark, "SELECT " + call + " FROM r WHERE id = 3"),
        "at argument 3 (features: column `pixels`), row 0", "expected 3 values for softmax(3,2); got features: f64[2]");
    assertMentions(failure(spark, "SELECT " + call + " FROM r WHERE id = 4"),
        "at argument 3 (features: column `pixels`)", "expected finite values; got features: Infinity at index 1");
    assertMentions(failure(spark, "SELECT sample_loss('" + SPEC + "', " + theta + ", pixels, digit + 4) FROM r WHERE id = 0"),
        "sample_loss(model, params, features, label) at argument 4 (label: (digit + 4))", "class index in [0, 2)");
    assertMentions(failure(spark, "SELECT predict('resnet(3)', " + theta + ", pixels) FROM r"),
        "predict(model, params, features) at argument 1 (model: resnet(3))", "unknown model 'resnet'");
    assertMentions(failure(spark, "SELECT predict('" + SPEC + "', theta, pixels) FROM r CROSS JOIN (SELECT array(1.0D, 2.0D) AS theta)"),
        "at argument 2 (params: column `theta`)", "8 parameters for softmax(3,2); got params: f64[2]");
    assertMentions(failure(spark, "SELECT id % 2, dp_clipped_grad_sum('" + SPEC + "', " + theta + ", pixels, digit, 1.0) FROM r GROUP BY id % 2"),
        "dp_clipped_grad_sum(model, params, features, label, clip_norm) at argument 3 (features: column `pixels`), row 2 of partition 0",
        "got features: null");
    assertMentions(failure(spark, "SELECT dp_clipped_grad_sum('" + SPEC + "', " + theta + ", pixels, digit, 0.0) FROM r"),
        "at argument 5 (clip_norm: 0.0)", "a positive number");
    assertMentions(failure(spark, "SELECT predict('" + SPEC + "', array(1.0D), id) FROM r"),
        "predict(model, params, features): expected features as array<double>", "argument 3 of type int (column `id`)");
    assertMentions(failure(spark, "SELECT predict('" + SPEC + "', pixels) FROM r"),
        "predict(model, params, features): expected 3 arguments; got 2 (softmax(3,2), column `pixels`)");
    assertMentions(failure(spark, "SELECT ensemble_stats('" + SPEC + "', array(" + theta + "), pixels) FROM r WHERE id IN (0, 2)"),
        "ensemble_stats(model, param_samples, features) at argument 3 (features: column `pixels`), row 1 of partition 0",
        "got features: null");
  }

  @Test
  void badDirectionsAndParamSamplesNameTheArgument(SparkSession spark) {
    String theta = "sparkfunc.init_params('" + SPEC + "', 1)";
    spark.sql("SELECT * FROM VALUES (0, array(1.0D, 2.0D, 3.0D), 1), (1, CAST(NULL AS array<double>), 0) "
        + "AS r(id, feats, lbl)").coalesce(1).createOrReplaceTempView("r");
    assertMentions(failure(spark, "SELECT sparkfunc.loss_hvp('" + SPEC + "', " + theta + ", feats, lbl, array(1.0D)) FROM r"),
        "sparkfunc.loss_hvp(model, params, features, label, direction) at argument 5 (direction)", "row 0",
        "expected 8 parameters for softmax(3,2); got direction: f64[1]");
    assertMentions(failure(spark, "SELECT sparkfunc.ensemble_stats('" + SPEC + "', array(" + theta + ", array(1.0D)), feats) FROM r"),
        "sparkfunc.ensemble_stats(model, param_samples, features) at argument 2 (param_samples)",
        "param_samples[1]", "got param_samples: f64[1]");
    assertMentions(failure(spark, "SELECT sparkfunc.ensemble_stats('" + SPEC + "', array(" + theta + "), feats) FROM r"),
        "at argument 3 (features)", "row 1 of partition 0", "got features: null");
    assertMentions(failure(spark, "SELECT sparkfunc.ensemble_predict('" + SPEC + "', " + theta + ", feats) FROM r"),
        "ensemble_predict(model, param_samples, features)", "param_samples as array<array<double>>",
        "argument 2 of type array<double>");
  }

  @Test
  void wrongColumnTypesFailAtAnalysis(SparkSession spark) {
    assertMentions(failure(spark, "SELECT sparkfunc.predict('" + SPEC + "', array(1.0D), 'abc')"),
        "predict(model, params, features)", "features as array<double>", "argument 3 of type string");
    assertTrue(Models.parse(SPEC).numParams() == 8);
  }
}
