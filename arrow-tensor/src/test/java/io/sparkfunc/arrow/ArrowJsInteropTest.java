package io.sparkfunc.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Interop with a reader and writer we did not write: Apache Arrow JS (pinned {@value #ARROW_JS}).
 *
 * <p>The file Arrow JS wrote ({@code src/test/resources/arrow-js/written-by-arrow-js.arrow},
 * made by {@code src/test/js/arrow-interop.mjs write}) is read on every run. The live test
 * installs Arrow JS with npm into {@code target/arrow-js} (never committed), has it read an IPC
 * file we wrote and write a fresh one we read; it is skipped, saying why, when node or the npm
 * registry is unavailable.
 */
@ExtendWith(LeakCheck.class)
class ArrowJsInteropTest {
  static final String ARROW_JS = "apache-arrow@21.2.0";
  private static final Path FIXTURE = Path.of("src/test/resources/arrow-js/written-by-arrow-js.arrow");
  private static final Path SCRIPT = Path.of("src/test/js/arrow-interop.mjs");
  private static final Path WORK = Path.of("target/arrow-js");

  @Test
  void readsTheFileArrowJsWrote(BufferAllocator alloc) {
    assertArrowJsTable(FIXTURE, alloc);
  }

  @Test
  void arrowJsReadsOurFileAndWritesOneWeRead(BufferAllocator alloc) throws Exception {
    installArrowJs();
    Path ours = WORK.resolve("written-by-java.arrow");
    Tensor x = RoundTripTest.sample(DType.F32, 4, new int[] {2, 3});
    Tensor z = RoundTripTest.sample(DType.F64, 4, new int[] {2, 3}).mul(0.5);
    FixedShapeTensorType zType = new FixedShapeTensorType(new int[] {3, 2}, null, new int[] {1, 0});
    try (FixedShapeTensorVector vx = ArrowTensors.toTensorVector(x, "x", alloc,
            new FixedShapeTensorType(new int[] {2, 3}, List.of("H", "W"), null));
        FixedShapeTensorVector vz = ArrowTensors.toTensorVector(z, "z", alloc, zType);
        VectorSchemaRoot root = VectorSchemaRoot.of(vx, vz);
        FileChannel out = FileChannel.open(ours, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      TensorIpc.writeFile(List.of(root), out, alloc);
    }
    JsonNode seen = new ObjectMapper().readTree(node("read", ours.getFileName().toString()));
    assertEquals(4, seen.get("rows").asInt());
    JsonNode cx = seen.get("columns").get(0);
    assertEquals("x", cx.get("name").asText());
    assertEquals("FixedSizeList[6]<Float32>", cx.get("type").asText());
    assertEquals(FixedShapeTensorType.NAME, cx.get("extensionName").asText());
    assertEquals("{\"shape\":[2,3],\"dim_names\":[\"H\",\"W\"]}", cx.get("extensionMetadata").asText());
    assertArrayEquals(x.toDoubleArray(), doubles(cx.get("values")));
    JsonNode cz = seen.get("columns").get(1);
    assertEquals("FixedSizeList[6]<Float64>", cz.get("type").asText());
    assertEquals("{\"shape\":[3,2],\"permutation\":[1,0]}", cz.get("extensionMetadata").asText());
    // Arrow JS sees the physical rows: each logical [2,3] row transposed to [3,2]
    assertArrayEquals(z.permute(0, 2, 1).copy().toDoubleArray(), doubles(cz.get("values")));

    Path theirs = WORK.resolve("written-by-arrow-js.arrow");
    node("write", theirs.getFileName().toString());
    assertArrowJsTable(theirs, alloc);
  }

  /** The table arrow-interop.mjs writes: x f32 [3,2,3] (H, W), z f64 physical [3,3,2] permuted. */
  private static void assertArrowJsTable(Path file, BufferAllocator alloc) {
    List<String> checked = new ArrayList<>();
    try (FileChannel in = FileChannel.open(file)) {
      TensorIpc.readFile(in, alloc, root -> {
        FixedShapeTensorVector x = assertInstanceOf(FixedShapeTensorVector.class, root.getVector("x"));
        assertEquals(List.of("H", "W"), x.tensorType().dimNames());
        assertNull(x.tensorType().permutation());
        double[] xv = new double[18];
        for (int i = 0; i < 18; i++) {
          xv[i] = i * 0.5 - 1;
        }
        try (ArrowTensor t = ArrowTensors.view(x)) {
          RoundTripTest.assertSame(Tensors.of(xv, 3, 2, 3).to(DType.F32), t.tensor());
        }
        FixedShapeTensorVector z = assertInstanceOf(FixedShapeTensorVector.class, root.getVector("z"));
        assertArrayEquals(new int[] {3, 2}, z.tensorType().shape());
        assertArrayEquals(new int[] {1, 0}, z.tensorType().permutation());
        double[] zv = new double[18];
        for (int i = 0; i < 18; i++) {
          zv[i] = i / 4.0 + 1 / 8.0;
        }
        try (ArrowTensor t = ArrowTensors.view(z)) {
          RoundTripTest.assertSame(Tensors.of(zv, 3, 3, 2).permute(0, 2, 1), t.tensor());
        }
        checked.add("batch");
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(1, checked.size());
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  /** npm-installs Arrow JS into target/arrow-js once; skips the test if that is impossible. */
  private static void installArrowJs() throws IOException, InterruptedException {
    Files.createDirectories(WORK);
    Files.copy(SCRIPT, WORK.resolve(SCRIPT.getFileName()),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (Files.exists(WORK.resolve("node_modules/apache-arrow/package.json"))) {
      return;
    }
    Files.writeString(WORK.resolve("package.json"), "{\"private\": true}\n");
    Result r = run(300, "npm", "install", "--no-audit", "--no-fund", "--no-save", ARROW_JS);
    Assumptions.assumeTrue(r.code == 0, () -> "skipped: 'npm install " + ARROW_JS
        + "' failed (no node/npm, or the npm registry is unreachable); exit " + r.code + ": "
        + r.output.substring(Math.max(0, r.output.length() - 400)));
  }

  private static String node(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("node", "arrow-interop.mjs"));
    cmd.addAll(List.of(args));
    Result r = run(60, cmd.toArray(new String[0]));
    assertEquals(0, r.code, "node " + String.join(" ", args) + ": " + r.output);
    return r.output;
  }

  private record Result(int code, String output) {}

  /** Runs cmd in target/arrow-js: its exit code and stdout (plus stderr when it failed). */
  private static Result run(int timeoutSeconds, String... cmd) throws InterruptedException {
    Path errFile = WORK.resolve("stderr.log");
    try {
      Process p = new ProcessBuilder(cmd).directory(WORK.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectError(errFile.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(),
          p.exitValue() == 0 ? out : out + Files.readString(errFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, cmd[0] + " not runnable: " + e.getMessage());
    }
  }
}
