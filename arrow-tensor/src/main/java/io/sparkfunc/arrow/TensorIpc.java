package io.sparkfunc.arrow;

import io.sparkfunc.engine.core.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Tensor tables in Arrow IPC: the random-access file format ({@code .arrow}, Feather v2) and the
 * stream format. A tensor table is a {@link VectorSchemaRoot} whose columns are tensor columns
 * (usually {@link FixedShapeTensorVector}s, whose shape metadata travels in the schema as the
 * canonical {@code ARROW:extension:name}/{@code ARROW:extension:metadata} field metadata).
 *
 * <p>Writing takes batches of one schema; each is loaded into the writer's own root by reference
 * (no copy of the values), written, and released. Reading hands each batch to a callback as a
 * root owned by the reader: valid during the call only (take {@link ArrowTensors#view} leases or
 * {@link ArrowTensors#copy copies} to keep data). Every allocation comes from the caller's
 * allocator and is released before these methods return, also on error.
 */
public final class TensorIpc {
  private TensorIpc() {}

  /** Writes {@code batches} (at least one, all of one schema) as an IPC file. */
  public static void writeFile(
      List<VectorSchemaRoot> batches, WritableByteChannel out, BufferAllocator alloc) {
    write(batches, out, alloc, true);
  }

  /** Writes {@code batches} (at least one, all of one schema) as an IPC stream. */
  public static void writeStream(
      List<VectorSchemaRoot> batches, WritableByteChannel out, BufferAllocator alloc) {
    write(batches, out, alloc, false);
  }

  /** Reads every record batch of an IPC file, in order. */
  public static void readFile(
      SeekableByteChannel in, BufferAllocator alloc, Consumer<VectorSchemaRoot> batch) {
    FixedShapeTensorType.register();
    try (ArrowFileReader reader = new ArrowFileReader(in, alloc)) {
      forEachBatch(reader, batch);
    } catch (IOException e) {
      throw new UncheckedIOException("TensorIpc.readFile: " + e.getMessage(), e);
    }
  }

  /** Reads every record batch of an IPC stream, in order. */
  public static void readStream(
      ReadableByteChannel in, BufferAllocator alloc, Consumer<VectorSchemaRoot> batch) {
    FixedShapeTensorType.register();
    try (ArrowStreamReader reader = new ArrowStreamReader(in, alloc)) {
      forEachBatch(reader, batch);
    } catch (IOException e) {
      throw new UncheckedIOException("TensorIpc.readStream: " + e.getMessage(), e);
    }
  }

  private static void forEachBatch(ArrowReader reader, Consumer<VectorSchemaRoot> batch)
      throws IOException {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    while (reader.loadNextBatch()) {
      batch.accept(root);
    }
  }

  private static void write(List<VectorSchemaRoot> batches, WritableByteChannel out,
      BufferAllocator alloc, boolean file) {
    String where = file ? "TensorIpc.writeFile" : "TensorIpc.writeStream";
    Schema schema = schemaOf(where, batches);
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
        ArrowWriter writer = file
            ? new ArrowFileWriter(root, null, out) : new ArrowStreamWriter(root, null, out)) {
      VectorLoader loader = new VectorLoader(root);
      writer.start();
      for (VectorSchemaRoot b : batches) {
        try (ArrowRecordBatch rb = new VectorUnloader(b).getRecordBatch()) {
          loader.load(rb);
        }
        writer.writeBatch();
      }
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": " + e.getMessage(), e);
    }
  }

  private static Schema schemaOf(String where, List<VectorSchemaRoot> batches) {
    if (batches.isEmpty()) {
      throw new EngineException(where, "at least one batch", "none",
          "pass the batches to write (an empty table is one batch of 0 rows)");
    }
    Schema schema = batches.get(0).getSchema();
    for (int i = 1; i < batches.size(); i++) {
      if (!batches.get(i).getSchema().equals(schema)) {
        throw new EngineException(where, "batches of one schema " + schema,
            "batch " + i + " with schema " + batches.get(i).getSchema(),
            "write batches of different schemas to different files");
      }
    }
    return schema;
  }
}
