package io.ably.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The markdown report of one run: a heading with the machine and the settings, then one table per
 * section, then the targets computed from the figures (reported, never asserted).
 */
final class Report {
  private Report() {}

  /**
   * Renders the report.
   *
   * @param results what was measured
   * @param header lines describing the machine, the date and the command, already in markdown
   * @return the markdown text
   */
  static String markdown(Results results, List<String> header) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark harness results\n\n");
    for (String line : header) {
      md.append(line).append('\n');
    }
    md.append('\n');
    if (!results.latency.isEmpty()) {
      md.append("## Publish → receive latency (µs, from the intended send time)\n\n");
      md.append(
          "Beside the max: the longest GC pause and the longest safepoint (any cause, time to reach it"
              + " included) of the client's JVM in the measured window, and the number of GC pauses, from"
              + " its GC log, then the testkit server's longest stop in the window (GC pause or other"
              + " safepoint; it runs G1 with a fixed heap) and its number of GC pauses; a max near one of them is that"
              + " pause.\n\n");
      md.append(
          "| Client | Rate msg/s | Payload B | p50 | p90 | p99 | p99.9 | max | Longest GC pause (pauses)"
              + " | Longest safepoint | Server's longest pause (GC pauses) | Lost | Note |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (Results.Latency r : results.latency) {
        Histogram h = r.histogram();
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %,d of %,d | %s |%n",
                r.title(),
                r.rate(),
                r.payloadBytes(),
                micros(h, 50),
                micros(h, 90),
                micros(h, 99),
                micros(h, 99.9),
                h.getTotalCount() == 0 ? "–" : us(h.getMaxValue()),
                !r.pauses().known()
                    ? "–"
                    : r.pauses().gcPauses() == 0
                        ? "none"
                        : us(r.pauses().maxGcPauseMicros() * 1000) + " (" + r.pauses().gcPauses() + ")",
                r.pauses().known() ? us(r.pauses().maxSafepointMicros() * 1000) : "–",
                r.pauses().serverGcPauses() < 0
                    ? "–"
                    : us(r.pauses().serverMaxGcPauseMicros() * 1000) + " (" + r.pauses().serverGcPauses() + ")",
                r.lost(),
                r.expected(),
                r.note()));
      }
      md.append('\n');
    }
    for (Results.RateSearch r : results.rateSearch) {
      md.append(
          String.format(
              Locale.ROOT,
              "Rate search (before the repetitions, the floor in a JVM of its own, %,d-byte payloads, short runs):"
                  + " the highest rate at which the floor's p99 stayed under %s µs was **%s**%s. Steps: %s.%n%n",
              r.payloadBytes(),
              us(r.limitMicros() * 1000),
              r.rate() > 0 ? String.format(Locale.ROOT, "%,d msg/s", r.rate()) : "none",
              r.note().isEmpty() ? "" : " (" + r.note() + ")",
              String.join("; ", r.steps())));
    }
    if (!results.throughput.isEmpty()) {
      md.append("## Throughput (100-byte payloads)\n\n");
      md.append("| Client | Acknowledged publishes/s, one connection | Fan-out deliveries/s | Note |\n");
      md.append("|---|---:|---:|---|\n");
      for (Results.Throughput r : results.throughput) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s |%n",
                r.title(),
                rate(r.ackedPerSecond()),
                r.fanOutDeliveriesPerSecond() > 0
                    ? rate(r.fanOutDeliveriesPerSecond()) + " (1 → " + r.subscribers() + ")"
                    : "–",
                r.note()));
      }
      md.append('\n');
    }
    if (!results.ping.isEmpty()) {
      md.append("## Ping round trip (µs)\n\n");
      md.append("| Client | Pings | p50 | p90 | p99 | p99.9 | max | Note |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
      for (Results.Ping r : results.ping) {
        Histogram h = r.histogram();
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %s | %s | %s | %s | %s | %s |%n",
                r.title(),
                h.getTotalCount(),
                micros(h, 50),
                micros(h, 90),
                micros(h, 99),
                micros(h, 99.9),
                h.getTotalCount() == 0 ? "–" : us(h.getMaxValue()),
                r.note()));
      }
      md.append('\n');
    }
    if (!results.cost.isEmpty()) {
      md.append("## Cost (steady state, 100-byte payloads)\n\n");
      md.append(
          "| Client | B allocated / message sent | B allocated / message received"
              + " | CPU ns / message sent | CPU ns / message received"
              + " | Threads started by 2 clients | Heap of 2 clients | Note |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
      for (Results.Cost r : results.cost) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                r.title(),
                r.bytesPerSent() > 0 ? String.format(Locale.ROOT, "%,.0f", r.bytesPerSent()) : "–",
                r.bytesPerReceived() > 0 ? String.format(Locale.ROOT, "%,.0f", r.bytesPerReceived()) : "–",
                r.cpuNanosPerSent() > 0 ? String.format(Locale.ROOT, "%,.0f", r.cpuNanosPerSent()) : "–",
                r.cpuNanosPerReceived() > 0 ? String.format(Locale.ROOT, "%,.0f", r.cpuNanosPerReceived()) : "–",
                r.threadsStarted() >= 0 ? String.format(Locale.ROOT, "%,d", r.threadsStarted()) : "–",
                r.note().isEmpty() ? kib(r.heapBytes()) : "–",
                r.note()));
      }
      md.append('\n');
    }
    if (!results.blast.isEmpty()) {
      md.append("## The client's own limits: against a blaster in its own process (100-byte payloads)\n\n");
      md.append(
          "| Client | Received msg/s | CPU ns / message received | B / message received"
              + " | Acknowledged publishes/s | CPU ns / publish | B / publish | Note |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
      for (Results.Blast r : results.blast) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                r.title(),
                rate(r.receivedPerSecond()),
                whole(r.receiveCpuNanos()),
                whole(r.receiveBytes()),
                rate(r.ackedPerSecond()),
                whole(r.publishCpuNanos()),
                whole(r.publishBytes()),
                r.note()));
      }
      md.append('\n');
    }
    if (!results.scale.isEmpty()) {
      md.append("## Scale (server in its own process; each connection attached to a channel)\n\n");
      md.append("| Client | Connections | Attached | Time to all attached | Client threads | Heap | Heap / connection | Note |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
      for (Results.Scale r : results.scale) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %,d | %s | %,d | %s | %s | %s |%n",
                r.title(),
                r.connections(),
                r.attached(),
                String.format(Locale.ROOT, "%,.1f s", r.millisToAllAttached() / 1000.0),
                r.threads(),
                mib(r.heapBytes()),
                r.attached() > 0 ? kib(r.heapBytes() / r.attached()) : "–",
                r.threadKinds().isEmpty() ? r.note()
                    : r.note().isEmpty() ? "threads: " + r.threadKinds()
                    : r.note() + "; threads: " + r.threadKinds()));
      }
      md.append('\n');
    }
    List<String> targets = targets(results);
    if (!targets.isEmpty()) {
      md.append("## Targets of issues #7 and #20 (reported, not asserted)\n\n");
      md.append("| Target | Measured | Met |\n|---|---|---|\n");
      targets.forEach(t -> md.append(t).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  /**
   * The block that replaces the {@code ISSUE-20-RESULTS} marker in the README's Benchmarks
   * section: the run (machine, date, duration, command), one summary table with a column per
   * subject, the two charts as published, and the targets' verdicts; {@code results.md}, published
   * beside it, has every table.
   *
   * @param results what was measured
   * @param machine the machine in one line
   * @param started when the run started
   * @param command the command that ran
   * @param seconds how long the run took
   * @return the markdown text
   */
  static String readmeBlock(Results results, String machine, java.time.Instant started, String command, long seconds) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Measured %s UTC in %d min %d s on %s, with one command:%n%n```%n%s%n```%n%n",
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC)
                .format(started),
            seconds / 60,
            seconds % 60,
            machine,
            command));
    md.append(
        "Every figure is the median of the repetitions, each client in a JVM of its own; every table,"
            + " with the ranges, is in [`itest/benchmarks/results/results.md`](itest/benchmarks/results/results.md).\n\n");
    List<String> subjects = new ArrayList<>();
    Map<String, String> titles = new LinkedHashMap<>();
    for (String key : Harness.ALL_CLIENTS) {
      String title = titleOf(results, key);
      if (title != null) {
        subjects.add(key);
        titles.put(key, title);
      }
    }
    md.append("| |");
    subjects.forEach(k -> md.append(' ').append(titles.get(k)).append(" |"));
    md.append("\n|---|");
    subjects.forEach(k -> md.append("---:|"));
    md.append('\n');
    Map<String, Results.Latency> lat = new LinkedHashMap<>();
    for (Results.Latency r : results.latency) {
      lat.putIfAbsent(r.rate() + "/" + r.payloadBytes(), r);
    }
    for (String c : lat.keySet()) {
      Results.Latency first = lat.get(c);
      summaryRow(
          md,
          String.format(
              Locale.ROOT, "latency p50 / p99 / p99.9 / max µs, %,d msg/s, %,d B", first.rate(), first.payloadBytes()),
          subjects,
          k -> {
            for (Results.Latency r : results.latency) {
              if (r.subject().equals(k) && r.rate() == first.rate() && r.payloadBytes() == first.payloadBytes()) {
                Histogram h = r.histogram();
                return h.getTotalCount() == 0
                    ? "–"
                    : micros(h, 50) + " / " + micros(h, 99) + " / " + micros(h, 99.9) + " / " + us(h.getMaxValue());
              }
            }
            return "–";
          });
    }
    if (!results.blast.isEmpty()) {
      summaryRow(md, "blaster: received msg/s", subjects,
          k -> blast(results, k, b -> rate(b.receivedPerSecond())));
      summaryRow(md, "blaster: CPU ns / B allocated per message received", subjects,
          k -> blast(results, k, b -> whole(b.receiveCpuNanos()) + " / " + whole(b.receiveBytes())));
      summaryRow(md, "blaster: acknowledged publishes/s", subjects,
          k -> blast(results, k, b -> rate(b.ackedPerSecond())));
      summaryRow(md, "blaster: CPU ns / B allocated per publish", subjects,
          k -> blast(results, k, b -> whole(b.publishCpuNanos()) + " / " + whole(b.publishBytes())));
    }
    if (!results.cost.isEmpty()) {
      summaryRow(md, "testkit: CPU ns per message sent / received", subjects,
          k -> {
            Results.Cost c = find(results.cost, Results.Cost::subject, k);
            return c == null || c.cpuNanosPerSent() <= 0 ? "–" : whole(c.cpuNanosPerSent()) + " / " + whole(c.cpuNanosPerReceived());
          });
    }
    if (!results.throughput.isEmpty()) {
      summaryRow(md, "testkit: acknowledged publishes/s, fan-out deliveries/s (1 → 4)", subjects,
          k -> {
            Results.Throughput t = find(results.throughput, Results.Throughput::subject, k);
            return t == null || t.ackedPerSecond() <= 0
                ? "–"
                : rate(t.ackedPerSecond()) + ", " + rate(t.fanOutDeliveriesPerSecond());
          });
    }
    if (!results.ping.isEmpty()) {
      summaryRow(md, "ping p50 / p99 µs", subjects,
          k -> {
            Results.Ping p = find(results.ping, Results.Ping::subject, k);
            return p == null || p.histogram().getTotalCount() == 0
                ? "–"
                : micros(p.histogram(), 50) + " / " + micros(p.histogram(), 99);
          });
    }
    md.append('\n');
    for (Results.RateSearch r : results.rateSearch) {
      md.append(
          String.format(
              Locale.ROOT,
              "The second latency rate is the highest at which the floor's p99 stayed under %s µs on this machine"
                  + " (%,d-byte payloads, found by the run itself: %s).%n%n",
              us(r.limitMicros() * 1000),
              r.payloadBytes(),
              r.rate() > 0 ? String.format(Locale.ROOT, "%,d msg/s", r.rate()) : "none found" + (r.note().isEmpty() ? "" : ", " + r.note())));
    }
    md.append("![Latency percentiles](itest/benchmarks/results/latency.png)\n\n");
    md.append("![Blaster rates and CPU per message](itest/benchmarks/results/throughput-cpu.png)\n\n");
    List<String> targets = targets(results);
    if (!targets.isEmpty()) {
      md.append("Goals of issues #7 and #20, computed by the report from these figures (this client with its"
          + " default callback executor):\n\n");
      md.append("| Goal | Measured | Met |\n|---|---|---|\n");
      targets.forEach(t -> md.append(t).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  private static void summaryRow(
      StringBuilder md, String label, List<String> subjects, Function<String, String> cell) {
    md.append("| ").append(label).append(" |");
    for (String k : subjects) {
      md.append(' ').append(cell.apply(k)).append(" |");
    }
    md.append('\n');
  }

  /**
   * Whether a blaster row holds figures. Its note is no test: the median of several repetitions
   * carries one (the range), which once made every summary cell a dash.
   */
  private static boolean measured(Results.Blast b) {
    return b.receivedPerSecond() > 0 && b.ackedPerSecond() > 0;
  }

  private static String blast(Results results, String subject, Function<Results.Blast, String> cell) {
    Results.Blast b = find(results.blast, Results.Blast::subject, subject);
    return b == null || !measured(b) ? "–" : cell.apply(b);
  }

  /** A subject's title, from whichever section has it; null if it was not measured. */
  private static String titleOf(Results results, String subject) {
    List<List<?>> sections =
        List.of(results.latency, results.blast, results.cost, results.throughput, results.ping);
    for (List<?> rows : sections) {
      for (Object row : rows) {
        String[] keyTitle = keyTitle(row);
        if (keyTitle[0].equals(subject)) {
          return keyTitle[1];
        }
      }
    }
    return null;
  }

  private static String[] keyTitle(Object row) {
    if (row instanceof Results.Latency r) {
      return new String[] {r.subject(), r.title()};
    } else if (row instanceof Results.Blast r) {
      return new String[] {r.subject(), r.title()};
    } else if (row instanceof Results.Cost r) {
      return new String[] {r.subject(), r.title()};
    } else if (row instanceof Results.Throughput r) {
      return new String[] {r.subject(), r.title()};
    } else if (row instanceof Results.Ping r) {
      return new String[] {r.subject(), r.title()};
    }
    throw new AssertionError(row);
  }

  /** The targets, one table row each, for this client's default delivery. */
  private static List<String> targets(Results results) {
    List<String> rows = new ArrayList<>();
    String ours = "ours-default";
    Map<String, Results.Latency> lat = new LinkedHashMap<>();
    for (Results.Latency r : results.latency) {
      lat.put(r.subject() + "/" + r.rate() + "/" + r.payloadBytes(), r);
    }
    for (Results.Latency r : results.latency) {
      if (!r.subject().equals(ours)) {
        continue;
      }
      String k = "/" + r.rate() + "/" + r.payloadBytes();
      Results.Latency sdk = lat.get("ably-java" + k);
      Results.Latency floor = lat.get("floor" + k);
      String when = String.format(Locale.ROOT, "%,d msg/s, %,d B", r.rate(), r.payloadBytes());
      if (sdk != null && sdk.histogram().getTotalCount() > 0 && r.histogram().getTotalCount() > 0) {
        double ratio = pct(r.histogram(), 99) / pct(sdk.histogram(), 99);
        rows.add(row("p99 latency ≤ ¼ of ably-java's (" + when + ")", ratio, "× ably-java", ratio <= 0.25));
      }
      if (floor != null && floor.histogram().getTotalCount() > 0 && r.histogram().getTotalCount() > 0) {
        double ratio = pct(r.histogram(), 50) / pct(floor.histogram(), 50);
        rows.add(row("p50 latency ≤ 1.5 × the floor's (" + when + ")", ratio, "× floor", ratio <= 1.5));
      }
    }
    Results.Throughput ourTp = find(results.throughput, Results.Throughput::subject, ours);
    Results.Throughput sdkTp = find(results.throughput, Results.Throughput::subject, "ably-java");
    if (ourTp != null && sdkTp != null && sdkTp.ackedPerSecond() > 0) {
      double ratio = ourTp.ackedPerSecond() / sdkTp.ackedPerSecond();
      rows.add(row("acknowledged throughput ≥ 5 × ably-java's", ratio, "× ably-java", ratio >= 5));
    }
    Results.Ping ourPing = find(results.ping, Results.Ping::subject, ours);
    Results.Ping floorPing = find(results.ping, Results.Ping::subject, "floor");
    if (ourPing != null && floorPing != null && floorPing.histogram().getTotalCount() > 0) {
      double ratio = pct(ourPing.histogram(), 50) / pct(floorPing.histogram(), 50);
      rows.add(row("ping p50 ≤ 1.5 × the floor's", ratio, "× floor", ratio <= 1.5));
    }
    Results.Cost ourCost = find(results.cost, Results.Cost::subject, ours);
    Results.Cost floorCost = find(results.cost, Results.Cost::subject, "floor");
    Results.Cost sdkCost = find(results.cost, Results.Cost::subject, "ably-java");
    if (ourCost != null && ourCost.cpuNanosPerSent() > 0) {
      if (floorCost != null && floorCost.cpuNanosPerSent() > 0) {
        double r = ourCost.cpuNanosPerSent() / floorCost.cpuNanosPerSent();
        rows.add(row("CPU per message sent (testkit) ≤ 1.25 × the floor's", r, "× floor", r <= 1.25));
        r = ourCost.cpuNanosPerReceived() / floorCost.cpuNanosPerReceived();
        rows.add(row("CPU per message received (testkit) ≤ 1.25 × the floor's", r, "× floor", r <= 1.25));
      }
      if (sdkCost != null && sdkCost.cpuNanosPerSent() > 0) {
        double r = ourCost.cpuNanosPerSent() / sdkCost.cpuNanosPerSent();
        rows.add(row("CPU per message sent (testkit) ≤ ⅕ of ably-java's", r, "× ably-java", r <= 0.2));
        r = ourCost.cpuNanosPerReceived() / sdkCost.cpuNanosPerReceived();
        rows.add(row("CPU per message received (testkit) ≤ ⅕ of ably-java's", r, "× ably-java", r <= 0.2));
      }
    }
    Results.Blast ourBlast = find(results.blast, Results.Blast::subject, ours);
    Results.Blast floorBlast = find(results.blast, Results.Blast::subject, "floor");
    Results.Blast sdkBlast = find(results.blast, Results.Blast::subject, "ably-java");
    if (ourBlast != null && measured(ourBlast)) {
      if (floorBlast != null && measured(floorBlast)) {
        double r = ourBlast.receivedPerSecond() / floorBlast.receivedPerSecond();
        rows.add(row("blaster: receive rate ≥ 0.8 × the floor's", r, "× floor", r >= 0.8));
        r = ourBlast.ackedPerSecond() / floorBlast.ackedPerSecond();
        rows.add(row("blaster: acknowledged publish rate ≥ 0.8 × the floor's", r, "× floor", r >= 0.8));
        r = ourBlast.receiveCpuNanos() / floorBlast.receiveCpuNanos();
        rows.add(row("blaster: CPU per message received ≤ 1.25 × the floor's", r, "× floor", r <= 1.25));
        r = ourBlast.publishCpuNanos() / floorBlast.publishCpuNanos();
        rows.add(row("blaster: CPU per publish ≤ 2 × the floor's", r, "× floor", r <= 2));
      }
      if (sdkBlast != null && measured(sdkBlast)) {
        double r = ourBlast.receivedPerSecond() / sdkBlast.receivedPerSecond();
        rows.add(row("blaster: receive rate ≥ 5 × ably-java's", r, "× ably-java", r >= 5));
        r = ourBlast.ackedPerSecond() / sdkBlast.ackedPerSecond();
        rows.add(row("blaster: acknowledged publish rate ≥ 5 × ably-java's", r, "× ably-java", r >= 5));
        r = ourBlast.receiveCpuNanos() / sdkBlast.receiveCpuNanos();
        rows.add(row("blaster: CPU per message received ≤ ⅕ of ably-java's", r, "× ably-java", r <= 0.2));
      }
      rows.add(
          String.format(
              Locale.ROOT, "| blaster: allocation ≤ 300 B per message received | %,.0f B | %s |",
              ourBlast.receiveBytes(), ourBlast.receiveBytes() <= 300 ? "yes" : "no"));
    }
    for (Results.Scale s : results.scale) {
      if (s.subject().equals(ours) && s.connections() == 10_000) {
        int cores = Runtime.getRuntime().availableProcessors();
        rows.add(
            String.format(
                Locale.ROOT,
                "| 10,000 connections on ≤ 2 × cores (%d) threads | %,d threads (%,d attached) | %s |",
                2 * cores,
                s.threads(),
                s.attached(),
                s.threads() <= 2 * cores && s.attached() == s.connections() ? "yes" : "no"));
      }
    }
    return rows;
  }

  private static String row(String target, double ratio, String unit, boolean met) {
    return String.format(Locale.ROOT, "| %s | %.2f %s | %s |", target, ratio, unit, met ? "yes" : "no");
  }

  private static <T> T find(List<T> rows, Function<T, String> subjectOf, String subject) {
    for (T r : rows) {
      if (subjectOf.apply(r).equals(subject)) {
        return r;
      }
    }
    return null;
  }

  private static double pct(Histogram h, double percentile) {
    return Math.max(1, h.getValueAtPercentile(percentile));
  }

  private static String micros(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "–" : us(h.getValueAtPercentile(percentile));
  }

  /** Nanoseconds as microseconds, with one decimal below 100 µs. */
  static String us(long nanos) {
    double micros = nanos / 1000.0;
    return micros < 100
        ? String.format(Locale.ROOT, "%.1f", micros)
        : String.format(Locale.ROOT, "%,.0f", micros);
  }

  private static String whole(double v) {
    return v > 0 ? String.format(Locale.ROOT, "%,.0f", v) : "–";
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  private static String kib(long bytes) {
    return String.format(Locale.ROOT, "%,.1f KiB", bytes / 1024.0);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
