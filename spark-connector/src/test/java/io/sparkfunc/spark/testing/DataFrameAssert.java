package io.sparkfunc.spark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * DataFrame asserts for numeric results: values compare with a tolerance {@code |a-b| <= tol *
 * max(1, |a|)}, recursing into array columns (Spark 4 hands them to Java as {@code
 * scala.collection.Seq}), Java arrays, lists and nested rows; NaN equals NaN. A mismatch names the
 * row, the column and the element.
 */
public final class DataFrameAssert {
  private DataFrameAssert() {}

  /** Rows equal in order, value by value, within {@code tol}. */
  public static void assertRowsClose(List<Row> expected, List<Row> actual, double tol) {
    assertEquals(expected.size(), actual.size(), "row count");
    for (int r = 0; r < expected.size(); r++) {
      Row e = expected.get(r);
      Row a = actual.get(r);
      assertEquals(e.length(), a.length(), "row " + r + ": field count");
      for (int c = 0; c < e.length(); c++) {
        String name = a.schema() == null ? "#" + c : a.schema().fields()[c].name();
        assertValueClose(e.get(c), a.get(c), tol, "row " + r + ", column `" + name + "`");
      }
    }
  }

  /** One column of {@code actual} (by name) against expected per-row arrays, within {@code tol}. */
  public static void assertArrayColumnClose(double[][] expected, List<Row> actual, String column, double tol) {
    assertEquals(expected.length, actual.size(), "row count");
    for (int r = 0; r < expected.length; r++) {
      assertValueClose(expected[r], actual.get(r).get(actual.get(r).fieldIndex(column)), tol,
          "row " + r + ", column `" + column + "`");
    }
  }

  /** Two values equal within {@code tol}, recursing into arrays, sequences and rows. */
  public static void assertValueClose(Object expected, Object actual, double tol, String where) {
    List<?> e = asList(expected);
    List<?> a = asList(actual);
    if (e != null || a != null) {
      if (e == null || a == null) {
        fail(where + ": expected " + expected + " but got " + actual);
      }
      assertEquals(e.size(), a.size(), where + ": array length");
      for (int i = 0; i < e.size(); i++) {
        assertValueClose(e.get(i), a.get(i), tol, where + "[" + i + "]");
      }
    } else if (expected instanceof Row && actual instanceof Row) {
      assertRowsClose(List.of((Row) expected), List.of((Row) actual), tol);
    } else if (expected instanceof Number && actual instanceof Number) {
      double x = ((Number) expected).doubleValue();
      double y = ((Number) actual).doubleValue();
      if (!(Double.isNaN(x) && Double.isNaN(y)) && !(Math.abs(x - y) <= tol * Math.max(1, Math.abs(x)))) {
        fail(where + ": expected " + x + " but got " + y + " (tolerance " + tol + ")");
      }
    } else {
      assertEquals(expected, actual, where);
    }
  }

  private static List<?> asList(Object v) {
    if (v instanceof double[]) {
      return java.util.Arrays.stream((double[]) v).boxed().toList();
    }
    if (v instanceof float[]) {
      float[] f = (float[]) v;
      java.util.List<Float> out = new java.util.ArrayList<>();
      for (float x : f) {
        out.add(x);
      }
      return out;
    }
    if (v instanceof scala.collection.Seq) {
      return scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) v);
    }
    return v instanceof List ? (List<?>) v : null;
  }
}
