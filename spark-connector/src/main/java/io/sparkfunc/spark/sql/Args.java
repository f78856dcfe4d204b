package io.sparkfunc.spark.sql;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.spark.SparkfuncExtensions;
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
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.bitset.BitSetMethods;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The arguments of one bound sparkfunc function: their roles ({@code model}, {@code params},
 * {@code features}, {@code label}, ...) and per-task decoding of a row's values into plain Java
 * arrays for the {@code udfs} bodies.
 *
 * <p>Every argument has a canonical type, which {@link #inputTypes} declares so that Spark casts
 * to it ({@code array<float>} to {@code array<double>}, an int label to double): {@code model}
 * string, {@code params}/{@code features}/{@code labels}/{@code direction} {@code array<double>},
 * {@code param_samples} {@code array<array<double>>}, {@code label}, {@code clip_norm}, {@code q}
 * and {@code seed} double, {@code block_id} bigint (integer types only). Errors name the function, the argument (position and role) and the row: {@link
 * #error}. Spark binds catalog functions by position (the bound struct's fields are {@code _0,
 * _1, ...}), so there the column's own name is not known; the session extension ({@link
 * SparkfuncExtensions}) binds with each argument's text in the field metadata ({@link
 * SparkfuncExtensions#ARGUMENT_SQL}), and errors then name it: {@code per_sample_grad(model,
 * params, features, label) at argument 3 (features: column `feats`), row 1 of partition 0: ...}.
 *
 * <p>NOTE [decode once per task]. The model spec, the parameters and the parameter samples are
 * cached by the last value seen: a literal or a constant column decodes once per task, and the
 * same {@code double[]} is handed on, so the aggregate state recognises it by reference. The
 * per-row check that the value is still the same is one byte comparison against a copy of the
 * last unsafe array (element by element for other array classes; equal bytes are equal values
 * since every array arrives cast to {@code array<double>}).
 *
 * <p>NOTE [constant parameters]. Spark's V2 aggregate ({@code V2Aggregator}) copies every
 * argument into a fresh row per input row, a literal parameter array included (5 KB a row for
 * softmax(64,10), 78 KB for mlp(64,128,10)), and the check above compares it again. When the
 * session extension ({@link SparkfuncExtensions}) binds an aggregate whose {@code params} argument
 * is a constant {@code array<double>} (a literal, {@code lit(theta)}), it evaluates the value once
 * at analysis time and passes it in the bound field's metadata ({@link
 * SparkfuncExtensions#ARGUMENT_CONSTANT}); {@link #params} then returns that array without
 * reading the row, and the extension passes a null literal in the argument's place (see {@link
 * SparkfuncCatalog#boundAsConstant}). The values are checked as before, at the first row of each
 * group, with the same error. The catalog path cannot see arguments at bind time and keeps the
 * per-row copy and check.
 */
