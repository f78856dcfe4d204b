package io.sparkfunc.spark.df;

import io.sparkfunc.arrow.ArrowTensor;
import io.sparkfunc.arrow.ArrowTensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.Block;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The fast path of {@link ChunkedColumns}, one partition's output iterator over Spark's {@code
 * InternalRow}s ({@code df.queryExecution().toRdd()}, back through {@code
 * internalCreateDataFrame}): each chunk's features are copied straight out of the rows' {@code
 * UnsafeArrayData} (one {@code memcpy} a row for {@code array<double>}, a widening loop for
 * {@code array<float>}, nothing boxed) into one off-heap Arrow block, {@code
 * FixedSizeList<f64>[d]} of n rows, which the engine reads in place ({@link ArrowTensors#view});
 * each result row goes out as an {@code UnsafeArrayData} cut from the result in one copy.
 *
 * <p>Memory: one Arrow root per JVM; each task takes a child allocator, closed when the partition
 * is done or the task ends (a buffer still open then fails the close, so a leak cannot go
 * unnoticed); each chunk's block is closed before the chunk's rows are emitted. Spark's shared
 * {@code ArrowUtils.rootAllocator} is not used, so no other query's buffers mix with ours.
 *
 * <p>Checks: a row passes when its features are non-null, of length {@code d}, without null
 * elements and finite, and its label passes {@link Inputs#checkLabel}; any other row goes through
 * the same {@link Inputs} checks as {@link RowChunks}, so the error is the same, word for word.
 */
final class ArrowChunks implements Iterator<InternalRow> {
  /** The JVM's Arrow root for this path (created on first use). */
  private static final class Root {
    static final RootAllocator ROOT = new RootAllocator(Long.MAX_VALUE);
  }

  private final ChunkedColumns spec;
  private final Iterator<InternalRow> rows;
  private final int features;
  private final DataType element;
  private final int label;
  private final DataType labelType;
  private final ChunkedColumns.BlockFn fn;
  private final BufferAllocator allocator;
  private Model model;
  private int d;
  private long header;
  private InternalRow[] held;
  private double[] labels;
  private ChunkOutput out;
  private int n;
  private int next;
  private long row;
  private boolean closed;

  private ArrowChunks(ChunkedColumns spec, Iterator<InternalRow> rows, int features, DataType element, int label,
      DataType labelType, ChunkedColumns.BlockFn fn) {
    this.spec = spec;
    this.rows = rows;
    this.features = features;
    this.element = element;
    this.label = label;
    this.labelType = labelType;
    this.fn = fn;
    TaskContext task = TaskContext.get();
    this.allocator = Root.ROOT.newChildAllocator(
        "sparkfunc-df" + (task == null ? "" : "-task-" + task.taskAttemptId()), 0, Long.MAX_VALUE);
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) t -> close());
    }
  }

  /**
   * {@code df} with the {@code out} schema: its rows, each followed by the chunk's values from
   * {@code fn}, through Spark internals ({@code queryExecution().toRdd()}, planned when the job
   * runs: {@link PlannedLater}; {@code internalCreateDataFrame}); call only when {@link
   * FastPath#use} said so.
   */
  static Dataset<Row> append(ChunkedColumns spec, Dataset<Row> df, StructType out, int features, int label,
      ChunkedColumns.BlockFn fn) {
    org.apache.spark.sql.classic.Dataset<Row> classic = (org.apache.spark.sql.classic.Dataset<Row>) df;
    StructField[] in = df.schema().fields();
    DataType element = ((ArrayType) in[features].dataType()).elementType();
    DataType labelType = label < 0 ? null : in[label].dataType();
    FlatMapFunction<Iterator<InternalRow>, InternalRow> perPartition =
        rows -> new ArrowChunks(spec, rows, features, element, label, labelType, fn);
    RDD<InternalRow> rdd = new PlannedLater(classic).toJavaRDD().mapPartitions(perPartition).rdd();
    return classic.sparkSession().internalCreateDataFrame(rdd, out, false);
  }

  /**
   * Checks, on this JVM, what the path assumes of Spark's internals and of Arrow: the {@code
   * UnsafeArrayData} layout (header, then the values) read and written as this class does, and an
   * Arrow allocation (which needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED}). Throws on
   * any difference.
   */
  static void selfTest() {
    double[] want = {1.5, -2.25, 3};
    UnsafeArrayData a = UnsafeArrayData.fromPrimitiveArray(want);
    try (BufferAllocator probe = Root.ROOT.newChildAllocator("sparkfunc-df-probe", 0, Long.MAX_VALUE);
        ArrowBuf buf = probe.buffer(8L * want.length)) {
      boolean copied = copy(a, DataTypes.DoubleType, want.length, UnsafeArrayData.calculateHeaderPortionInBytes(want.length),
          buf.memoryAddress());
      double[] got = new double[want.length];
      for (int k = 0; k < got.length; k++) {
        got[k] = buf.getDouble(8L * k);
      }
      double[] cut = cut(want, 2, 1).toDoubleArray(); // row 2 of f64[3,1]
      if (!copied || !Arrays.equals(got, want) || !Arrays.equals(cut, new double[] {3})) {
        throw new IllegalStateException("UnsafeArrayData layout differs: wrote " + Arrays.toString(want) + ", read "
            + Arrays.toString(got) + " and " + Arrays.toString(cut));
      }
    }
  }

  /** Task allocators of this path still open in this JVM (0 once every task has ended). */
  static int openAllocators() {
    return Root.ROOT.getChildAllocators().size();
  }

  /** Arrow bytes this path holds in this JVM (0 once every task has ended). */
  static long allocatedBytes() {
    return Root.ROOT.getAllocatedMemory();
  }

  @Override
  public boolean hasNext() {
    if (next < n) {
      return true;
    }
    if (closed || !rows.hasNext()) {
      close();
      return false;
    }
    fill();
    return true;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    InternalRow r = held[next];
    held[next] = null;
    Object[] v = new Object[out.values.length];
    for (int c = 0; c < v.length; c++) {
      v[c] = cut(out.values[c], next, out.widths[c]);
    }
    next++;
    return new JoinedRow(r, new GenericInternalRow(v));
  }

  /** Row {@code i} of a row-major {@code f64[n,width]} as an unsafe array, one copy. */
  private static UnsafeArrayData cut(double[] values, int i, int width) {
    long offset = Platform.DOUBLE_ARRAY_OFFSET + 8L * i * width;
    return offset <= Integer.MAX_VALUE
        ? UnsafeArrayData.fromPrimitiveArray(values, (int) offset, width, 8)
        : UnsafeArrayData.fromPrimitiveArray(Arrays.copyOfRange(values, i * width, (i + 1) * width));
  }

  /** Reads up to {@code chunkRows} rows into one Arrow block, runs the engine over it, keeps the output. */
  private void fill() {
    int rowsMax = spec.chunkRows;
    if (model == null) {
      model = spec.model();
      d = model.numFeatures();
      header = UnsafeArrayData.calculateHeaderPortionInBytes(d);
      held = new InternalRow[rowsMax];
      labels = new double[label < 0 ? 0 : rowsMax];
    }
    n = 0;
    try (FixedSizeListVector x = new FixedSizeListVector("features", allocator,
        FieldType.notNullable(new ArrowType.FixedSizeList(d)), null)) {
      x.addOrGetVector(FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
      x.setInitialCapacity(rowsMax);
      x.allocateNew();
      ArrowBuf values = ((FieldVector) x.getDataVector()).getDataBuffer();
      if (values.capacity() < 8L * rowsMax * d) {
        throw new IllegalStateException("Arrow block of " + values.capacity() + " bytes for " + rowsMax + " rows of " + d);
      }
      long address = values.memoryAddress();
      while (n < rowsMax && rows.hasNext()) {
        InternalRow r = rows.next();
        try {
          write(r, address + 8L * n * d);
          if (label >= 0) {
            Double y = r.isNullAt(label) ? null : number(r, label, labelType);
            Inputs.checkLabel(spec.where, model, y);
            labels[n] = y;
          }
        } catch (BadInput e) {
          throw spec.error(e, row);
        }
        held[n++] = r.copy();
        row++;
      }
      x.setValueCount(n);
      x.getValidityBuffer().setOne(0, (n + 7) / 8); // bits past n are ignored by Arrow
      ((FieldVector) x.getDataVector()).getValidityBuffer().setOne(0, (n * d + 7) / 8);
      try (ArrowTensor t = ArrowTensors.view(x)) {
        out = new ChunkOutput(fn.apply(PerSample.of(model), t.tensor(), label < 0 ? null : Block.labels(model, labels, n)));
      }
    }
    FastPath.ran(n);
    next = 0;
  }

  /**
   * Copies row {@code r}'s features to {@code at} as {@code f64[d]} when they pass; otherwise
   * throws the {@link BadInput} of the shared checks.
   */
  private void write(InternalRow r, long at) {
    ArrayData a = r.isNullAt(features) ? null : r.getArray(features);
    if (a == null || a.numElements() != d || !copy(a, element, d, header, at)) {
      Inputs.checkFeatures(spec.where, model, a == null ? null : doubles(a));
      throw new IllegalStateException(spec.where + ": the fast-path check and Inputs.checkFeatures disagree on row " + row);
    }
  }

  /**
   * Copies {@code d} non-null finite values of {@code a} to {@code at} as f64; false (and a
   * partial copy) at the first null or non-finite one. An unsafe array of doubles is one {@code
   * memcpy} after a pass over its null words and its values.
   */
  private static boolean copy(ArrayData a, DataType element, int d, long header, long at) {
    if (a instanceof UnsafeArrayData u && (element instanceof DoubleType || element instanceof FloatType)) {
      Object base = u.getBaseObject();
      long offset = u.getBaseOffset();
      for (long w = 8; w < header; w += 8) {
        if (Platform.getLong(base, offset + w) != 0) {
          return false;
        }
      }
      long data = offset + header;
      if (element instanceof DoubleType) {
        for (int k = 0; k < d; k++) {
          if (!Double.isFinite(Platform.getDouble(base, data + 8L * k))) {
            return false;
          }
        }
        Platform.copyMemory(base, data, null, at, 8L * d);
      } else {
        for (int k = 0; k < d; k++) {
          float v = Platform.getFloat(base, data + 4L * k);
          if (!Float.isFinite(v)) {
            return false;
          }
          Platform.putDouble(null, at + 8L * k, v);
        }
      }
      return true;
    }
    for (int k = 0; k < d; k++) {
      if (a.isNullAt(k)) {
        return false;
      }
      double v = number(a, k, element);
      if (!Double.isFinite(v)) {
        return false;
      }
      Platform.putDouble(null, at + 8L * k, v);
    }
    return true;
  }

  /** {@code a} as {@code f64[len]}, with the null-element error of both paths. */
  private double[] doubles(ArrayData a) {
    double[] x = new double[a.numElements()];
    for (int k = 0; k < x.length; k++) {
      if (a.isNullAt(k)) {
        throw spec.nullElement(k);
      }
      x[k] = number(a, k, element);
    }
    return x;
  }

  /** Value {@code i} of a numeric type as a double, as {@code ((Number) value).doubleValue()} gives it for a Row. */
  private static double number(SpecializedGetters g, int i, DataType t) {
    if (t instanceof DoubleType) {
      return g.getDouble(i);
    } else if (t instanceof FloatType) {
      return g.getFloat(i);
    } else if (t instanceof LongType) {
      return g.getLong(i);
    } else if (t instanceof IntegerType) {
      return g.getInt(i);
    } else if (t instanceof ShortType) {
      return g.getShort(i);
    } else if (t instanceof ByteType) {
      return g.getByte(i);
    } else if (t instanceof DecimalType dt) {
      return g.getDecimal(i, dt.precision(), dt.scale()).toJavaBigDecimal().doubleValue();
    }
    throw new EngineException("DataFrame fast path", "a byte, short, int, long, float, double or decimal value",
        t.simpleString(), "cast the column to double");
  }

  /** Closes the task's allocator (idempotent); throws if a buffer was leaked. */
  private void close() {
    if (!closed) {
      closed = true;
      allocator.close();
    }
  }
}
