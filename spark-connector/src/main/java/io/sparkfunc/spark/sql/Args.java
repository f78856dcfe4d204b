package io.sparkfunc.spark.sql;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.model.Model;
import io.sparkfunc.udfs.model.Models;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The arguments of one bound sparkfunc function: their roles ({@code model}, {@code params},
 * {@code features}, {@code label}, ...) and per-task decoding of a row's values into plain Java
 * arrays for the {@code udfs} bodies.
 *
 * <p>Every argument has a canonical type, which {@link #inputTypes} declares so that Spark casts
 * to it ({@code array<float>} to {@code array<double>}, an int label to double): {@code model}
 * string, {@code params}/{@code features} {@code array<double>}, {@code label}, {@code clip_norm}
 * and {@code seed} double. Errors name the function, the argument (position and role) and the
 * row: {@link #error}. Spark binds V2 functions by position (the bound struct's fields are
 * {@code _0, _1, ...}), so the column's own name is not known here.
 *
 * <p>NOTE [decode once per task]. The model spec and the parameters are cached by the last value
 * seen: a literal or a constant column decodes once per task, and the same {@code double[]} is
 * handed on, so the aggregate state recognises it by reference. Spark hands the value over as a
 * fresh {@code UnsafeArrayData} in a reused row buffer every row, so the check is a byte compare
 * against a copy of the last one (word at a time; element by element it took 10% of a softmax
 * aggregate's time in a JFR profile).
 */
final class Args implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String function;
  private final String[] roles;
  private transient long row;
  private transient UTF8String lastSpec;
  private transient Model lastModel;
  private transient double[] lastParams;
  private transient UnsafeArrayData lastParamsBytes;

  private Args(String function, String[] roles) {
    this.function = function;
    this.roles = roles;
  }

  /** Checks the bound columns against the roles, with an analysis-time error naming the column. */
  static Args bind(String function, StructType input, String... roles) {
    StructField[] fields = input.fields();
    if (fields.length != roles.length) {
      throw new EngineException(function + "(" + String.join(", ", roles) + ")",
          roles.length + " arguments", fields.length + " (" + input.simpleString() + ")",
          "call sparkfunc." + function + "(" + String.join(", ", roles) + ")");
    }
    for (int i = 0; i < roles.length; i++) {
      DataType t = fields[i].dataType();
      boolean ok = isModel(roles[i]) ? t instanceof StringType
          : isArray(roles[i]) ? t instanceof ArrayType && ((ArrayType) t).elementType() instanceof NumericType
          : t instanceof NumericType;
      if (!ok) {
        throw new EngineException(function + "(" + String.join(", ", roles) + ")",
            roles[i] + " as " + canonical(roles[i]).simpleString(),
            "argument " + (i + 1) + " of type " + t.simpleString(),
            isArray(roles[i]) ? "pass an array of numbers (array<float> or array<double>)" : "pass a number");
      }
    }
    return new Args(function, roles);
  }

  /** The types Spark casts the arguments to. */
  DataType[] inputTypes() {
    return Arrays.stream(roles).map(Args::canonical).toArray(DataType[]::new);
  }

  /** Counts a row (call once per row, before decoding it). */
  void nextRow() {
    row++;
  }

  /** The model named by argument {@code i}. */
  Model model(InternalRow in, int i) {
    if (in.isNullAt(i)) {
      throw error(i, new BadInput(function, roles[i], "a model spec", "null", "pass a spec such as 'softmax(64,10)'"));
    }
    UTF8String s = in.getUTF8String(i);
    if (!s.equals(lastSpec)) {
      try {
        lastModel = Models.parse(s.toString());
      } catch (BadInput e) {
        throw error(i, e);
      }
      lastSpec = s.clone();
    }
    return lastModel;
  }

  /** Argument {@code i} as parameters: the cached array while the values stay the same. */
  double[] params(InternalRow in, int i) {
    if (in.isNullAt(i)) {
      return null;
    }
    ArrayData a = in.getArray(i);
    if (lastParams != null && (a instanceof UnsafeArrayData u ? u.equals(lastParamsBytes) : sameValues(a, lastParams))) {
      return lastParams;
    }
    lastParams = doubles(a, i);
    lastParamsBytes = a instanceof UnsafeArrayData u ? u.copy() : null;
    return lastParams;
  }

  /** Argument {@code i} as a fresh {@code double[]}, or null for SQL NULL. */
  double[] doubles(InternalRow in, int i) {
    return in.isNullAt(i) ? null : doubles(in.getArray(i), i);
  }

  /** Argument {@code i} as a double, or null for SQL NULL. */
  Double number(InternalRow in, int i) {
    return in.isNullAt(i) ? null : in.getDouble(i);
  }

  /** Wraps a {@link BadInput} from the maths with this function, the argument's column and the row. */
  EngineException error(BadInput e) {
    int i = Arrays.asList(roles).indexOf(e.argument());
    return error(Math.max(i, 0), e);
  }

  private EngineException error(int i, BadInput e) {
    TaskContext task = TaskContext.get();
    String where = "sparkfunc." + function + "(" + String.join(", ", roles) + ") at argument " + (i + 1)
        + " (" + roles[i] + "), row " + Math.max(row - 1, 0)
        + (task == null ? "" : " of partition " + task.partitionId());
    EngineException out = new EngineException(where, e.expected(), e.got(), e.fix());
    out.initCause(e);
    return out;
  }

  private double[] doubles(ArrayData a, int i) {
    for (int k = 0; k < a.numElements(); k++) {
      if (a.isNullAt(k)) {
        throw error(i, new BadInput(function, roles[i], "no null elements", "null at index " + k,
            "fill or drop rows with null elements"));
      }
    }
    return a.toDoubleArray();
  }

  private static boolean sameValues(ArrayData a, double[] cached) {
    if (a.numElements() != cached.length) {
      return false;
    }
    for (int k = 0; k < cached.length; k++) {
      if (a.isNullAt(k) || Double.doubleToLongBits(a.getDouble(k)) != Double.doubleToLongBits(cached[k])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isModel(String role) {
    return role.equals("model");
  }

  private static boolean isArray(String role) {
    return role.equals("params") || role.equals("features") || role.equals("param_samples");
  }

  private static DataType canonical(String role) {
    return isModel(role) ? DataTypes.StringType
        : isArray(role) ? DataTypes.createArrayType(DataTypes.DoubleType) : DataTypes.DoubleType;
  }
}
