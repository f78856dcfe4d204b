package io.sparkfunc.spark.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The job's input as {@code (features array<double>[d], label double)}: the embedded 8x8 digits
 * (scikit-learn's {@code load_digits}, 1,797 rows, pixels 0..16, classes 0..9; exported by
 * {@code spark-connector/scripts/export_digits.py}), or a CSV/Parquet file read by Spark (so it
 * works unchanged on a cluster). Features are divided by a fixed scale: data-independent, so the
 * scaling itself spends no privacy budget.
 */
final class TrainingData {
  private TrainingData() {}

  static final String DIGITS = "/io/sparkfunc/spark/data/digits.csv";

  static Dataset<Row> load(SparkSession spark, TrainOptions o) {
    double scale = o.has("feature-scale") ? o.num("feature-scale") : o.has("data") ? 1 : 16;
    Dataset<Row> raw = o.has("data") ? read(spark, o) : digits(spark);
    String label = o.get("label-col");
    Column features;
    if (o.has("features-col")) {
      features = functions.col(o.get("features-col")).cast("array<double>");
    } else {
      Column[] cols = Arrays.stream(raw.columns()).filter(c -> !c.equals(label))
          .map(c -> functions.col(c).cast("double")).toArray(Column[]::new);
      features = functions.array(cols);
    }
    Column scaled = functions.transform(features, v -> v.divide(scale));
    return raw.select(scaled.as("features"), functions.col(label).cast("double").as("label"));
  }

  private static Dataset<Row> read(SparkSession spark, TrainOptions o) {
    String path = o.get("data");
    String format = o.has("format") ? o.get("format") : path.endsWith(".parquet") ? "parquet" : "csv";
    return format.equals("parquet") ? spark.read().parquet(path)
        : spark.read().option("header", "true").option("inferSchema", "true").csv(path);
  }

  /** The embedded digits, read on the driver (260 KB) and handed to Spark as rows. */
  private static Dataset<Row> digits(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    String[] header;
    try (InputStream in = TrainingData.class.getResourceAsStream(DIGITS);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      header = r.readLine().split(",");
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        Object[] v = Arrays.stream(line.split(",")).map(Integer::valueOf).toArray();
        rows.add(RowFactory.create(v));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the embedded digits " + DIGITS, e);
    }
    StructType schema = new StructType();
    for (String h : header) {
      schema = schema.add(h, DataTypes.IntegerType, false);
    }
    return spark.createDataFrame(rows, schema);
  }
}
