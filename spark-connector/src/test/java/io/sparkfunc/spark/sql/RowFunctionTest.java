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
import io.sparkfunc.engine.transform.Func;
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

  @Test
  void lossJvpAndHvpEqualTheEngineJvpAndHessianOnEachRow(SparkSession spark) {
    TestData data = new TestData(Models.parse(SPEC), 12, 7);
    data.frame(spark, 1).repartition(2).createOrReplaceTempView("t");
    double[] v = data.model.init(99).toDoubleArray();
    List<Row> rows = data.frame(spark, 1).repartition(2)
        .select(col("id"),
            call_function("sparkfunc.loss_jvp", lit(SPEC), lit(data.theta), col("x"), col("y"), lit(v)).as("jvp"),
            call_function("sparkfunc.loss_hvp", lit(SPEC), lit(data.theta), col("x"), col("y"), lit(v)).as("hvp"))
        .orderBy("id").collectAsList();
    int p = data.model.numParams();
    for (int i = 0; i < 12; i++) {
      io.sparkfunc.engine.Tensor x = Tensors.of(data.x[i]);
      io.sparkfunc.engine.Tensor y = Tensors.scalar(data.y[i]).to(DType.I64);
      Fn lossOfTheta = Fn.of(t -> data.model.loss(t, x, y));
      double jvp = ((io.sparkfunc.engine.Tensor) Func.jvp(lossOfTheta, new Object[] {Tensors.of(data.theta)},
          new Object[] {Tensors.of(v)}).tangent()).item();
      assertValueClose(jvp, rows.get(i).getDouble(1), 1e-12, "loss_jvp row " + i);
      double[] h = Func.hessian(lossOfTheta).tensor(Tensors.of(data.theta)).toDoubleArray();
      double[] hv = new double[p];
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          hv[a] += h[a * p + b] * v[b];
        }
      }
      assertValueClose(hv, rows.get(i).get(2), 1e-10, "loss_hvp row " + i);
    }
  }

  @Test
  void ensemblePredictIsTheMeanAndVarianceOverSamplesOfEachRow(SparkSession spark) {
    TestData data = new TestData(Models.parse(SPEC), 10, 8);
    double[][] samples = data.samples(5, 8);
    List<Row> rows = data.frame(spark, 1).repartition(3)
        .select(col("id"), call_function("sparkfunc.ensemble_predict", lit(SPEC), lit(samples), col("x")).as("e"))
        .orderBy("id").collectAsList();
    for (int i = 0; i < 10; i++) {
      double[][] stats = data.ensembleStats(samples, 10, i);
      assertValueClose(stats[0], rows.get(i).getStruct(1).get(0), 1e-12, "mean row " + i);
      assertValueClose(stats[2], rows.get(i).getStruct(1).get(1), 1e-12, "var row " + i);
    }
  }
}
