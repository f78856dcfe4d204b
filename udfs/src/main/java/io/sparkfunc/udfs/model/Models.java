package io.sparkfunc.udfs.model;

import io.sparkfunc.udfs.BadInput;
import io.sparkfunc.udfs.model.LayerModel.Activation;
import io.sparkfunc.udfs.model.LayerModel.Loss;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model specs to models. Built in: {@code linreg(d)}, {@code logreg(d)}, {@code softmax(d,k)} and
 * {@code mlp(d,h1[,h2...],k[;act=tanh|relu|gelu])} (the activation may also be a bare last
 * argument, {@code mlp(64,32,10,relu)}; default tanh). Any other name with a dot is a Java class
 * implementing {@link Model}, loaded by name on every JVM that meets the spec (so it works on
 * executors without registration) and built through a public constructor taking the spec's
 * arguments as {@code String[]}, or a no-argument one: {@code com.acme.MyModel(64,10)}.
 *
 * <p>Parsed models are cached per spec string, so a spec column costs one parse per JVM.
 */
public final class Models {
  private Models() {}

  private static final Map<String, Model> CACHE = new ConcurrentHashMap<>();

  /** The model named by {@code spec}; a {@link BadInput} naming the spec when it is not one. */
  public static Model parse(String spec) {
    if (spec == null) {
      throw bad("null", "pass a model spec such as 'softmax(64,10)'");
    }
    Model cached = CACHE.get(spec);
    if (cached != null) {
      return cached;
    }
    Model model = build(spec);
    CACHE.put(spec, model);
    return model;
  }

  private static Model build(String spec) {
    String s = spec.trim();
    int open = s.indexOf('(');
    if (open <= 0 || !s.endsWith(")")) {
      throw bad("'" + spec + "'", "write name(args), e.g. 'softmax(64,10)' or 'mlp(64,32,10;act=relu)'");
    }
    String name = s.substring(0, open).trim();
    List<String> args = new ArrayList<>();
    for (String a : s.substring(open + 1, s.length() - 1).split("[,;]")) {
      if (!a.isBlank()) {
        args.add(a.trim());
      }
    }
    if (name.contains(".")) {
      return javaModel(spec, name, args.toArray(new String[0]));
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "linreg":
        return layers(spec, "linreg", args, 1, Loss.SQUARED_ERROR, "linreg(d)");
      case "logreg":
        return layers(spec, "logreg", args, 1, Loss.BINARY_CROSS_ENTROPY, "logreg(d)");
      case "softmax":
        return layers(spec, "softmax", args, 2, Loss.CROSS_ENTROPY, "softmax(d,k)");
      case "mlp":
        return mlp(spec, args);
      default:
        throw bad("'" + spec + "' (unknown model '" + name + "')",
            "use linreg(d), logreg(d), softmax(d,k), mlp(d,h1,...,k;act=tanh|relu|gelu) or a Java class name");
    }
  }

  private static Model layers(String spec, String name, List<String> args, int count, Loss loss, String form) {
    if (args.size() != count) {
      throw bad("'" + spec + "' (" + args.size() + " arguments)", "write " + form);
    }
    int[] widths = new int[] {dim(spec, args.get(0)), count == 2 ? dim(spec, args.get(1)) : 1};
    return new LayerModel(name, widths, Activation.TANH, loss);
  }

  private static Model mlp(String spec, List<String> args) {
    Activation act = Activation.TANH;
    String last = args.isEmpty() ? "" : args.get(args.size() - 1);
    if (!last.isEmpty() && !Character.isDigit(last.charAt(0))) {
      act = activation(spec, last.toLowerCase(Locale.ROOT).replace("act=", ""));
      args = args.subList(0, args.size() - 1);
    }
    if (args.size() < 3) {
      throw bad("'" + spec + "' (" + args.size() + " layer widths)",
          "write mlp(d,h1[,h2...],k;act=tanh|relu|gelu) with at least one hidden layer, or softmax(d,k)");
    }
    int[] widths = args.stream().mapToInt(a -> dim(spec, a)).toArray();
    return new LayerModel("mlp", widths, act, Loss.CROSS_ENTROPY);
  }

  private static Activation activation(String spec, String name) {
    for (Activation a : Activation.values()) {
      if (a.name().equalsIgnoreCase(name)) {
        return a;
      }
    }
    throw bad("'" + spec + "' (activation '" + name + "')", "use act=tanh, act=relu or act=gelu");
  }

  private static int dim(String spec, String arg) {
    try {
      int v = Integer.parseInt(arg);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad("'" + spec + "' (width '" + arg + "')", "give every width as a positive integer");
  }

  private static Model javaModel(String spec, String className, String[] args) {
    try {
      Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      if (!Model.class.isAssignableFrom(c)) {
        throw bad("'" + spec + "' (" + className + " does not implement Model)",
            "implement io.sparkfunc.udfs.model.Model");
      }
      try {
        return (Model) c.getConstructor(String[].class).newInstance((Object) args);
      } catch (NoSuchMethodException e) {
        return (Model) c.getConstructor().newInstance();
      }
    } catch (ClassNotFoundException e) {
      throw bad("'" + spec + "' (class " + className + " not found)",
          "put the class on the classpath of the driver and the executors (--jars)");
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw bad("'" + spec + "' (" + cause + ")",
          "give " + className + " a public constructor taking String[] (the spec's arguments) or none");
    }
  }

  private static BadInput bad(String got, String fix) {
    return new BadInput("model spec", "model", "a model spec", got, fix);
  }
}
