package io.sparkfunc.engine.core;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes a primitive in-place ({@code self: t[s...], sources... -> self}, operand 0 written
 * and returned), set once on its card with {@link Primitive#inPlace}.
 *
 * <p>vmap writes the batched tensor itself (the card's batch rule). grad, jvp and functionalize
 * write no memory: they evaluate {@link #functional}, the value operand 0 holds afterwards, as
 * ordinary traced ops, and rebind the written tracer (NOTE [Mutation under transforms] in {@code
 * transform.AliasingTrace}).
 *
 * @param call the op as users write it, with its operand names, e.g. {@code add_(self, other)}
 * @param outOfPlace the out-of-place spelling for messages, e.g. {@code self.add(other)}
 * @param functional the new value of operand 0 from public ops on the operands
 */
public record InPlace(String call, String outOfPlace, Functional functional) {
  /** The functional twin of an in-place primitive. */
  @FunctionalInterface
  public interface Functional {
    /**
     * @param args the in-place primitive's operands, not modified
     * @param params its parameters
     * @return what operand 0 holds after the op: a tensor of operand 0's type
     */
    Tensor apply(Tensor[] args, Params params);
  }

  /** The operand names in order, e.g. {@code [self, other]}. */
  public List<String> operands() {
    String inner = call.substring(call.indexOf('(') + 1, call.lastIndexOf(')'));
    List<String> names = new ArrayList<>();
    for (String n : inner.split(",")) {
      names.add(n.trim());
    }
    return names;
  }

  /**
   * The error for an in-place op that writes operand 0 while operand 0 is outside a transform
   * and another operand is inside it, e.g. {@code vmap: add_(self, other): expected self to be
   * batched when other is (...); got self: f32[3] not batched, other: f32[3] batched}.
   *
   * @param transform the transform as the user called it, e.g. {@code vmap}
   * @param state what being inside means, e.g. {@code batched}
   * @param reason why the write cannot happen
   * @param fix what to do instead of the out-of-place op
   * @param types the operands' types as the function sees them
   * @param inside per operand, whether it is inside the transform
   */
  public EngineException unwritable(
      String transform, String state, String reason, String fix, TensorType[] types,
      boolean[] inside) {
    List<String> names = operands();
    List<String> writers = new ArrayList<>();
    List<String> got = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      if (i > 0 && inside[i]) {
        writers.add(names.get(i));
      }
      got.add(names.get(i) + ": " + types[i] + (inside[i] ? " " : " not ") + state);
    }
    return new EngineException(
        transform + ": " + call,
        names.get(0) + " to be " + state + " when " + String.join(" and ", writers)
            + (writers.size() > 1 ? " are" : " is") + " (" + reason + ")",
        String.join(", ", got),
        "use the out-of-place op (" + outOfPlace + ") or " + fix);
  }
}
