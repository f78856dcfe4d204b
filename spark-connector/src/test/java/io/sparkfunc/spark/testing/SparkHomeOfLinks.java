package io.sparkfunc.spark.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark "distribution" made of links, for multi-JVM tests without Spark installed: {@code
 * SPARK_HOME/RELEASE} (which makes Spark's launcher read {@code SPARK_HOME/jars/*}) and {@code
 * jars/} holding a symbolic link to every jar of this JVM's class path except our own modules
 * ({@code sparkfunc-*}) and class directories. Executors a Worker starts then see Spark, Scala
 * and their dependencies as a real cluster has them, and our code only through {@code spark.jars}.
 */
public final class SparkHomeOfLinks {
  private SparkHomeOfLinks() {}

  /**
   * Builds the home at the path in env {@code SPARK_HOME} (Spark's Worker reads the env, so the
   * test JVM must be started with it; the failsafe execution sets it) and returns it.
   */
  public static Path build() {
    String env = System.getenv("SPARK_HOME");
    if (env == null) {
      throw new IllegalStateException("SPARK_HOME is not set: run the cluster tests through Maven "
          + "(mvn -pl spark-connector -am verify), whose failsafe execution sets SPARK_HOME and SPARK_SCALA_VERSION");
    }
    Path home = Path.of(env).toAbsolutePath();
    try {
      Path jars = home.resolve("jars");
      Files.createDirectories(jars);
      Files.writeString(home.resolve("RELEASE"), "Spark of symbolic links to the Maven class path (sparkfunc tests)\n");
      for (Path jar : sparkJars()) {
        Path link = jars.resolve(jar.getFileName());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, jar);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("building the Spark home of links " + home, e);
    }
    return home;
  }

  /** The jars of {@code java.class.path} that a Spark distribution would hold (absolute paths). */
  static List<Path> sparkJars() {
    List<Path> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      String name = p.getFileName().toString();
      if (name.endsWith(".jar") && !name.startsWith("sparkfunc-") && Files.isRegularFile(p)) {
        out.add(p);
      }
    }
    if (out.stream().noneMatch(p -> p.getFileName().toString().startsWith("spark-core_"))) {
      throw new IllegalStateException("no spark-core jar on java.class.path (" + out.size() + " jars): the test JVM "
          + "must get its class path on the command line (failsafe useManifestOnlyJar=false)");
    }
    return out;
  }
}
