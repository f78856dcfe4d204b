package io.sparkfunc.spark.df;

import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.Block;
import io.sparkfunc.udfs.Inputs;
import io.sparkfunc.udfs.PerSample;
import io.sparkfunc.udfs.model.Model;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The public-API path of {@link ChunkedColumns}, one partition's output iterator over {@code
 * Row}s ({@code mapPartitions}): reads a chunk into a {@link Block} (each array element boxed by
 * Spark's row encoder, unboxed here), runs it, emits it, reads the next.
 */
final class RowChunks implements Iterator<Row> {
  private final ChunkedColumns spec;
  private final Iterator<Row> rows;
  private final int features;
  private final int label;
  private final ChunkedColumns.BlockFn fn;
  private final List<Row> held = new ArrayList<>();
  private Model model;
  private Block block;
  private ChunkOutput out;
  private int next;
  private long row;

  RowChunks(ChunkedColumns spec, Iterator<Row> rows, int features, int label, ChunkedColumns.BlockFn fn) {
    this.spec = spec;
    this.rows = rows;
    this.features = features;
    this.label = label;
    this.fn = fn;
  }

  @Override
  public boolean hasNext() {
    if (out != null && next < held.size()) {
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
    Object[] v = new Object[r.length() + out.values.length];
    for (int i = 0; i < r.length(); i++) {
      v[i] = r.get(i);
    }
    for (int c = 0; c < out.values.length; c++) {
      v[r.length() + c] = out.row(c, next);
    }
    next++;
    return RowFactory.create(v);
  }

  private void fill() {
    if (model == null) {
      model = spec.model();
      block = new Block(model.numFeatures());
    }
    held.clear();
    block.clear();
    while (held.size() < spec.chunkRows && rows.hasNext()) {
      Row r = rows.next();
      try {
        double[] x = spec.features(r, features);
        Inputs.checkFeatures(spec.where, model, x);
        Double y = label < 0 ? null : r.isNullAt(label) ? null : ((Number) r.get(label)).doubleValue();
        if (label >= 0) {
          Inputs.checkLabel(spec.where, model, y);
        }
        block.add(x, label < 0 ? 0 : y);
      } catch (BadInput e) {
        throw spec.error(e, row);
      }
      held.add(r);
      row++;
    }
    out = new ChunkOutput(fn.apply(PerSample.of(model), block.features(), label < 0 ? null : block.labels(model)));
    next = 0;
  }
}
