package io.sparkfunc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks and writes their results twice: JMH's JSON ({@code jmh.json}) and a
 * Markdown table ({@code jmh.md}) with each score converted to GFLOP/s or GB/s and a percentage
 * of the machine's peak ({@link Work}).
 *
 * <p>Usage: {@code RunBenchmarks OUTPUT_DIR [JMH options...]}, e.g. {@code out -wi 3 -i 5 -f 1
 * GemmBench}; without a benchmark regex every benchmark in this package runs.
 */
public final class RunBenchmarks {
  private RunBenchmarks() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: RunBenchmarks OUTPUT_DIR [JMH options...]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    String[] jmhArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
    CommandLineOptions cli = new CommandLineOptions(jmhArgs);
    OptionsBuilder builder = new OptionsBuilder();
    builder.parent(cli).resultFormat(ResultFormatType.JSON);
    builder.result(out.resolve("jmh.json").toString());
    if (cli.getIncludes().isEmpty()) {
      builder.include(RunBenchmarks.class.getPackageName() + "\\..*");
    }
    Options options = builder.build();
    Collection<RunResult> results = new Runner(options).run();
    String table = table(results);
    Files.writeString(out.resolve("jmh.md"), table);
    System.out.println(table);
  }

  /** One Markdown row per result, in run order. */
  static String table(Collection<RunResult> results) {
    List<String> rows = new ArrayList<>();
    rows.add("| benchmark | params | score (ops/s) | rate | % of peak |");
    rows.add("| --- | --- | ---: | ---: | ---: |");
    for (RunResult r : results) {
      BenchmarkParams bp = r.getParams();
      Map<String, String> params = new LinkedHashMap<>();
      for (String key : bp.getParamsKeys()) {
        params.put(key, bp.getParam(key));
      }
      Result<?> score = r.getPrimaryResult();
      String[] parts = bp.getBenchmark().split("\\.");
      String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
      Work w = Work.of(bp.getBenchmark(), params);
      String rate = w == null ? "" : fmt("%.1f %s", w.rate(score.getScore()), w.unit());
      String pct = w == null ? "" : fmt("%.0f%%", 100 * w.rate(score.getScore()) / w.peak());
      String ops = fmt("%.1f ± %.1f", score.getScore(), score.getScoreError());
      rows.add("| " + name + " | " + params + " | " + ops + " | " + rate + " | " + pct + " |");
    }
    return String.join("\n", rows) + "\n";
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
