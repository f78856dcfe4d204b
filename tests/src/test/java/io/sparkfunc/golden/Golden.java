package io.sparkfunc.golden;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a golden fixture written by {@code tests/golden/functorch_golden.py}: one tensor per line,
 * {@code <in|out> <name> <f32|f64|i64> <shape|-> : <values>}.
 */
final class Golden {
  final Map<String, Tensor> inputs = new LinkedHashMap<>();
  final Map<String, Tensor> outputs = new LinkedHashMap<>();

  static Golden load(String name) {
    Golden g = new Golden();
    String path = "/golden/" + name + ".txt";
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        Golden.class.getResourceAsStream(path), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          g.add(line);
        }
      }
    } catch (IOException | NullPointerException e) {
      throw new UncheckedIOException(new IOException("missing or unreadable fixture " + path, e));
    }
    return g;
  }

  private void add(String line) {
    String[] halves = line.split(" : ", 2);
    String[] head = halves[0].trim().split(" ");
    int[] shape = head[3].equals("-") ? new int[0] : Arrays.stream(head[3].split(",")).mapToInt(Integer::parseInt).toArray();
    String body = halves.length > 1 ? halves[1].trim() : "";
    double[] values = body.isEmpty() ? new double[0] : Arrays.stream(body.split(" ")).mapToDouble(Double::parseDouble).toArray();
    DType dtype = head[2].equals("f32") ? DType.F32 : head[2].equals("i64") ? DType.I64 : DType.F64;
    Tensor t = shape.length == 0 ? Tensors.scalar(values[0], dtype) : Tensors.of(values, shape).to(dtype);
    (head[0].equals("in") ? inputs : outputs).put(head[1], t);
  }
}
