package io.sparkfunc.spark.sql;

import static io.sparkfunc.spark.testing.DataFrameAssert.assertArrayColumnClose;
import static io.sparkfunc.spark.testing.DataFrameAssert.assertRowsClose;
import static io.sparkfunc.spark.testing.DataFrameAssert.assertValueClose;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.spark.SparkfuncExtensions;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.model.Models;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session extension ({@link SparkfuncExtensions}): every catalog function answers to its
 * unprefixed name, with the same results and the same physical plan as {@code sparkfunc.<name>},
 * scalar and aggregate (also grouped); errors name the column. Pins the Catalyst classes the
 * extension builds on for the Spark version in the root pom.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class SparkfuncExtensionsTest {

  private static void views(SparkSession spark, TestData data, int groups) {
    data.frame(spark, groups).repartition(3).createOrReplaceTempView("t");
    spark.createDataFrame(List.of(RowFactory.create((Object) data.theta)),
        new StructType().add("theta", DataTypes.createArrayType(DataTypes.DoubleType))).createOrReplaceTempView("p");
  }

  private static String physicalPlan(Dataset<Row> q) {
    return q.queryExecution().executedPlan().toString();
  }

  @Test
  void everyCatalogFunctionIsRegisteredUnprefixed(SparkSession spark) {
    SparkfuncCatalog catalog = new SparkfuncCatalog();
    org.apache.spark.sql.connector.catalog.Identifier[] ids = catalog.listFunctions(new String[0]);
    assertTrue(ids.length >= 8, "the catalog lists its functions: " + Arrays.toString(ids));
    for (var id : ids) {
      assertTrue(spark.catalog().functionExists(id.name()), id.name() + " is registered without the prefix");
      String usage = spark.sql("DESCRIBE FUNCTION " + id.name()).collectAsList().toString();
      String description = assertDoesNotThrow(() -> catalog.loadFunction(id)).description();
      assertTrue(usage.contains(description), id.name() + ": DESCRIBE shows the catalog's description: " + usage);
    }
  }

  @Test
  void scalarFunctionsUnprefixedEqualTheCatalogAndTheEngine(SparkSession spark) {
    TestData data = new TestData(Models.parse("linreg(3)"), 20, 11);
    views(spark, data, 1);
    String args = "'linreg(3)', theta, x, y";
    Dataset<Row> q = spark.sql("SELECT id, per_sample_grad(" + args + ") AS g, per_sample_grad_norm(" + args + ") AS n, "
        + "sample_loss(" + args + ") AS l, predict('linreg(3)', theta, x) AS p FROM t CROSS JOIN p ORDER BY id");
    String plan = physicalPlan(q);
    assertTrue(plan.contains("applyfunctionexpression(sparkfunc.per_sample_grad,")
        && plan.contains("(sparkfunc.predict,"), "our functions in the physical plan:\n" + plan);
    List<Row> rows = q.collectAsList();
    double[][] grads = new double[20][];
    for (int i = 0; i < 20; i++) {
      grads[i] = data.grad(i);
    }
    assertArrayColumnClose(grads, rows, "g", 1e-12);
    List<Row> prefixed = spark.sql("SELECT id, sparkfunc.per_sample_grad(" + args + ") AS g, sparkfunc.per_sample_grad_norm("
        + args + ") AS n, sparkfunc.sample_loss(" + args + ") AS l, sparkfunc.predict('linreg(3)', theta, x) AS p "
        + "FROM t CROSS JOIN p ORDER BY id").collectAsList();
    assertRowsClose(prefixed, rows, 0);
    double[] init = spark.sql("SELECT init_params('linreg(3)', 11)").first().<Double>getList(0).stream()
        .mapToDouble(Double::doubleValue).toArray();
    assertValueClose(data.theta, init, 0, "init_params unprefixed == Model.init");
  }

  @Test
  void aggregatesUnprefixedInGroupByEqualTheRowLoop(SparkSession spark) {
    String spec = "softmax(4,3)";
    TestData data = new TestData(Models.parse(spec), 300, 5);
    views(spark, data, 10);
    Dataset<Row> q = spark.sql("SELECT k, dp_clipped_grad_sum('" + spec + "', theta, x, y, 0.5) AS c, "
        + "grad_sum('" + spec + "', theta, x, y) AS s, grad_mean('" + spec + "', theta, x, y) AS m "
        + "FROM t CROSS JOIN p GROUP BY k ORDER BY k");
    String plan = physicalPlan(q);
    assertTrue(plan.contains("ObjectHashAggregate") && plan.contains("partial_v2aggregator(sparkfunc.dp_clipped_grad_sum,"),
        "our aggregate in the physical plan:\n" + plan);
    List<Row> rows = q.collectAsList();
    assertEquals(10, rows.size());
    for (int k = 0; k < 10; k++) {
      Row r = rows.get(k);
      assertEquals(k, r.getInt(0));
      assertEquals(30L, r.getStruct(1).getLong(1), "group " + k + ": count");
      assertValueClose(data.clippedSum(0.5, 10, k), r.getStruct(1).get(0), 1e-10, "group " + k + ": clipped sum");
      double[] sum = data.clippedSum(Double.POSITIVE_INFINITY, 10, k);
      assertValueClose(sum, r.getStruct(2).get(0), 1e-10, "group " + k + ": grad_sum");
      assertValueClose(Arrays.stream(sum).map(v -> v / 30).toArray(), r.get(3), 1e-10, "group " + k + ": grad_mean");
    }
    Row global = spark.sql("SELECT dp_clipped_grad_sum('" + spec + "', theta, x, y, 0.5) FROM t CROSS JOIN p").first();
    Row prefixed = spark.sql("SELECT sparkfunc.dp_clipped_grad_sum('" + spec + "', theta, x, y, 0.5) FROM t CROSS JOIN p").first();
    assertValueClose(prefixed.get(0), global.get(0), 1e-12, "global sum: unprefixed == sparkfunc.");
    assertEquals(300L, global.getStruct(0).getLong(1));
    Dataset<Row> ensemble = spark.sql("SELECT k, ensemble_stats('" + spec + "', array(theta, theta), x) AS e FROM t CROSS JOIN p "
        + "GROUP BY k ORDER BY k");
    assertTrue(physicalPlan(ensemble).contains("v2aggregator(sparkfunc.ensemble_stats,"), physicalPlan(ensemble));
    assertRowsClose(spark.sql("SELECT k, sparkfunc.ensemble_stats('" + spec + "', array(theta, theta), x) AS e FROM t "
        + "CROSS JOIN p GROUP BY k ORDER BY k").collectAsList(), ensemble.collectAsList(), 1e-12);
  }
}
