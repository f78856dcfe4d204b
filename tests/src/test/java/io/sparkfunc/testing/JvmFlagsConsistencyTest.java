package io.sparkfunc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The JVM flags live in three places that must not drift: the root pom's {@code
 * sparkfunc.jvm.flags} (Surefire's argLine), {@code conf/jvm-flags} (read by bin/sparkfunc-run) and
 * the extraJavaOptions in {@code conf/spark-defaults.conf}.
 */
@Tag("unit")
class JvmFlagsConsistencyTest {
  private static final Path ROOT =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();

  @Test
  void confJvmFlagsIsOneLineEqualToThePomProperty() throws Exception {
    List<String> lines = Files.readAllLines(ROOT.resolve("conf/jvm-flags"));
    assertEquals(1, lines.size(), "conf/jvm-flags must be exactly one line");
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(ROOT.resolve("pom.xml").toFile());
    String fromPom = pom.getElementsByTagName("sparkfunc.jvm.flags").item(0).getTextContent();
    assertSameFlags(fromPom, lines.get(0),
        "conf/jvm-flags differs from <sparkfunc.jvm.flags> in pom.xml (copy the property into the file)");
  }

  @Test
  void sparkDefaultsPassTheSameFlags() throws Exception {
    String flags = Files.readAllLines(ROOT.resolve("conf/jvm-flags")).get(0);
    Map<String, String> conf = new TreeMap<>();
    for (String line : Files.readAllLines(ROOT.resolve("conf/spark-defaults.conf"))) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        String[] kv = s.split("\\s+", 2);
        conf.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
      assertSameFlags(flags, conf.getOrDefault(key, ""),
          key + " in conf/spark-defaults.conf differs from conf/jvm-flags");
    }
  }

  private static void assertSameFlags(String want, String got, String what) {
    List<String> w = List.of(want.strip().split("\\s+"));
    List<String> g = List.of(got.strip().split("\\s+"));
    List<String> missing = w.stream().filter(t -> !g.contains(t)).toList();
    List<String> extra = g.stream().filter(t -> !w.contains(t)).toList();
    assertEquals(w, g, what + "; missing " + missing + ", extra " + extra);
  }
}
