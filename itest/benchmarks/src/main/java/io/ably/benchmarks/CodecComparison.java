package io.ably.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The codec comparison of issue #20 item 7 in one command: {@link CodecBenchmark} in 3 forks
 * (each with {@value #WARMUPS} warm-up and {@value #ITERATIONS} measured iterations of
 * {@value #ITERATION_MILLIS} ms) with JMH's GC profiler, on one-message frames, this codec and
 * ably-java's, then a markdown table of every case: time per operation with JMH's score error (the
 * 99.9% confidence interval over all forks' iterations) and bytes allocated per operation. About
 * eleven minutes on the 2-core build machine.
 *
 * <pre>
 * java -cp itest/benchmarks/target/benchmarks.jar io.ably.benchmarks.CodecComparison [--messages 1,10]
 * </pre>
 *
 * <p>It writes the table to {@code itest/benchmarks/target/results/codec.md} and prints it. The same
 * runs by hand: {@code java -jar itest/benchmarks/target/benchmarks.jar CodecBenchmark -f 3 -wi 3
 * -w 1s -i 5 -r 1s -p messages=1 -prof gc}.
 */
public final class CodecComparison {
  static final int FORKS = 3;
  static final int WARMUPS = 3;
  static final int ITERATIONS = 5;
  /**
   * One-second iterations: with 300 ms ones (3 minutes in all) some times carried error bars of
   * ±50–90% on the 2-core build machine, the JIT and the VM's scheduling swamping the figures.
   */
  static final int ITERATION_MILLIS = 1_000;

  private CodecComparison() {}

  /**
   * Runs the comparison.
   *
   * @param args {@code --messages 1} (default) or {@code 1,10}, the messages per frame
   * @throws RunnerException if JMH fails
   * @throws IOException if the table cannot be written
   */
  public static void main(String[] args) throws RunnerException, IOException {
    String messages = "1";
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--messages")) {
        messages = args[i + 1];
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Options options =
        new OptionsBuilder()
            .include(CodecBenchmark.class.getName() + "\\.")
            .forks(FORKS)
            .warmupIterations(WARMUPS)
            .warmupTime(TimeValue.milliseconds(ITERATION_MILLIS))
            .measurementIterations(ITERATIONS)
            .measurementTime(TimeValue.milliseconds(ITERATION_MILLIS))
            .param("messages", messages.split(","))
            .addProfiler(GCProfiler.class)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    String md = markdown(results, messages);
    Path out = Harness.defaultResultsDirectory();
    Files.createDirectories(out);
    Files.writeString(out.resolve("codec.md"), md, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(md);
    System.out.println("written to " + out.resolve("codec.md"));
  }

  /** One row per format, messages, data and library: encode and decode, ns/op ± error and B/op. */
  static String markdown(Collection<RunResult> results, String messages) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Codec (JMH 1.37, `CodecBenchmark`, messages per frame %s): %d forks × %d iterations of %d ms after %d of"
                + " warm-up; ± is JMH's score error (99.9%% confidence interval); B/op from `-prof gc`. JDK %s.%n%n",
            messages, FORKS, ITERATIONS, ITERATION_MILLIS, WARMUPS, System.getProperty("java.runtime.version")));
    md.append("| Format | Messages | Data | Library | encode ns/op | decode ns/op | encode B/op | decode B/op |\n");
    md.append("|---|---:|---|---|---:|---:|---:|---:|\n");
    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      BenchmarkParams p = r.getParams();
      String key = p.getParam("format") + "|" + p.getParam("messages") + "|" + p.getParam("data") + "|" + p.getParam("library");
      Row row = rows.stream().filter(x -> x.key.equals(key)).findFirst().orElseGet(() -> {
        Row n = new Row(key);
        rows.add(n);
        return n;
      });
      boolean encode = p.getBenchmark().endsWith(".encode");
      String time = String.format(Locale.ROOT, "%,.0f ± %,.0f", r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError());
      String bytes = allocation(r);
      if (encode) {
        row.encode = time;
        row.encodeBytes = bytes;
      } else {
        row.decode = time;
        row.decodeBytes = bytes;
      }
    }
    rows.sort(Comparator.comparing(x -> x.key));
    for (Row row : rows) {
      md.append("| ").append(row.key.replace("|", " | ")).append(" | ").append(row.encode).append(" | ")
          .append(row.decode).append(" | ").append(row.encodeBytes).append(" | ").append(row.decodeBytes).append(" |\n");
    }
    return md.toString();
  }

  @SuppressWarnings("rawtypes") // JMH's RunResult.getSecondaryResults() is a map of raw Results
  private static String allocation(RunResult r) {
    for (var e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        return String.format(Locale.ROOT, "%,.0f", e.getValue().getScore());
      }
    }
    return "–";
  }

  /** A table row being filled. */
  private static final class Row {
    final String key;
    String encode = "–";
    String decode = "–";
    String encodeBytes = "–";
    String decodeBytes = "–";

    Row(String key) {
      this.key = key;
    }
  }
}
