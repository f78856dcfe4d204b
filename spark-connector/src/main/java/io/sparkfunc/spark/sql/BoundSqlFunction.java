package io.sparkfunc.spark.sql;

import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.types.DataType;

/**
 * What every bound {@code sparkfunc} function shares: its SQL name, its arguments ({@link Args},
 * which declares the input types and names arguments in errors), and how the plan shows it
 * ({@code sparkfunc.<name>} in {@code explain}).
 */
abstract class BoundSqlFunction implements BoundFunction {
  private static final long serialVersionUID = 1L;

  private final String sqlName;
  /** The bound arguments: decoding and errors. */
  protected final Args args;

  BoundSqlFunction(String sqlName, Args args) {
    this.sqlName = sqlName;
    this.args = args;
  }

  @Override
  public final String name() {
    return sqlName;
  }

  @Override
  public final DataType[] inputTypes() {
    return args.inputTypes();
  }

  /** How the plan ({@code explain}) shows this function: {@code sparkfunc.<name>}. */
  @Override
  public final String toString() {
    return "sparkfunc." + sqlName;
  }
}
