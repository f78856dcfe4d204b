package io.sparkfunc.engine.transform;

import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.core.EngineException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Trees of tensors, as JAX pytrees: a {@link Tensor} is a leaf; a {@link List}, an ordered {@link
 * Map} with string keys, or a registered record are nodes whose children are trees. Transforms
 * take and return trees, and {@code inDims}/{@code outDims} mirror them.
 *
 * <p>Leaves are visited depth first, lists in order, maps in iteration order (use {@link
 * LinkedHashMap} for a stable order), records in component order.
 */
public final class Tree {
  private static final Set<Class<?>> RECORDS = ConcurrentHashMap.newKeySet();

  private Tree() {}

  /** Lets records of {@code type} act as tree nodes (their components are the children). */
  public static void register(Class<? extends Record> type) {
    RECORDS.add(type);
  }

  /** The leaves of {@code tree}, depth first. */
  public static List<Tensor> leaves(Object tree) {
    List<Tensor> out = new ArrayList<>();
    collect(tree, out, "tree");
    return out;
  }

  private static void collect(Object tree, List<Tensor> out, String path) {
    if (tree instanceof Tensor) {
      out.add((Tensor) tree);
    } else if (tree instanceof List) {
      List<?> l = (List<?>) tree;
      for (int i = 0; i < l.size(); i++) {
        collect(l.get(i), out, path + "[" + i + "]");
      }
    } else if (tree instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) tree).entrySet()) {
        collect(e.getValue(), out, path + "." + e.getKey());
      }
    } else if (tree instanceof Record && RECORDS.contains(tree.getClass())) {
      for (Object c : components((Record) tree)) {
        collect(c, out, path);
      }
    } else {
      throw notATree(tree, path);
    }
  }

  /** A tree of {@code template}'s structure whose leaves are {@code f} of its leaves. */
  public static Object map(Object template, Function<Tensor, ?> f) {
    List<Tensor> in = leaves(template);
    List<Object> out = new ArrayList<>(in.size());
    for (Tensor t : in) {
      out.add(f.apply(t));
    }
    return unflatten(template, out);
  }

  /** A tree of {@code template}'s structure with the given leaves (any objects) in leaf order. */
  public static Object unflatten(Object template, List<?> leaves) {
    Iterator<?> it = leaves.iterator();
    Object out = rebuild(template, it);
    if (it.hasNext()) {
      throw new IllegalArgumentException("Tree.unflatten: more leaves than the template has");
    }
    return out;
  }

  private static Object rebuild(Object t, Iterator<?> it) {
    if (t instanceof Tensor) {
      return it.next();
    } else if (t instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object c : (List<?>) t) {
        out.add(rebuild(c, it));
      }
      return out;
    } else if (t instanceof Map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) t).entrySet()) {
        out.put(e.getKey(), rebuild(e.getValue(), it));
      }
      return out;
    }
    Record r = (Record) t;
    Object[] comps = components(r);
    for (int i = 0; i < comps.length; i++) {
      comps[i] = rebuild(comps[i], it);
    }
    return construct(r.getClass(), comps);
  }

  /**
   * Per leaf of {@code tree}, the value of {@code prefix} that covers it: {@code prefix} mirrors
   * {@code tree} down to some depth, and a non-node value there applies to every leaf below it
   * (JAX's tree-prefix rule for {@code in_axes}).
   *
   * @param where the call as written, for the error message
   */
  public static List<Object> broadcastPrefix(Object prefix, Object tree, String where) {
    List<Object> out = new ArrayList<>();
    expand(prefix, tree, out, where, "");
    return out;
  }

  private static void expand(Object prefix, Object tree, List<Object> out, String where, String path) {
    boolean node = prefix instanceof List || prefix instanceof Map;
    if (!node) {
      for (int i = leaves(tree).size(); i > 0; i--) {
        out.add(prefix);
      }
      return;
    }
    if (prefix instanceof List && tree instanceof List && ((List<?>) prefix).size() == ((List<?>) tree).size()) {
      List<?> p = (List<?>) prefix;
      for (int i = 0; i < p.size(); i++) {
        expand(p.get(i), ((List<?>) tree).get(i), out, where, path + "[" + i + "]");
      }
    } else if (prefix instanceof Map && tree instanceof Map && ((Map<?, ?>) prefix).keySet().equals(((Map<?, ?>) tree).keySet())) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) tree).entrySet()) {
        expand(((Map<?, ?>) prefix).get(e.getKey()), e.getValue(), out, where, path + "." + e.getKey());
      }
    } else {
      throw new EngineException(
          where,
          "a spec that mirrors the argument tree" + (path.isEmpty() ? "" : " at " + path),
          describe(prefix) + " for an argument of structure " + describe(tree),
          "give one entry per element (same list length, same map keys), or a single int/null for the whole subtree");
    }
  }

  /** A short description of a tree's structure, e.g. {@code [f32[3], {w: f32[2,2]}]}. */
  public static String describe(Object tree) {
    if (tree instanceof Tensor) {
      return ((Tensor) tree).type().toString();
    } else if (tree instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object o : (List<?>) tree) {
        parts.add(describe(o));
      }
      return "list of " + parts.size() + " " + parts;
    } else if (tree instanceof Map) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) tree).entrySet()) {
        parts.add(e.getKey() + ": " + describe(e.getValue()));
      }
      return "{" + String.join(", ", parts) + "}";
    }
    return tree == null ? "null" : tree.getClass().getSimpleName() + " " + tree;
  }

  private static EngineException notATree(Object o, String path) {
    return new EngineException(
        "tree at " + path,
        "a Tensor, a List, an ordered Map or a registered record",
        o == null ? "null" : o.getClass().getName(),
        "wrap the value in a Tensor, or register its record type with Tree.register");
  }

  private static Object[] components(Record r) {
    RecordComponent[] rc = r.getClass().getRecordComponents();
    Object[] out = new Object[rc.length];
    try {
      for (int i = 0; i < rc.length; i++) {
        rc[i].getAccessor().setAccessible(true);
        out[i] = rc[i].getAccessor().invoke(r);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Tree: cannot read record " + r.getClass().getName(), e);
    }
    return out;
  }

  private static Object construct(Class<?> type, Object[] comps) {
    RecordComponent[] rc = type.getRecordComponents();
    Class<?>[] types = new Class<?>[rc.length];
    for (int i = 0; i < rc.length; i++) {
      types[i] = rc[i].getType();
    }
    try {
      Constructor<?> c = type.getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(comps);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Tree: cannot rebuild record " + type.getName(), e);
    }
  }
}
