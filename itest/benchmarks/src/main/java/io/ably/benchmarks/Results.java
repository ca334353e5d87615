package io.ably.benchmarks;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Everything one harness run measured, section by section, in the order measured. Latencies are in
 * nanoseconds in the histograms; the report converts them. A row whose measurement failed or stopped
 * early carries a note that says so, instead of a figure. Serializable: a subject's forked JVM sends
 * its results to the harness as a file ({@link SubjectProcess}), and {@link #median} merges the
 * repetitions.
 */
final class Results implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Publish-to-receive latency at a fixed offered rate, from each message's intended send time.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param rate offered messages per second
   * @param payloadBytes the payload size
   * @param histogram latencies of the measured messages (after warm-up), ns
   * @param expected messages expected in the measured part
   * @param lost measured messages that never arrived
   * @param note why the run stopped early, or empty
   * @param pauses the measured window and the JVM's pauses in it
   */
  record Latency(
      String subject,
      String title,
      int rate,
      int payloadBytes,
      Histogram histogram,
      long expected,
      long lost,
      String note,
      Pauses pauses) implements Serializable {
    private static final long serialVersionUID = 2L;

    /** A row whose window and pauses are not known. */
    Latency(
        String subject, String title, int rate, int payloadBytes, Histogram histogram, long expected, long lost,
        String note) {
      this(subject, title, rate, payloadBytes, histogram, expected, lost, note, Pauses.NONE);
    }

    /** This row with other pauses. */
    Latency withPauses(Pauses p) {
      return new Latency(subject, title, rate, payloadBytes, histogram, expected, lost, note, p);
    }

    /** This row with another note. */
    Latency withNote(String n) {
      return new Latency(subject, title, rate, payloadBytes, histogram, expected, lost, n, pauses);
    }
  }

  /**
   * The measured window of a latency case in the subject's JVM and the stop-the-world pauses of
   * that JVM in it, read from its GC log ({@link GcLog}), so that an outlier can be set beside a
   * pause (issue #20 item 5).
   *
   * @param fromMillis the window's start, milliseconds since the epoch, 0 if unknown
   * @param toMillis the window's end, milliseconds since the epoch
   * @param gcPauses GC pauses that ended in the window, -1 if the log was not read
   * @param maxGcPauseMicros the longest of them, µs
   * @param maxSafepointMicros the longest safepoint (of any cause, GC included: time to reach it
   *     plus time at it) that ended in the window, µs
   * @param serverGcPauses the testkit server's GC pauses that ended in the window, -1 if not read
   * @param serverMaxGcPauseMicros the server's longest stop in the window, GC pause or other
   *     safepoint, µs
   */
  record Pauses(
      long fromMillis, long toMillis, int gcPauses, long maxGcPauseMicros, long maxSafepointMicros,
      int serverGcPauses, long serverMaxGcPauseMicros)
      implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Nothing known. */
    static final Pauses NONE = new Pauses(0, 0, -1, 0, 0, -1, 0);

    /** The client JVM's pauses; the server's not read. */
    Pauses(long fromMillis, long toMillis, int gcPauses, long maxGcPauseMicros, long maxSafepointMicros) {
      this(fromMillis, toMillis, gcPauses, maxGcPauseMicros, maxSafepointMicros, -1, 0);
    }

    /** A window whose pauses are not read yet. */
    static Pauses window(long fromMillis, long toMillis) {
      return new Pauses(fromMillis, toMillis, -1, 0, 0);
    }

    /** These pauses with the server's. */
    Pauses withServer(int pauses, long maxMicros) {
      return new Pauses(fromMillis, toMillis, gcPauses, maxGcPauseMicros, maxSafepointMicros, pauses, maxMicros);
    }

    /** Whether the pauses were read. */
    boolean known() {
      return gcPauses >= 0;
    }
  }

  /**
   * The search for the highest offered rate at which the floor's p99 latency stays under a limit
   * (issue #20 item 5): each step a short latency run at one rate.
   *
   * @param payloadBytes the payload of the steps
   * @param limitMicros the p99 limit, µs
   * @param rate the highest rate that stayed under the limit, 0 if none did
   * @param steps each step as {@code rate → p99 µs}, in the order run
   * @param note why the search stopped, or empty
   */
  record RateSearch(int payloadBytes, long limitMicros, int rate, List<String> steps, String note)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Publishing throughput and fan-out.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param ackedPerSecond acknowledged publishes per second from one connection
   * @param subscribers subscribers in the fan-out case
   * @param fanOutDeliveriesPerSecond messages delivered per second, summed over the subscribers
   * @param note what failed, or empty
   */
  record Throughput(
      String subject,
      String title,
      double ackedPerSecond,
      int subscribers,
      double fanOutDeliveriesPerSecond,
      String note) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Ping round trips.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param histogram round-trip times, ns
   * @param note what failed, or empty
   */
  record Ping(String subject, String title, Histogram histogram, String note) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Cost in steady state.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param bytesPerSent bytes allocated per message published (and acknowledged)
   * @param bytesPerReceived bytes allocated per message received and delivered
   * @param threadsStarted threads started while the two clients (publisher and subscriber) connected
   * @param heapBytes heap used after a collection with the two clients up, less before
   * @param cpuNanosPerSent CPU time (user + system) of the client's threads per message published
   *     and acknowledged, ns; 0 when not measured
   * @param cpuNanosPerReceived CPU time of the client's threads per message received, ns
   * @param note what failed, or empty
   */
  record Cost(
      String subject,
      String title,
      double bytesPerSent,
      double bytesPerReceived,
      double cpuNanosPerSent,
      double cpuNanosPerReceived,
      long threadsStarted,
      long heapBytes,
      String note) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Many concurrent connections, each attached to a channel.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param connections connections asked for
   * @param attached connections connected and attached
   * @param millisToAllAttached from the first connect to the last attach, ms
   * @param threads the subject's threads with them up (by name; for ably-java, live threads added)
   * @param heapBytes heap used after a collection with them up, less before
   * @param threadKinds what the threads are, by name ({@link AllocationMeter#threadKinds}), or empty
   * @param note why it stopped short, or empty
   */
  record Scale(
      String subject,
      String title,
      int connections,
      int attached,
      long millisToAllAttached,
      int threads,
      long heapBytes,
      String threadKinds,
      String note) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The client's own limits against the {@link Blaster}, in a process of its own.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param receivedPerSecond messages received per second from a blast
   * @param receiveCpuNanos CPU time (user + system) of the client's whole process per message
   *     received, ns
   * @param receiveBytes bytes allocated by all the process's threads per message received
   * @param ackedPerSecond acknowledged publishes per second
   * @param publishCpuNanos CPU time of the process per publish acknowledged, ns
   * @param publishBytes bytes allocated per publish acknowledged
   * @param note what failed, or empty
   */
  record Blast(
      String subject,
      String title,
      double receivedPerSecond,
      double receiveCpuNanos,
      double receiveBytes,
      double ackedPerSecond,
      double publishCpuNanos,
      double publishBytes,
      String note) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  final List<Latency> latency = new ArrayList<>();
  final List<Blast> blast = new ArrayList<>();
  final List<Throughput> throughput = new ArrayList<>();
  final List<Ping> ping = new ArrayList<>();
  final List<Cost> cost = new ArrayList<>();
  final List<Scale> scale = new ArrayList<>();
  final List<RateSearch> rateSearch = new ArrayList<>();

  /** Adds every row of {@code other}, in its order. */
  void addAll(Results other) {
    latency.addAll(other.latency);
    throughput.addAll(other.throughput);
    ping.addAll(other.ping);
    cost.addAll(other.cost);
    blast.addAll(other.blast);
    scale.addAll(other.scale);
    rateSearch.addAll(other.rateSearch);
  }

  /**
   * Merges the repetitions of one subject (each from its own JVM, measured with the same options,
   * so the rows of each section come in the same order): every scalar figure is the median of the
   * repetitions that did not fail; a latency or ping row is the repetition with the median p99
   * (latency) or p50 (ping), so that its percentiles come from one real histogram. The note gives
   * the number of repetitions and the range of the headline figure.
   *
   * @param repetitions the results of each repetition, at least one
   * @return one result with one row per case
   */
  static Results median(List<Results> repetitions) {
    Results first = repetitions.get(0);
    Results m = new Results();
    for (int i = 0; i < first.latency.size(); i++) {
      int row = i;
      m.latency.add(
          pick(repetitions, r -> r.latency.get(row), Latency::note, l -> p(l.histogram(), 99), "p99 µs",
              Latency::withNote));
    }
    for (int i = 0; i < first.ping.size(); i++) {
      int row = i;
      m.ping.add(
          pick(repetitions, r -> r.ping.get(row), Ping::note, g -> p(g.histogram(), 50), "p50 µs",
              (g, note) -> new Ping(g.subject(), g.title(), g.histogram(), note)));
    }
    for (int i = 0; i < first.throughput.size(); i++) {
      int row = i;
      List<Throughput> rows = ok(repetitions, r -> r.throughput.get(row), Throughput::note);
      Throughput t = rows.get(0);
      m.throughput.add(
          rows.size() == 1 && !t.note().isEmpty()
              ? t
              : new Throughput(t.subject(), t.title(), med(rows, Throughput::ackedPerSecond), t.subscribers(),
                  med(rows, Throughput::fanOutDeliveriesPerSecond),
                  range(repetitions.size(), rows, Throughput::ackedPerSecond, "acked/s")));
    }
    for (int i = 0; i < first.cost.size(); i++) {
      int row = i;
      List<Cost> rows = ok(repetitions, r -> r.cost.get(row), Cost::note);
      Cost c = rows.get(0);
      m.cost.add(
          rows.size() == 1 && !c.note().isEmpty()
              ? c
              : new Cost(c.subject(), c.title(), med(rows, Cost::bytesPerSent), med(rows, Cost::bytesPerReceived),
                  med(rows, Cost::cpuNanosPerSent), med(rows, Cost::cpuNanosPerReceived),
                  (long) med(rows, Cost::threadsStarted), (long) med(rows, Cost::heapBytes),
                  range(repetitions.size(), rows, Cost::cpuNanosPerReceived, "CPU ns/received")));
    }
    for (int i = 0; i < first.blast.size(); i++) {
      int row = i;
      List<Blast> rows = ok(repetitions, r -> r.blast.get(row), Blast::note);
      Blast b = rows.get(0);
      m.blast.add(
          rows.size() == 1 && !b.note().isEmpty()
              ? b
              : new Blast(b.subject(), b.title(), med(rows, Blast::receivedPerSecond), med(rows, Blast::receiveCpuNanos),
                  med(rows, Blast::receiveBytes), med(rows, Blast::ackedPerSecond), med(rows, Blast::publishCpuNanos),
                  med(rows, Blast::publishBytes),
                  range(repetitions.size(), rows, Blast::receivedPerSecond, "received/s")
                      + (repetitions.size() == 1 ? "" : range(0, rows, Blast::ackedPerSecond, "acked/s"))));
    }
    m.scale.addAll(first.scale);
    m.rateSearch.addAll(first.rateSearch);
    return m;
  }

  /** Builds a row from a picked repetition and its note. */
  @FunctionalInterface
  private interface WithNote<T> {
    T with(T row, String note);
  }

  private static <T> T pick(
      List<Results> repetitions, Function<Results, T> rowOf, Function<T, String> noteOf,
      ToDoubleFunction<T> figure, String unit, WithNote<T> withNote) {
    List<T> rows = ok(repetitions, rowOf, noteOf);
    if (rows.size() == 1 && !noteOf.apply(rows.get(0)).isEmpty()) {
      return rows.get(0);
    }
    List<T> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingDouble(figure));
    return withNote.with(sorted.get((sorted.size() - 1) / 2), range(repetitions.size(), rows, figure, unit));
  }

  /** The rows of the repetitions that did not fail, or the first row when all failed. */
  private static <T> List<T> ok(List<Results> repetitions, Function<Results, T> rowOf, Function<T, String> noteOf) {
    List<T> rows = new ArrayList<>();
    for (Results r : repetitions) {
      T row = rowOf.apply(r);
      if (noteOf.apply(row).isEmpty()) {
        rows.add(row);
      }
    }
    return rows.isEmpty() ? List.of(rowOf.apply(repetitions.get(0))) : rows;
  }

  private static <T> double med(List<T> rows, ToDoubleFunction<T> figure) {
    double[] v = rows.stream().mapToDouble(figure).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static <T> String range(int repetitions, List<T> rows, ToDoubleFunction<T> figure, String unit) {
    if (repetitions == 1) {
      return "";
    }
    double[] v = rows.stream().mapToDouble(figure).sorted().toArray();
    if (repetitions == 0) {
      // a second range for the same row
      return String.format(Locale.ROOT, ", %s %,.0f–%,.0f", unit, v[0], v[v.length - 1]);
    }
    String failed = rows.size() < repetitions ? String.format(Locale.ROOT, ", %d did not complete", repetitions - rows.size()) : "";
    return String.format(
        Locale.ROOT, "median of %d%s; %s %,.0f–%,.0f", rows.size(), failed, unit, v[0], v[v.length - 1]);
  }

  private static double p(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1_000.0;
  }
}