final class Args implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String function;
  private final String[] roles;
  /** Argument i as written ({@code column `feats`}), or null when Spark did not say (catalog path). */
  private final String[] texts;
  /** Argument i's value when it was bound as a constant (NOTE [constant parameters]), else null. */
  private final double[][] constants;
  /** Parameter arrays decoded from rows in this JVM (tests: a constant is never decoded). */
  private static final java.util.concurrent.atomic.AtomicLong PARAMS_DECODED = new java.util.concurrent.atomic.AtomicLong();
  private transient long row;
  private transient UTF8String lastSpec;
  private transient Model lastModel;
  private transient double[] lastParams;
  private transient UnsafeArrayData lastParamsBytes;
  private transient double[][] lastSamples;
  private transient UnsafeArrayData lastSamplesBytes;
  /** Per argument, the array {@link #reusedDoubles} decodes into. */
  private transient double[][] scratch;

  private Args(String function, String[] roles, String[] texts, double[][] constants) {
    this.function = function;
    this.roles = roles;
    this.texts = texts;
    this.constants = constants;
  }

  /** Checks the bound columns against the roles, with an analysis-time error naming the column. */
  static Args bind(String function, StructType input, String... roles) {
    StructField[] fields = input.fields();
    String[] texts = new String[fields.length];
    double[][] constants = new double[fields.length][];
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].metadata().contains(SparkfuncExtensions.ARGUMENT_SQL)) {
        texts[i] = fields[i].metadata().getString(SparkfuncExtensions.ARGUMENT_SQL);
      }
      if (i < roles.length && roles[i].equals("params") && fields[i].metadata().contains(SparkfuncExtensions.ARGUMENT_CONSTANT)) {
        constants[i] = fields[i].metadata().getDoubleArray(SparkfuncExtensions.ARGUMENT_CONSTANT);
      }
    }
    Args args = new Args(function, roles, texts, constants);
    if (fields.length != roles.length) {
      String given = args.viaExtension() ? String.join(", ", texts) : input.simpleString();
      throw new EngineException(args.call(), roles.length + " arguments", fields.length + " (" + given + ")",
          "call " + args.call());
    }
    for (int i = 0; i < roles.length; i++) {
      DataType t = fields[i].dataType();
      boolean ok = isModel(roles[i]) ? t instanceof StringType
          : isNested(roles[i]) ? t instanceof ArrayType && isNumberArray(((ArrayType) t).elementType())
          : isArray(roles[i]) ? isNumberArray(t)
          : isInteger(roles[i]) ? INTEGERS.contains(t)
          : t instanceof NumericType;
      if (!ok) {
        throw new EngineException(args.call(),
            roles[i] + " as " + canonical(roles[i]).simpleString(),
            "argument " + (i + 1) + " of type " + t.simpleString() + (texts[i] == null ? "" : " (" + texts[i] + ")"),
            isNested(roles[i]) ? "pass an array of parameter arrays (array<array<double>>), e.g. array(p1, p2)"
                : isArray(roles[i]) ? "pass an array of numbers (array<float> or array<double>)"
                : isInteger(roles[i]) ? "pass an integer (int or bigint)" : "pass a number");
      }
    }
    return args;
  }

  /** The call as the user wrote it: {@code sparkfunc.f(roles)} through the catalog, {@code f(roles)} through the extension. */
  private String call() {
    return (viaExtension() ? "" : "sparkfunc.") + function + "(" + String.join(", ", roles) + ")";
  }

  /** True when bound by {@link SparkfuncExtensions} (the arguments' texts are known). */
  private boolean viaExtension() {
    return Arrays.stream(texts).anyMatch(t -> t != null);
  }

  /** {@code argument 3 (features: column `feats`)}, or {@code argument 3 (features)} when the column is unknown. */
  private String argument(int i) {
    String text = i < texts.length ? texts[i] : null;
    return "argument " + (i + 1) + " (" + roles[i] + (text == null ? "" : ": " + text) + ")";
  }

  /** The types Spark casts the arguments to. */
  DataType[] inputTypes() {
    return Arrays.stream(roles).map(Args::canonical).toArray(DataType[]::new);
  }

  /** True when argument {@code i} was bound as a constant: its row value is never read (NOTE [constant parameters]). */
  boolean isConstant(int i) {
    return constants[i] != null;
  }

  /** Parameter arrays decoded from rows in this JVM since it started (a constant never is). */
  static long paramsDecoded() {
    return PARAMS_DECODED.get();
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
    if (constants[i] != null) {
      return constants[i];
    }
    if (in.isNullAt(i)) {
      return null;
    }
    ArrayData a = in.getArray(i);
    if (lastParams != null && (a instanceof UnsafeArrayData && lastParamsBytes != null
        ? a.equals(lastParamsBytes) : sameValues(a, lastParams))) {
      return lastParams;
    }
    lastParams = doubles(a, i);
    lastParamsBytes = bytesOf(a);
    PARAMS_DECODED.incrementAndGet();
    return lastParams;
  }

  /** Argument {@code i} as parameter samples {@code f64[S][P]}: the cached arrays while the values stay the same. */
  double[][] paramSamples(InternalRow in, int i) {
    if (in.isNullAt(i)) {
      return null;
    }
    ArrayData outer = in.getArray(i);
    if (lastSamples != null && outer instanceof UnsafeArrayData && lastSamplesBytes != null) {
      if (outer.equals(lastSamplesBytes)) {
        return lastSamples;
      }
    } else if (lastSamples != null && lastSamples.length == outer.numElements()) {
      boolean same = true;
      for (int s = 0; same && s < lastSamples.length; s++) {
        same = !outer.isNullAt(s) && sameValues(outer.getArray(s), lastSamples[s]);
      }
      if (same) {
        return lastSamples;
      }
    }
    double[][] samples = new double[outer.numElements()][];
    for (int s = 0; s < samples.length; s++) {
      if (outer.isNullAt(s)) {
        throw error(i, new BadInput(function, roles[i], "no null samples", "null at index " + s,
            "drop null samples from the array"));
      }
      samples[s] = doubles(outer.getArray(s), i);
    }
    lastSamples = samples;
    lastSamplesBytes = bytesOf(outer);
    return samples;
  }

  /** Argument {@code i} as a fresh {@code double[]}, or null for SQL NULL. */
  double[] doubles(InternalRow in, int i) {
    return in.isNullAt(i) ? null : doubles(in.getArray(i), i);
  }

  /**
   * Argument {@code i} as a {@code double[]}, or null for SQL NULL, decoded into an array this
   * argument reuses from row to row (one bulk copy from an unsafe array, no allocation): valid
   * only until the next call for the same argument, for values the caller copies or finishes with
   * at once (a row's features added to an aggregate's pending block).
   */
  double[] reusedDoubles(InternalRow in, int i) {
    if (in.isNullAt(i)) {
      return null;
    }
    ArrayData a = in.getArray(i);
    if (!(a instanceof UnsafeArrayData u)) {
      return doubles(a, i);
    }
    checkNoNulls(a, i);
    int n = u.numElements();
    if (scratch == null) {
      scratch = new double[roles.length][];
    }
    double[] out = scratch[i];
    if (out == null || out.length != n) {
      out = scratch[i] = new double[n];
    }
    Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
        out, Platform.DOUBLE_ARRAY_OFFSET, 8L * n);
    return out;
  }

  /** Argument {@code i} as a double, or null for SQL NULL. */
  Double number(InternalRow in, int i) {
    return in.isNullAt(i) ? null : in.getDouble(i);
  }

  /** Argument {@code i} as a long, or null for SQL NULL (an integer role, cast to bigint). */
  Long integer(InternalRow in, int i) {
    return in.isNullAt(i) ? null : in.getLong(i);
  }

  /** Wraps a {@link BadInput} from the maths with this function, the argument's column and the row. */
  EngineException error(BadInput e) {
    int i = Arrays.asList(roles).indexOf(e.argument());
    return error(Math.max(i, 0), e);
  }

  private EngineException error(int i, BadInput e) {
    TaskContext task = TaskContext.get();
    String where = call() + " at " + argument(i) + ", row " + Math.max(row - 1, 0)
        + (task == null ? "" : " of partition " + task.partitionId());
    EngineException out = new EngineException(where, e.expected(), e.got(), e.fix());
    out.initCause(e);
    return out;
  }

  private double[] doubles(ArrayData a, int i) {
    checkNoNulls(a, i);
    return a.toDoubleArray();
  }

  private void checkNoNulls(ArrayData a, int i) {
    int k = firstNull(a);
    if (k >= 0) {
      throw error(i, new BadInput(function, roles[i], "no null elements", "null at index " + k,
          "fill or drop rows with null elements"));
    }
  }

  /**
   * The index of {@code a}'s first null element, or -1. An unsafe array's null bits are scanned a
   * word at a time (its layout: the element count, then the null bitset, as {@link
   * UnsafeArrayData#isNullAt} reads it): a block's {@code f64[n*d]} is checked in {@code n*d/64}
   * reads instead of {@code n*d} calls.
   */
  private static int firstNull(ArrayData a) {
    int n = a.numElements();
    if (a instanceof UnsafeArrayData u) {
      return BitSetMethods.nextSetBit(u.getBaseObject(), u.getBaseOffset() + 8, 0, (n + 63) / 64);
    }
    for (int k = 0; k < n; k++) {
      if (a.isNullAt(k)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * A private copy of an unsafe array, so the next row's array (same canonical type, so equal
   * bytes mean equal values) is recognised by one byte comparison; null for other array classes.
   */
  private static UnsafeArrayData bytesOf(ArrayData a) {
    return a instanceof UnsafeArrayData ? ((UnsafeArrayData) a).copy() : null;
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
    return role.equals("params") || role.equals("features") || role.equals("labels") || role.equals("direction");
  }

  private static boolean isInteger(String role) {
    return role.equals("block_id");
  }

  private static final java.util.List<DataType> INTEGERS =
      java.util.List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType);

  private static boolean isNested(String role) {
    return role.equals("param_samples");
  }

  private static boolean isNumberArray(DataType t) {
    return t instanceof ArrayType && ((ArrayType) t).elementType() instanceof NumericType;
  }

  private static DataType canonical(String role) {
    DataType doubles = DataTypes.createArrayType(DataTypes.DoubleType);
    return isModel(role) ? DataTypes.StringType
        : isNested(role) ? DataTypes.createArrayType(doubles)
        : isArray(role) ? doubles : isInteger(role) ? DataTypes.LongType : DataTypes.DoubleType;
  }
}
