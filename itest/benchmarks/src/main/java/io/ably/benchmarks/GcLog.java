package io.ably.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses of a subject's JVM, read from the log its {@link #flag} option writes: every
 * GC pause ({@code [gc]} lines) and every safepoint ({@code [safepoint]} lines: time to reach it
 * plus time at it, whatever its cause), each with the wall-clock time it was logged (when it
 * ended). The harness sets them beside each latency case's window (issue #20 item 5), so that a
 * latency outlier can be told apart from a pause of the JVM.
 */
final class GcLog {
  /** The {@code -Xlog} option of a subject's JVM, without its file. */
  static String flag(Path file) {
    return "-Xlog:gc,safepoint:file=" + file + ":timemillis,uptime,level,tags";
  }

  /**
   * One pause.
   *
   * @param endMillis when it was logged, ms since the epoch
   * @param gc a GC pause (otherwise a safepoint)
   * @param micros its length, µs
   */
  record Pause(long endMillis, boolean gc, long micros) {}

  private static final Pattern TIME = Pattern.compile("\\[(\\d+)ms\\]");
  private static final Pattern GC = Pattern.compile("\\[gc\\s*\\].*\\bPause\\b.*?([0-9.]+)ms\\s*$");
  private static final Pattern SAFEPOINT = Pattern.compile("\\[safepoint\\s*\\].*\\bTotal: (\\d+) ns");

  private GcLog() {}

  /** The pauses in a log, in its order; none if it cannot be read. */
  static List<Pause> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
    return parse(lines);
  }

  /** The pauses in the lines of a log. */
  static List<Pause> parse(List<String> lines) {
    List<Pause> pauses = new ArrayList<>();
    for (String line : lines) {
      Matcher time = TIME.matcher(line);
      if (!time.find()) {
        continue;
      }
      long at = Long.parseLong(time.group(1));
      Matcher gc = GC.matcher(line);
      if (gc.find()) {
        pauses.add(new Pause(at, true, Math.round(Double.parseDouble(gc.group(1)) * 1000)));
        continue;
      }
      Matcher sp = SAFEPOINT.matcher(line);
      if (sp.find()) {
        pauses.add(new Pause(at, false, Long.parseLong(sp.group(1)) / 1000));
      }
    }
    return pauses;
  }

  /** The pauses that ended within the window of {@code window} (its bounds included). */
  static Results.Pauses in(Results.Pauses window, List<Pause> pauses) {
    if (window.fromMillis() <= 0) {
      return window;
    }
    int gcCount = 0;
    long maxGc = 0;
    long maxSafepoint = 0;
    for (Pause p : pauses) {
      if (p.endMillis() < window.fromMillis() || p.endMillis() > window.toMillis()) {
        continue;
      }
      if (p.gc()) {
        gcCount++;
        maxGc = Math.max(maxGc, p.micros());
      } else {
        maxSafepoint = Math.max(maxSafepoint, p.micros());
      }
    }
    return new Results.Pauses(
        window.fromMillis(), window.toMillis(), gcCount, maxGc, maxSafepoint, window.serverGcPauses(),
        window.serverMaxGcPauseMicros());
  }

  /**
   * {@code window} with the server's GC pauses that ended in it: their number, and the longest
   * stop of the server, GC pause or any other safepoint.
   */
  static Results.Pauses server(Results.Pauses window, List<Pause> serverPauses) {
    if (window.fromMillis() <= 0) {
      return window;
    }
    int count = 0;
    long max = 0;
    for (Pause p : serverPauses) {
      if (p.endMillis() >= window.fromMillis() && p.endMillis() <= window.toMillis()) {
        count += p.gc() ? 1 : 0;
        max = Math.max(max, p.micros());
      }
    }
    return window.withServer(count, max);
  }

  /**
   * Sets the pauses of its JVM's log, and the server's GC pauses, beside every latency case of
   * {@code results}, in place.
   *
   * @param results a subject JVM's results
   * @param file that JVM's log
   * @param serverFile the server's log, or {@code null}
   */
  static void annotate(Results results, Path file, Path serverFile) {
    if (Files.isRegularFile(file)) {
      List<Pause> pauses = read(file);
      results.latency.replaceAll(l -> l.withPauses(in(l.pauses(), pauses)));
    }
    if (serverFile != null && Files.isRegularFile(serverFile)) {
      List<Pause> pauses = read(serverFile);
      results.latency.replaceAll(l -> l.withPauses(server(l.pauses(), pauses)));
    }
  }
}
