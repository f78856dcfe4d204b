package io.sparkfunc.spark.df;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.spark.SparkfuncConf;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.Block;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Appends columns computed a chunk of rows at a time: each partition's rows are read into a
 * {@link Block} of at most {@code chunkRows} rows ({@code features: f64[n,d]}, labels {@code
 * f64[n]}), the block goes through one engine call ({@link BlockFn}), and the chunk's rows are
 * emitted with the new values before the next chunk is read. Rows are checked on the way in
 * ({@link Inputs}); a bad row fails with the call, the column and the row within its partition.
 */
final class ChunkedColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Most rows per chunk, whatever the byte budget. */
  static final int MAX_CHUNK_ROWS = 8192;

  /** The new values of a block's rows: {@code block of n rows -> Object[n][columns]}. */
  interface BlockFn extends Serializable {
    /** Runs the engine once over {@code block}. */
    Object[][] apply(Model model, Block block);
  }

  private final String where;
  private final String spec;
  private final String featuresCol;
  private final String labelCol;
  private final int chunkRows;

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
    MapPartitionsFunction<Row, Row> perPartition = rows -> new Chunks(rows, features, label, fn);
    return df.mapPartitions(perPartition, Encoders.row(out));
  }

  private int column(StructType schema, String name, String role, String expected) {
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

  /** The output iterator of one partition: reads one chunk, runs it, emits it, reads the next. */
  private final class Chunks implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int features;
    private final int label;
    private final BlockFn fn;
    private final List<Row> held = new ArrayList<>();
    private Model model;
    private Block block;
    private Object[][] values;
    private int next;
    private long row;

    Chunks(Iterator<Row> rows, int features, int label, BlockFn fn) {
      this.rows = rows;
      this.features = features;
      this.label = label;
      this.fn = fn;
    }

    @Override
    public boolean hasNext() {
      if (values != null && next < held.size()) {
        return true;
      }
      if (!rows.hasNext()) {
        return false;
      }
      fill();
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = held.get(next);
      Object[] v = new Object[r.length() + values[next].length];
      for (int i = 0; i < r.length(); i++) {
        v[i] = r.get(i);
      }
      System.arraycopy(values[next], 0, v, r.length(), values[next].length);
      next++;
      return RowFactory.create(v);
    }

    private void fill() {
      if (model == null) {
        model = Models.parse(spec);
        block = new Block(model.numFeatures());
      }
      held.clear();
      block.clear();
      while (held.size() < chunkRows && rows.hasNext()) {
        Row r = rows.next();
        try {
          double[] x = doubles(r, features);
          Inputs.checkFeatures(where, model, x);
          Double y = label < 0 ? null : r.isNullAt(label) ? null : ((Number) r.get(label)).doubleValue();
          if (label >= 0) {
            Inputs.checkLabel(where, model, y);
          }
          block.add(x, label < 0 ? 0 : y);
        } catch (BadInput e) {
          throw error(e);
        }
        held.add(r);
        row++;
      }
      values = fn.apply(model, block);
      next = 0;
    }

    private double[] doubles(Row r, int i) {
      if (r.isNullAt(i)) {
        return null;
      }
      List<Object> list = r.getList(i);
      double[] out = new double[list.size()];
      for (int k = 0; k < out.length; k++) {
        Object v = list.get(k);
        if (v == null) {
          throw new BadInput(where, "features", "no null elements", "null at index " + k, "fill or drop rows with null elements");
        }
        out[k] = ((Number) v).doubleValue();
      }
      return out;
    }

    private EngineException error(BadInput e) {
      String column = e.argument().equals("label") ? labelCol : featuresCol;
      TaskContext task = TaskContext.get();
      EngineException out = new EngineException(where + " at column '" + column + "' (" + e.argument() + "), row " + row
          + (task == null ? "" : " of partition " + task.partitionId()), e.expected(), e.got(), e.fix());
      out.initCause(e);
      return out;
    }
  }
}
