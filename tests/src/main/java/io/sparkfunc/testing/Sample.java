package io.sparkfunc.testing;

import java.util.Arrays;

/**
 * One sample input of an op: the operands as reference arrays plus, per operand, the dtype role
 * ({@link Arg}). The harness turns it into engine tensors in each dtype under test, contiguous and
 * as non-contiguous views.
 *
 * @param label a short description for test names, e.g. {@code [3,1]x[1,4]}
 * @param args the operands
 * @param kinds per operand, what it is (floating data follows the dtype under test; indices are i64)
 */
public record Sample(String label, Ref[] args, Arg[] kinds) {
  /** What an operand is. */
  public enum Arg {
    /** Floating data: converted to the dtype under test. */
    DATA,
    /** Indices: always i64. */
    INDEX,
    /** A mask: always bool. */
    MASK
  }

  /** A sample whose operands are all floating data. */
  public static Sample data(Ref... args) {
    Arg[] k = new Arg[args.length];
    Arrays.fill(k, Arg.DATA);
    return of(args, k);
  }

  /** A sample of operands of the given kinds, labelled by their shapes, e.g. {@code [3,4]x[3,2]}. */
  public static Sample of(Ref[] args, Arg... kinds) {
    StringBuilder sb = new StringBuilder();
    for (Ref r : args) {
      sb.append(sb.length() == 0 ? "" : "x").append(Arrays.toString(r.shape).replace(" ", ""));
    }
    return new Sample(sb.toString(), args, kinds);
  }
}
