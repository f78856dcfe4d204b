package io.sparkfunc.spark.df;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Appends columns computed a chunk of rows at a time: each partition's rows are read into a
 * chunk of at most {@code chunkRows} rows ({@code features: f64[n,d]}, labels {@code f64[n]}),
 * the chunk goes through one engine call ({@link BlockFn}), and the chunk's rows are emitted with
 * the new values before the next chunk is read. Rows are checked on the way in ({@link Inputs});
 * a bad row fails with the call, the column and the row within its partition.
 *
 * <p>Two paths, equal row for row, chosen per call by {@link FastPath}: {@link ArrowChunks}
 * (Spark's {@code InternalRow}s, each chunk copied into one off-heap Arrow block that the engine
 * reads in place) and {@link RowChunks} (public {@code mapPartitions} over {@code Row}s, the
 * fallback).
 */
final class ChunkedColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Most rows per chunk, whatever the byte budget. */
  static final int MAX_CHUNK_ROWS = 8192;

  /**
   * The new columns of a chunk of {@code n} rows, one engine call: {@code x: f64[n,d], y: f64[n]
   * or i64[n] (null without a label column) -> f64[n,k_c]} per appended column {@code c}.
   */
  interface BlockFn extends Serializable {
    /** Runs the engine once over the chunk. */
    Tensor[] apply(PerSample fns, Tensor x, Tensor y);
  }

  final String where;
  final String featuresCol;
  final String labelCol;
  final int chunkRows;
  private final String spec;

  /**
   * @param where the call, named in errors ({@code PerSampleGradients.transform})
   * @param model the model (shipped as its spec and parsed once per task)
   * @param featuresCol the {@code array<float|double>[d]} column
   * @param labelCol the numeric label column, or null when the function takes none
   * @param chunkRows rows per engine call (see {@link #chunkRows(int, Dataset, long)})
   */
  ChunkedColumns(String where, Model model, String featuresCol, String labelCol, int chunkRows) {
    this.where = where;
    this.spec = model.spec();
    this.featuresCol = featuresCol;
    this.labelCol = labelCol;
    this.chunkRows = chunkRows;
  }

  /**
   * Rows per chunk: {@code requested} when positive, else {@code df}'s session budget ({@link
   * SparkfuncConf#BLOCK_BYTES}) over {@code bytesPerRow} of engine work a row, at most {@link
   * #MAX_CHUNK_ROWS}.
   */
  static int chunkRows(int requested, Dataset<Row> df, long bytesPerRow) {
    if (requested > 0) {
      return requested;
    }
    return (int) Math.max(1, Math.min(MAX_CHUNK_ROWS, SparkfuncConf.blockBytes(df.sparkSession()) / bytesPerRow));
  }

  /** {@code rows} as a chunk size, with an error naming {@code where} unless positive. */
  static int checkChunkRows(String where, int rows) {
    if (rows < 1) {
      throw new EngineException(where, "a positive chunk size", String.valueOf(rows), "pass at least 1");
    }
    return rows;
  }

  /** The model named by {@code spec}, with an error naming the call when it is not one. */
  static Model model(String where, String spec) {
    try {
      return Models.parse(spec);
    } catch (BadInput e) {
      throw new EngineException(where + " (model)", e.expected(), e.got(), e.fix());
    }
  }

  /** Checks the columns on the driver and returns {@code df} with {@code added} appended by {@code fn}. */
  Dataset<Row> append(Dataset<Row> df, StructField[] added, BlockFn fn) {
    StructType in = df.schema();
    int features = column(in, featuresCol, "features", "an array<float> or array<double> column");
    int label = labelCol == null ? -1 : column(in, labelCol, "label", "a numeric column");
    StructType out = in;
    for (StructField f : added) {
      if (Arrays.asList(in.fieldNames()).contains(f.name())) {
        throw new EngineException(where, "a new column name for the result", "'" + f.name() + "', already a column of "
            + in.simpleString(), "pick another output column name or drop the existing column");
      }
      out = out.add(f);
    }
    if (FastPath.use(df, where)) {
      return ArrowChunks.append(this, df, out, features, label, fn);
    }
    MapPartitionsFunction<Row, Row> perPartition = rows -> new RowChunks(this, rows, features, label, fn);
    return df.mapPartitions(perPartition, Encoders.row(out));
  }

  /** The model, parsed on the executor (once per task). */
  Model model() {
    return Models.parse(spec);
  }

  /** Features with a null element at {@code index}: the error of both paths. */
  BadInput nullElement(int index) {
    return new BadInput(where, "features", "no null elements", "null at index " + index, "fill or drop rows with null elements");
  }

  /** The features at field {@code i} of a public-API row as {@code f64[d]}, null for SQL NULL; a null element fails. */
  double[] features(Row r, int i) {
    if (r.isNullAt(i)) {
      return null;
    }
    java.util.List<Object> list = r.getList(i);
    double[] x = new double[list.size()];
    for (int k = 0; k < x.length; k++) {
      Object v = list.get(k);
      if (v == null) {
        throw nullElement(k);
      }
      x[k] = ((Number) v).doubleValue();
    }
    return x;
  }

  /** {@code e} at row {@code row} (within the running task's partition), naming the column. */
  EngineException error(BadInput e, long row) {
    String column = e.argument().equals("label") ? labelCol : featuresCol;
    TaskContext task = TaskContext.get();
    EngineException out = new EngineException(where + " at column '" + column + "' (" + e.argument() + "), row " + row
        + (task == null ? "" : " of partition " + task.partitionId()), e.expected(), e.got(), e.fix());
    out.initCause(e);
    return out;
  }

  /** The index of column {@code name} in {@code schema}, with an error naming the call unless it suits the role. */
  int column(StructType schema, String name, String role, String expected) {
    int i = Arrays.asList(schema.fieldNames()).indexOf(name);
    if (i < 0) {
      throw new EngineException(where, "a " + role + " column", "'" + name + "', not among " + Arrays.toString(schema.fieldNames()),
          "pass the name of the " + role + " column");
    }
    DataType t = schema.fields()[i].dataType();
    boolean ok = role.equals("features")
        ? t instanceof ArrayType && ((ArrayType) t).elementType() instanceof NumericType : t instanceof NumericType;
    if (!ok) {
      throw new EngineException(where, role + " column '" + name + "' as " + expected, t.simpleString(),
          "cast the column, e.g. col('" + name + "').cast('" + (role.equals("features") ? "array<double>" : "double") + "')");
    }
    return i;
  }
}
