package io.ably.benchmarks;

import io.ably.wire.WireFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The benchmark harness of issue #7: in one run, against the testkit server in its own process on
 * loopback, it measures this client (default callback executor, and inline callbacks), ably-java
 * 1.5.0 and a bare Netty WebSocket client (the floor) side by side: publish → receive latency at
 * fixed offered rates with coordinated-omission correction, acknowledged publish throughput and
 * fan-out, ping round trips, allocation per message, threads and heap, and 1,000 to 10,000
 * concurrent connections. It writes {@code results.md}, {@code latency.png}, {@code throughput-cpu.png}
 * (the blaster figures) and one {@code .hgrm}
 * percentile file per latency histogram to {@code itest/benchmarks/target/results/}.
 *
 * <pre>
 * ./mvnw -B -q -pl itest/benchmarks -am package -DskipTests
 * java -cp itest/benchmarks/target/benchmarks.jar io.ably.benchmarks.Harness [options]
 * </pre>
 *
 * <p>Options: {@code --quick} (shorter runs), {@code --smoke} (tiny runs that only show that every
 * part works), {@code --clients a,b} (of {@code
 * ours-default, ours-inline, ably-java, floor}), {@code --sections a,b} (of {@code cost, ping,
 * latency, throughput, blaster, scale}), {@code --rates 1000,search} (the latency rates; {@code search},
 * there by default, adds the highest rate at which the floor's p99 stays under 1 ms, found by a
 * search of short runs in a floor JVM before the repetitions), {@code --payloads 100,1024}, {@code
 * --scale 1000,5000,10000}, {@code --scale-clients a,b}, {@code --thread-budget N} (live threads
 * the scale case may not pass; default 6,000), {@code --format msgpack|json}, {@code --out DIR},
 * {@code --server-jar FILE}, {@code --repetitions N} (each subject measured N times, each time in a
 * JVM of its own; default 3, 1 with {@code --smoke}), {@code --seed N} (of the shuffled order),
 * {@code --publish} (also copy {@code results.md}, {@code readme-block.md}, {@code latency.png} and
 * {@code throughput-cpu.png} to {@code itest/benchmarks/results/}, where the published figures are
 * committed). {@code --readme-block} alone prints the published {@code readme-block.md}: the text
 * that replaces the {@code ISSUE-20-RESULTS} marker of the README's Benchmarks section (machine,
 * date, command, summary table, charts, the goals' verdicts). {@code --estimate} with other options
 * prints how long that run would take ({@link Options#estimatedSeconds}) and runs nothing.
 *
 * <p>Every subject runs in a JVM of its own ({@link SubjectProcess}, the same flags for all), in a
 * new shuffled order in each repetition; the report gives the median of the repetitions and the
 * range of each row's headline figure.
 */
public final class Harness {
  static final List<String> ALL_CLIENTS = List.of("ours-default", "ours-inline", "ably-java", "floor");
  static final List<String> ALL_SECTIONS = List.of("cost", "ping", "latency", "throughput", "blaster", "scale");
  /** The sections a subject's JVM may be asked for: {@link #ALL_SECTIONS} and the rate search. */
  static final List<String> CHILD_SECTIONS =
      List.of("cost", "ping", "latency", "throughput", "blaster", "scale", "rate-search");
  /** The floor's p99 latency under which the rate search keeps a rate (issue #20 item 5). */
  static final long SEARCH_LIMIT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);
  /** The longest the rate search may take (a tenth of it with {@code --smoke}). */
  static final long SEARCH_BUDGET_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
  /** The highest rate the rate search tries. */
  static final int SEARCH_MAX_RATE = 64_000;

  private final Options options;
  private final PrintStream log;
  /** The latency rates measured: the options' and, after the rate search, the rate it found. */
  private List<Integer> rates;

  Harness(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
    this.rates = options.rates();
  }

  /**
   * Runs the harness and writes its results.
   *
   * @param args the options (see the class description)
   * @throws Exception if the server cannot be started or the results cannot be written
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--readme-block")) {
      // the block of the published run, to paste over the README's ISSUE-20-RESULTS marker
      System.out.print(Files.readString(defaultPublishDirectory().resolve("readme-block.md"), StandardCharsets.UTF_8));
      return;
    }
    if (List.of(args).contains("--estimate")) {
      // how long the run with the other options would take, without running it
      Options o =
          Options.parse(
              List.of(args).stream().filter(a -> !a.equals("--estimate")).toArray(String[]::new),
              defaultResultsDirectory(), defaultServerJar());
      System.out.printf(Locale.ROOT, "estimated duration: %d min %02d s%n", o.estimatedSeconds() / 60, o.estimatedSeconds() % 60);
      return;
    }
    Options options = Options.parse(args, defaultResultsDirectory(), defaultServerJar());
    Path written = new Harness(options, System.out).run();
    System.out.println();
    System.out.println(Files.readString(written.resolve("results.md"), StandardCharsets.UTF_8));
    System.out.println("---- README block (replaces the ISSUE-20-RESULTS marker of the Benchmarks section) ----");
    System.out.println(Files.readString(written.resolve("readme-block.md"), StandardCharsets.UTF_8));
    System.out.println("written to " + written);
    // ably-java leaves non-daemon threads behind after close.
    System.exit(0);
  }

  /**
   * Runs every selected section and writes the results.
   *
   * @return the results directory
   */
  Path run() throws IOException, InterruptedException {
    Instant started = Instant.now();
    log.printf(
        Locale.ROOT, "estimated duration: %d min %02d s%n", options.estimatedSeconds() / 60, options.estimatedSeconds() % 60);
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Results results = new Results();
    List<String> sections = options.sections().stream().filter(x -> !x.equals("scale")).toList();
    if (!sections.isEmpty()) {
      Files.createDirectories(options.out());
      Files.deleteIfExists(options.out().resolve(SubjectProcess.SERVER_GC_LOG));
      try (ServerProcess server =
              ServerProcess.start(options.serverJar(), "4g", options.out().resolve(SubjectProcess.SERVER_GC_LOG));
          ServerProcess blaster = sections.contains("blaster") ? ServerProcess.startBlaster("1g") : null) {
        Target target = new Target(server.host(), server.port(), Target.DEFAULT_KEY, options.format());
        Target blasterTarget =
            blaster == null ? null : new Target(blaster.host(), blaster.port(), Target.DEFAULT_KEY, options.format());
        forked(sections, target, blasterTarget, results);
      }
    }
    if (options.sections().contains("scale")) {
      scale(results);
    }
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Files.createDirectories(options.out());
    List<String> header = header(started, loadBefore, loadAfter);
    Files.writeString(options.out().resolve("results.md"), Report.markdown(results, header), StandardCharsets.UTF_8);
    Files.writeString(
        options.out().resolve("readme-block.md"),
        Report.readmeBlock(results, machine(), started, command(), Instant.now().getEpochSecond() - started.getEpochSecond()),
        StandardCharsets.UTF_8);
    if (!results.latency.isEmpty()) {
      LatencyChart.write(results.latency, options.out().resolve("latency.png"));
      for (Results.Latency r : results.latency) {
        Path file =
            options.out().resolve(String.format(Locale.ROOT, "latency-%s-%d-%d.hgrm", r.subject(), r.rate(), r.payloadBytes()));
        writeHgrm(r.histogram(), file);
      }
    }
    for (Results.Ping r : results.ping) {
      writeHgrm(r.histogram(), options.out().resolve("ping-" + r.subject() + ".hgrm"));
    }
    if (!results.blast.isEmpty()) {
      ThroughputChart.write(results.blast, options.out().resolve("throughput-cpu.png"));
    }
    if (options.publish() != null) {
      publish(options.out(), options.publish());
    }
    return options.out();
  }

  /**
   * Measures every subject in JVMs of its own, {@link Options#repetitions} times, the subjects in a
   * new shuffled order in each repetition (from {@link Options#seed}), and adds the median of each
   * subject's repetitions to {@code results}.
   */
  private void forked(List<String> sections, Target target, Target blasterTarget, Results results)
      throws IOException, InterruptedException {
    List<String> extra = new ArrayList<>();
    if (sections.contains("latency") && options.searchRate()) {
      Results.RateSearch search = searchRate(target);
      results.rateSearch.add(search);
      if (search.rate() > 0 && !rates.contains(search.rate())) {
        List<Integer> all = new ArrayList<>(rates);
        all.add(search.rate());
        rates = List.copyOf(all);
      }
      extra.addAll(List.of("--rates", String.join(",", rates.stream().map(String::valueOf).toList())));
    }
    Random random = new Random(options.seed());
    Map<String, List<Results>> bySubject = new LinkedHashMap<>();
    options.clients().forEach(c -> bySubject.put(c, new ArrayList<>()));
    for (int rep = 1; rep <= options.repetitions(); rep++) {
      List<String> order = new ArrayList<>(options.clients());
      Collections.shuffle(order, random);
      log.println("== repetition " + rep + " of " + options.repetitions() + ": " + String.join(", ", order));
      for (String client : order) {
        String label = client + "-" + rep;
        Results r =
            SubjectProcess.run(options.args(), sections, client, target, blasterTarget, extra, options.out(), label);
        if (r == null) {
          log.println("   " + client + " failed in its JVM:\n" + SubjectProcess.tail(options.out(), label, 30));
          r = failedRun(sections, client, target, "its JVM failed (see child-" + label + ".log)");
        }
        bySubject.get(client).add(r);
        log.println("   " + client + " done");
      }
    }
    for (String client : options.clients()) {
      results.addAll(Results.median(bySubject.get(client)));
    }
  }

  /**
   * The rate search of issue #20 item 5, in a floor's JVM of its own before the repetitions: the
   * highest rate at which the floor's p99 stays under {@link #SEARCH_LIMIT_NANOS}, with the largest
   * payload of the options.
   */
  private Results.RateSearch searchRate(Target target) throws IOException, InterruptedException {
    int payload = Collections.max(options.payloads());
    log.printf(Locale.ROOT, "== rate search: the floor's p99 under %s µs, %,d B%n", Report.us(SEARCH_LIMIT_NANOS), payload);
    Results r =
        SubjectProcess.run(
            options.args(), List.of("rate-search"), "floor", target, null, List.of(), options.out(), "rate-search");
    if (r == null || r.rateSearch.isEmpty()) {
      log.println("   rate search failed in its JVM:\n" + SubjectProcess.tail(options.out(), "rate-search", 30));
      return new Results.RateSearch(payload, SEARCH_LIMIT_NANOS / 1000, 0, List.of(), "failed: its JVM failed");
    }
    Results.RateSearch search = r.rateSearch.get(0);
    search.steps().forEach(step -> log.println("   " + step));
    log.printf(Locale.ROOT, "   found %,d msg/s%s%n", search.rate(), search.note().isEmpty() ? "" : " (" + search.note() + ")");
    return search;
  }

  /** The rows of a subject whose JVM failed, each with the reason, in the order a run has them. */
  private Results failedRun(List<String> sections, String client, Target target, String why) {
    Subject s = subject(client, target);
    String note = "failed: " + why;
    Results r = new Results();
    try {
      if (sections.contains("cost")) {
        r.cost.add(new Results.Cost(client, s.title(), 0, 0, 0, 0, -1, 0, note));
      }
      if (sections.contains("ping")) {
        r.ping.add(new Results.Ping(client, s.title(), new Histogram(3), note));
      }
      if (sections.contains("latency")) {
        for (int rate : rates) {
          for (int payload : options.payloads()) {
            r.latency.add(new Results.Latency(client, s.title(), rate, payload, new Histogram(3), 0, 0, note));
          }
        }
      }
      if (sections.contains("throughput")) {
        r.throughput.add(new Results.Throughput(client, s.title(), 0, 0, 0, note));
      }
      if (sections.contains("blaster")) {
        r.blast.add(new Results.Blast(client, s.title(), 0, 0, 0, 0, 0, 0, note));
      }
    } finally {
      s.close();
    }
    return r;
  }

  /**
   * Measures the subjects of the options in this JVM against a running server (what a forked
   * subject's JVM does, with one subject).
   *
   * @param target the server
   * @return what was measured
   */
  Results measureInThisJvm(Target target, Target blasterTarget) throws InterruptedException {
    Results results = new Results();
    Workloads workloads = new Workloads(options.settings());
    if (options.sections().contains("rate-search")) {
      Workloads shortRuns = new Workloads(options.searchSettings());
      for (String client : options.clients()) {
        try (Subject subject = subject(client, target)) {
          results.rateSearch.add(
              shortRuns.searchRate(
                  subject, Collections.max(options.payloads()), SEARCH_LIMIT_NANOS, 1_000, SEARCH_MAX_RATE,
                  options.smoke() ? SEARCH_BUDGET_NANOS / 10 : SEARCH_BUDGET_NANOS));
        }
      }
      if (options.sections().size() == 1) {
        return results;
      }
    }
    List<Subject> subjects = new ArrayList<>();
    try (NettyFloor helper = new NettyFloor(target, "bench-helper", 1)) {
      for (String client : options.clients()) {
        subjects.add(subject(client, target));
      }
      measure(subjects, helper, workloads, results);
    } finally {
      subjects.forEach(Subject::close);
    }
    if (options.sections().contains("blaster") && blasterTarget != null) {
      for (String client : options.clients()) {
        Subject subject = subject(client, blasterTarget);
        try {
          results.blast.add(workloads.blast(subject));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
          failed("blaster", subject, e);
          results.blast.add(new Results.Blast(client, subject.title(), 0, 0, 0, 0, 0, 0, "failed: " + message(e)));
        } finally {
          subject.close();
        }
        log.println("blaster done: " + subject.title());
      }
    }
    return results;
  }

  /**
   * Runs the sections section by section and, within a section, case by case, every subject in
   * turn: figures that are compared are measured close together in time, which matters on a
   * machine shared with other work.
   */
  private void measure(List<Subject> subjects, NettyFloor helper, Workloads workloads, Results results)
      throws InterruptedException {
    if (options.sections().contains("cost")) {
      for (Subject subject : subjects) {
        String k = subject.key();
        try {
          results.cost.add(workloads.cost(subject, helper, 100, "cost-" + k));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
          failed("cost", subject, e);
          results.cost.add(new Results.Cost(k, subject.title(), 0, 0, 0, 0, -1, 0, "failed: " + message(e)));
        }
        log.println("cost done: " + subject.title());
      }
    }
    if (options.sections().contains("ping")) {
      for (Subject subject : subjects) {
        try {
          results.ping.add(workloads.ping(subject));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
          failed("ping", subject, e);
          results.ping.add(
              new Results.Ping(subject.key(), subject.title(), new Histogram(3), "failed: " + message(e)));
        }
        log.println("ping done: " + subject.title());
      }
    }
    if (options.sections().contains("latency")) {
      for (int rate : options.rates()) {
        for (int payload : options.payloads()) {
          for (Subject subject : subjects) {
            String k = subject.key();
            String channel = "latency-" + k + "-" + rate + "-" + payload;
            try {
              results.latency.add(workloads.latency(subject, rate, payload, channel));
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
              failed("latency", subject, e);
              results.latency.add(
                  new Results.Latency(
                      k, subject.title(), rate, payload, new Histogram(3), 0, 0, "failed: " + message(e)));
            }
            log.printf(Locale.ROOT, "latency done: %,d msg/s, %,d B, %s%n", rate, payload, subject.title());
          }
        }
      }
    }
    if (options.sections().contains("throughput")) {
      for (Subject subject : subjects) {
        try {
          results.throughput.add(workloads.throughput(subject, 100, "throughput-" + subject.key()));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
          failed("throughput", subject, e);
          results.throughput.add(
              new Results.Throughput(subject.key(), subject.title(), 0, 0, 0, "failed: " + message(e)));
        }
        log.println("throughput done: " + subject.title());
      }
    }
  }

  private void scale(Results results) throws IOException, InterruptedException {
    ScaleRun run = new ScaleRun(options.threadBudget(), options.quick() ? 60 : 180, options.attachAtScale());
    for (String client : options.scaleClients()) {
      log.println("== scale: " + client);
      try (ServerProcess server = ServerProcess.start(options.serverJar(), "8g")) {
        Target target = new Target(server.host(), server.port(), Target.DEFAULT_KEY, options.format());
        try (Subject subject = subject(client, target)) {
          int baseThreads = AllocationMeter.liveThreads();
          double threadsPerConnection = 0;
          for (int n : options.scale()) {
            double projected = baseThreads + threadsPerConnection * n;
            if (projected > options.threadBudget()) {
              results.scale.add(
                  new Results.Scale(
                      subject.key(), subject.title(), n, 0, 0, 0, 0, "",
                      String.format(
                          Locale.ROOT,
                          "not run: %.1f threads per connection would make %,.0f live threads, over the budget of %,d",
                          threadsPerConnection, projected, options.threadBudget())));
              break;
            }
            Results.Scale row = run.run(subject, n);
            results.scale.add(row);
            log.printf(Locale.ROOT, "   %,d connections: %,d attached in %,d ms, %,d threads %s%n",
                n, row.attached(), row.millisToAllAttached(), row.threads(), row.note());
            if (!row.note().isEmpty()) {
              break;
            }
            threadsPerConnection = (double) row.threads() / n;
          }
        }
      }
    }
  }

  private void failed(String section, Subject subject, Exception e) {
    log.println("   " + section + " failed for " + subject.title() + ": " + e);
    e.printStackTrace(log);
  }

  private static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = String.valueOf(e.getMessage());
    return root == e ? m : m + " (" + root + ")";
  }

  private Subject subject(String key, Target target) {
    return switch (key) {
      case "ours-default" -> new OurClientSubject(target, false);
      case "ours-inline" -> new OurClientSubject(target, true);
      case "ably-java" -> new AblyJavaSubject(target);
      case "floor" -> new NettyFloor(target, "floor", 1);
      default -> throw new IllegalArgumentException("unknown client " + key);
    };
  }

  private List<String> header(Instant started, double loadBefore, double loadAfter) {
    Workloads.Settings s = options.settings();
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "Run %s, %d s (estimated %d s). Machine: %s. System load average %.1f before, %.1f after"
                + " (other work may share the machine: a load near the core count or above means noisy figures).",
            started.truncatedTo(ChronoUnit.SECONDS),
            Instant.now().getEpochSecond() - started.getEpochSecond(),
            options.estimatedSeconds(),
            machine(),
            loadBefore,
            loadAfter));
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "Server: the testkit in its own JVM on 127.0.0.1. Wire format: %s for every client. Latency: %d s"
                + " warm-up then %d s measured per rate, publisher and subscriber on separate connections,"
                + " recorded with HdrHistogram from each message's intended send time. Throughput: %d s, at"
                + " most %,d publishes awaiting acknowledgement; fan-out: %,d messages to %d subscribers."
                + " Ping: %,d sequential round trips. Cost: %,d messages after %,d of warm-up.",
            options.format(),
            s.warmupSeconds(),
            s.measureSeconds(),
            s.throughputSeconds(),
            s.window(),
            s.fanOutMessages(),
            s.fanOutSubscribers(),
            s.pings(),
            s.costMessages(),
            s.costMessages()));
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "Each client in a JVM of its own (%s), the server in another; %d repetition(s), the clients in a"
                + " new shuffled order in each (seed %d). Each figure is the median of the repetitions; the note"
                + " gives the range of the row's headline figure. CPU per message: the CPU time (user + system)"
                + " of the client's threads over the measured messages (GC and JIT threads not counted).",
            String.join(" ", SubjectProcess.JVM_FLAGS),
            options.repetitions(),
            options.seed()));
    lines.add("");
    lines.add("Command: `" + command() + "`");
    return lines;
  }

  /** The command of this run, as typed from the project's root. */
  private String command() {
    return "java -cp itest/benchmarks/target/benchmarks.jar io.ably.benchmarks.Harness"
        + (options.args().isEmpty() ? "" : " " + String.join(" ", options.args()));
  }

  /** The machine, in one line: cores, CPU model, memory, OS, JDK. */
  static String machine() {
    long memory =
        ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getTotalMemorySize()
            : -1;
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %,.0f GiB, %s %s, %s %s",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        memory / (1024.0 * 1024 * 1024),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"));
  }

  /** The CPU model from {@code /proc/cpuinfo}, or the architecture where there is none. */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the architecture says less, but something
    }
    return System.getProperty("os.arch");
  }

  /**
   * The files a run publishes: the report, the block for the README's Benchmarks section (what
   * replaces its {@code ISSUE-20-RESULTS} marker) and the two charts.
   */
  static final List<String> PUBLISHED = List.of("results.md", "readme-block.md", "latency.png", "throughput-cpu.png");

  /** Copies the report and the charts of a run to {@code to}, replacing what is there. */
  private void publish(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (String name : PUBLISHED) {
      Path file = from.resolve(name);
      if (Files.isRegularFile(file)) {
        Files.copy(file, to.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        log.println("published " + to.resolve(name));
      }
    }
  }

  /**
   * {@code itest/benchmarks/results}, where the published figures are committed: beside the
   * module's {@code target}.
   */
  static Path defaultPublishDirectory() {
    return defaultResultsDirectory().getParent().getParent().resolve("results");
  }

  private static void writeHgrm(Histogram histogram, Path file) throws IOException {
    try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
      if (histogram.getTotalCount() > 0) {
        histogram.outputPercentileDistribution(out, 1000.0);
      }
    }
  }

  /** {@code itest/benchmarks/target/results}, found from where this class was loaded. */
  static Path defaultResultsDirectory() {
    try {
      Path location = Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // target/benchmarks.jar or target/classes: either way, target/results.
      return location.getParent().resolve("results");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("results");
    }
  }

  /** {@code itest/target/ably-local-server.jar} beside the benchmarks module, if it is there. */
  static Path defaultServerJar() {
    Path target = defaultResultsDirectory().getParent();
    Path jar = target.resolve("../../target/ably-local-server.jar").normalize();
    return Files.isRegularFile(jar) ? jar : null;
  }

  /**
   * The parsed command line.
   *
   * @param args the arguments as given
   * @param quick shorter runs
   * @param smoke tiny runs that only show that every part works (the module's own test)
   * @param clients subjects measured in every section but scale
   * @param sections sections run
   * @param rates offered rates of the latency case
   * @param searchRate whether the rate search adds the highest rate at which the floor's p99 stays
   *     under 1 ms to {@code rates}
   * @param payloads payload sizes of the latency case
   * @param scale connection counts of the scale case
   * @param scaleClients subjects of the scale case
   * @param attachAtScale whether scale connections attach to a channel
   * @param threadBudget live threads the scale case may not pass
   * @param format the wire format
   * @param out the results directory
   * @param serverJar the standalone server jar, or {@code null} for this class path
   * @param repetitions how many times each subject is measured, each time in a new JVM
   * @param seed the seed of the shuffled order of the subjects
   * @param childServer in a subject's JVM: the server's {@code host:port}; otherwise {@code null}
   * @param childResults in a subject's JVM: where to write the results; otherwise {@code null}
   * @param childBlaster in a subject's JVM: the blaster's {@code host:port}, or {@code null}
   * @param publish where to copy the report and the charts after the run, or {@code null}
   */
  record Options(
      List<String> args,
      boolean quick,
      boolean smoke,
      List<String> clients,
      List<String> sections,
      List<Integer> rates,
      boolean searchRate,
      List<Integer> payloads,
      List<Integer> scale,
      List<String> scaleClients,
      boolean attachAtScale,
      int threadBudget,
      WireFormat format,
      Path out,
      Path serverJar,
      int repetitions,
      long seed,
      String childServer,
      Path childResults,
      String childBlaster,
      Path publish) {

    Workloads.Settings settings() {
      if (smoke) {
        return new Workloads.Settings(1, 1, 1, 100, 10, 2, 1_000, 500);
      }
      // The full run fits in about 15 minutes on the 2-core build machine (see estimatedSeconds).
      return quick
          ? new Workloads.Settings(1, 2, 2, 1_000, 300, 4, 10_000, 5_000)
          : new Workloads.Settings(1, 4, 3, 1_000, 1_000, 4, 10_000, 10_000);
    }

    /**
     * How long a run of these options should take, in seconds, from the configured durations and
     * message counts × cases × subjects × repetitions, with rates measured on the 2-core build
     * machine (the testkit relays 35,000–50,000 msg/s; ably-java is the slowest subject) and a
     * few seconds per JVM, connection set-up and drain. The default full run is meant to stay
     * under about 15 minutes.
     *
     * @return the estimate, in seconds
     */
    long estimatedSeconds() {
      Workloads.Settings st = settings();
      List<String> forked = sections.stream().filter(x -> !x.equals("scale")).toList();
      double perSubject = 3; // the JVM, its clients' connections
      if (forked.contains("cost")) {
        perSubject += 4.0 * st.costMessages() / 10_000 + 2;
      }
      if (forked.contains("ping")) {
        perSubject += st.pings() / 2_000.0 + 1;
      }
      int latencyRates = rates.size() + (searchRate ? 1 : 0);
      if (forked.contains("latency")) {
        perSubject += latencyRates * payloads.size() * (st.warmupSeconds() + st.measureSeconds() + 1.5);
      }
      if (forked.contains("throughput")) {
        perSubject += 1 + st.throughputSeconds() + (double) st.fanOutMessages() * st.fanOutSubscribers() / 40_000 + 2;
      }
      if (forked.contains("blaster")) {
        // receive: 10 × cost messages after half as many; send: 5 × after half as many
        perSubject += 15.0 * st.costMessages() / 50_000 + 7.5 * st.costMessages() / 20_000 + 2;
      }
      double total = perSubject * clients.size() * repetitions;
      if (forked.contains("ping") && clients.contains("ably-java")) {
        // ably-java's pings can stall until the ping budget ends
        total += (3.0 * st.throughputSeconds() + 10) * repetitions;
      }
      if (forked.contains("latency") && searchRate) {
        total += SEARCH_BUDGET_NANOS / 1e9 / (smoke ? 10 : 1) + 5;
      }
      if (!forked.isEmpty()) {
        total += 6; // server and blaster processes
      }
      if (sections.contains("scale")) {
        for (String ignored : scaleClients) {
          total += 3;
          for (int n : scale) {
            total += n / 2_000.0 + 3;
          }
        }
      }
      return Math.round(total);
    }

    /** The short latency runs of the rate search. */
    Workloads.Settings searchSettings() {
      Workloads.Settings s = settings();
      return new Workloads.Settings(
          1, smoke ? 1 : 2, s.throughputSeconds(), s.window(), s.pings(), s.fanOutSubscribers(), s.fanOutMessages(),
          s.costMessages());
    }

    static Options parse(String[] argv, Path defaultOut, Path defaultServerJar) {
      List<String> args = List.of(argv);
      boolean quick = false;
      boolean smoke = false;
      List<String> clients = ALL_CLIENTS;
      List<String> sections = ALL_SECTIONS;
      List<Integer> rates = List.of(1_000);
      boolean searchRate = true;
      List<Integer> payloads = List.of(100, 1_024);
      List<Integer> scale = List.of(1_000, 5_000, 10_000);
      List<String> scaleClients = List.of("ours-default", "floor", "ably-java");
      boolean attach = true;
      int budget = 6_000;
      WireFormat format = WireFormat.MSGPACK;
      Path out = defaultOut;
      Path serverJar = defaultServerJar;
      int repetitions = -1;
      long seed = System.nanoTime();
      String childServer = null;
      Path childResults = null;
      String childBlaster = null;
      Path publish = null;
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        if (a.equals("--quick")) {
          quick = true;
          continue;
        }
        if (a.equals("--smoke")) {
          smoke = true;
          quick = true;
          continue;
        }
        if (a.equals("--publish")) {
          publish = defaultPublishDirectory();
          continue;
        }
        if (a.equals("--no-attach")) {
          attach = false;
          continue;
        }
        if (i + 1 >= argv.length) {
          throw new IllegalArgumentException("missing value after " + a);
        }
        String v = argv[++i];
        switch (a) {
          case "--clients" -> clients = names(v, ALL_CLIENTS);
          case "--sections" -> sections = names(v, CHILD_SECTIONS);
          case "--rates" -> {
            // "search" in the list: the rate search adds its rate to the others
            searchRate = Arrays.asList(v.split(",")).contains("search");
            rates = numbers(String.join(",", Arrays.stream(v.split(",")).filter(x -> !x.equals("search")).toList()));
          }
          case "--payloads" -> payloads = numbers(v);
          case "--scale" -> scale = numbers(v);
          case "--scale-clients" -> scaleClients = names(v, ALL_CLIENTS);
          case "--thread-budget" -> budget = Integer.parseInt(v);
          case "--format" -> format = WireFormat.valueOf(v.toUpperCase(Locale.ROOT));
          case "--out" -> out = Path.of(v);
          case "--server-jar" -> serverJar = Path.of(v);
          case "--repetitions" -> repetitions = Integer.parseInt(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--child-server" -> childServer = v;
          case "--child-results" -> childResults = Path.of(v);
          case "--child-blaster" -> childBlaster = v;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (publish != null && Boolean.getBoolean(SubjectProcess.PROFILE_PROPERTY)) {
        throw new IllegalArgumentException("a profiled run (-D" + SubjectProcess.PROFILE_PROPERTY + ") is not published: the recording costs CPU");
      }
      if (repetitions < 0) {
        repetitions = smoke ? 1 : 3;
      }
      if (repetitions < 1) {
        throw new IllegalArgumentException("--repetitions must be at least 1");
      }
      return new Options(
          args, quick, smoke, clients, sections, rates, searchRate, payloads, scale, scaleClients, attach, budget, format,
          out, serverJar, repetitions, seed, childServer, childResults, childBlaster, publish);
    }

    private static List<String> names(String csv, List<String> allowed) {
      List<String> names = Arrays.asList(csv.split(","));
      for (String n : names) {
        if (!allowed.contains(n)) {
          throw new IllegalArgumentException(n + " is not one of " + allowed);
        }
      }
      return List.copyOf(names);
    }

    private static List<Integer> numbers(String csv) {
      return csv.isEmpty() ? List.of() : Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
    }
  }
}
