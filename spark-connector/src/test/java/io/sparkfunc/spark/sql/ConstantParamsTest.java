package io.sparkfunc.spark.sql;

import static io.sparkfunc.spark.testing.Failures.messages;
import static io.sparkfunc.spark.testing.DataFrameAssert.assertValueClose;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.model.Models;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * NOTE [constant parameters] in {@link Args}: through the session extension, an aggregate's
 * literal {@code params} is decoded once at analysis time and never read from the rows (the
 * decode counter does not move), with the same results as the catalog path, which decodes from
 * the rows; parameters from a column are still decoded from the rows and must stay the same
 * within a group; a literal of the wrong length still fails naming the function, the argument
 * and the row.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ConstantParamsTest {
  private static final String SPEC = "softmax(4,3)";

  private static Column clipped(String name, Column params) {
    return call_function(name, lit(SPEC), params, col("x"), col("y"), lit(0.5)).as("c");
  }

  @Test
  void literalParamsAreDecodedOnceAtAnalysisNotPerRow(SparkSession spark) {
    TestData data = new TestData(Models.parse(SPEC), 300, 5);
    Dataset<Row> frame = data.frame(spark, 10).repartition(3);
    Dataset<Row> q = frame.groupBy("k").agg(clipped("dp_clipped_grad_sum", lit(data.theta))).orderBy("k");
    String plan = q.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("partial_v2aggregator(sparkfunc.dp_clipped_grad_sum, " + SPEC + ", null, "),
        "the literal parameters left the plan (a null in their place):\n" + plan);
    long before = Args.paramsDecoded();
    List<Row> rows = q.collectAsList();
    assertEquals(before, Args.paramsDecoded(), "no parameter array decoded from a row");
    assertEquals(10, rows.size());
    for (int k = 0; k < 10; k++) {
      assertEquals(30L, rows.get(k).getStruct(1).getLong(1), "group " + k + ": count");
      assertValueClose(data.clippedSum(0.5, 10, k), rows.get(k).getStruct(1).get(0), 1e-10, "group " + k + ": clipped sum");
    }
    List<Row> viaCatalog = frame.groupBy("k").agg(clipped("sparkfunc.dp_clipped_grad_sum", lit(data.theta))).orderBy("k")
        .collectAsList();
    assertTrue(Args.paramsDecoded() > before, "the catalog path decodes the parameters from the rows");
    for (int k = 0; k < 10; k++) {
      assertValueClose(viaCatalog.get(k).getStruct(1).get(0), rows.get(k).getStruct(1).get(0), 1e-12, "group " + k);
    }
  }

  @Test
  void paramsFromAColumnAreReadPerRowAndMustNotChangeWithinAGroup(SparkSession spark) {
    TestData data = new TestData(Models.parse(SPEC), 60, 6);
    Dataset<Row> frame = data.frame(spark, 2).repartition(2);
    // Per group its own parameters (theta * (k + 1)): a column, so not a constant.
    Column scaled = functions.transform(lit(data.theta), v -> v.multiply(col("k").plus(1)));
    long before = Args.paramsDecoded();
    List<Row> rows = frame.groupBy("k").agg(clipped("dp_clipped_grad_sum", scaled)).orderBy("k").collectAsList();
    assertTrue(Args.paramsDecoded() > before, "parameters from a column are decoded from the rows");
    for (int k = 0; k < 2; k++) {
      double[] theta = data.theta.clone();
      for (int i = 0; i < theta.length; i++) {
        theta[i] *= k + 1;
      }
      Row alone = frame.where(col("k").equalTo(k)).agg(clipped("dp_clipped_grad_sum", lit(theta))).first();
      assertValueClose(alone.getStruct(0).get(0), rows.get(k).getStruct(1).get(0), 1e-12, "group " + k + ": own parameters");
    }
    Column perRow = functions.transform(lit(data.theta), v -> v.multiply(col("id").plus(1)));
    Throwable t = assertThrows(Exception.class, () -> frame.groupBy("k").agg(clipped("dp_clipped_grad_sum", perRow)).collectAsList());
    String message = messages(t);
    assertTrue(message.contains("dp_clipped_grad_sum(model, params, features, label, clip_norm) at argument 2 (params: ")
        && message.contains("the same parameters for every row of a group"), message);
  }

  @Test
  void aLiteralOfTheWrongLengthStillFailsNamingArgumentAndRow(SparkSession spark) {
    TestData data = new TestData(Models.parse(SPEC), 20, 7);
    Throwable t = assertThrows(Exception.class,
        () -> data.frame(spark, 1).coalesce(1).agg(clipped("dp_clipped_grad_sum", lit(new double[] {1, 2}))).collectAsList());
    String message = messages(t);
    assertTrue(message.contains("dp_clipped_grad_sum(model, params, features, label, clip_norm) at argument 2 (params: ")
        && message.contains("row 0 of partition 0") && message.contains("15 parameters for softmax(4,3); got params: f64[2]"),
        message);
  }
}
