package io.sparkfunc.spark.sql;

import static io.sparkfunc.spark.testing.DataFrameAssert.assertArrayColumnClose;
import static io.sparkfunc.spark.testing.DataFrameAssert.assertValueClose;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.transform.Fn;
import io.sparkfunc.spark.testing.SharedSpark;
import io.sparkfunc.udfs.model.Models;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scalar SQL functions against the engine run directly on each row. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class RowFunctionTest {
  private static final String SPEC = "mlp(4,5,3;act=tanh)";

  @Test
  void perRowFunctionsEqualTheEngineOnEachRow(SparkSession spark) {
    TestData data = new TestData(Models.parse(SPEC), 24, 3);
    data.frame(spark, 1).repartition(3).createOrReplaceTempView("t");
    spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create((Object) data.theta)),
        new org.apache.spark.sql.types.StructType().add("theta",
            org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.DoubleType)))
        .createOrReplaceTempView("p");
    Dataset<Row> out = spark.sql("SELECT id, sparkfunc.per_sample_grad('" + SPEC + "', theta, x, y) AS g, "
        + "sparkfunc.per_sample_grad_norm('" + SPEC + "', theta, x, y) AS n, "
        + "sparkfunc.sample_loss('" + SPEC + "', theta, x, y) AS l, "
        + "sparkfunc.predict('" + SPEC + "', theta, x) AS p FROM t CROSS JOIN p ORDER BY id");
    assertTrue(out.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$)
        .contains("per_sample_grad"), "our function shows in the plan");
    List<Row> rows = out.collectAsList();
    double[][] grads = new double[24][];
    Fn loss = Fn.of(data.model::loss);
    for (int i = 0; i < 24; i++) {
      grads[i] = data.grad(i);
      double norm = Math.sqrt(java.util.Arrays.stream(grads[i]).map(v -> v * v).sum());
      assertValueClose(norm, rows.get(i).getDouble(2), 1e-12, "norm row " + i);
      double l = loss.tensor(Tensors.of(data.theta), Tensors.of(data.x[i]), Tensors.scalar(data.y[i]).to(DType.I64)).item();
      assertValueClose(l, rows.get(i).getDouble(3), 1e-12, "loss row " + i);
      double[] p = data.model.predict(Tensors.of(data.theta), Tensors.of(data.x[i])).toDoubleArray();
      assertValueClose(p, rows.get(i).get(4), 1e-12, "predict row " + i);
    }
    assertArrayColumnClose(grads, rows, "g", 1e-12);
  }

  @Test
  void literalParamsFromInitParamsAndTheDataFrameApi(SparkSession spark) {
    TestData data = new TestData(Models.parse("softmax(4,3)"), 10, 5);
    double[] init = spark.sql("SELECT sparkfunc.init_params('softmax(4,3)', 5) AS t").first().<Double>getList(0)
        .stream().mapToDouble(Double::doubleValue).toArray();
    assertValueClose(data.theta, init, 0, "init_params == Model.init");
    List<Row> rows = data.frame(spark, 1)
        .select(col("id"), call_function("sparkfunc.per_sample_grad", lit("softmax(4,3)"), lit(data.theta), col("x"), col("y")).as("g"))
        .orderBy("id").collectAsList();
    double[][] grads = new double[10][];
    for (int i = 0; i < 10; i++) {
      grads[i] = data.grad(i);
    }
    assertArrayColumnClose(grads, rows, "g", 1e-12);
    assertEquals(15, rows.get(0).getList(1).size());
  }
}
