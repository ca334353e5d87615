package io.ably.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One subject measured in a JVM of its own (issue #20): the harness forks it with the same JVM
 * flags for every subject, it connects to the harness's server, runs the selected sections for that
 * one subject (with its own helper client) and writes its {@link Results} to a file for the harness
 * to read. Nothing of one subject (threads, reconnects, garbage, JIT state) can then disturb the
 * next. The child's output goes to a log file beside the results, and its GC and safepoint log ({@link GcLog}) too.
 */
final class SubjectProcess {
  /** The flags of every subject's JVM. */
  static final List<String> JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");
  /**
   * With this system property set to {@code true} on the harness, every subject's JVM also records
   * a Java Flight Recording ({@code settings=profile}: CPU samples, allocation samples, thread
   * states) into {@code jfr-<label>.jfr} beside its log, to explain a gap. The recording costs CPU,
   * so the figures of such a run are not the ones to publish.
   */
  static final String PROFILE_PROPERTY = "benchmarks.profile";
  /** The testkit server's GC log, in the results directory. */
  static final String SERVER_GC_LOG = "gc-server.log";
  /** The longest a subject's JVM may take for its sections. */
  private static final long MAX_MINUTES = 30;

  private SubjectProcess() {}

  /**
   * Forks a JVM that measures {@code client} against the server at {@code target} and returns
   * what it measured. The JVM is stopped in any case before this returns.
   *
   * @param harnessArgs the harness's own arguments (the same options apply in the child)
   * @param sections the sections to run
   * @param client the subject key
   * @param target the server
   * @param blaster the blaster, or {@code null} when the blaster section is not run
   * @param extraArgs options after the harness's own, which override them (for example the rates
   *     found by the rate search)
   * @param dir where the child's results, output and GC log go
   * @param label a name for the child's files, for example {@code ours-default-2}
   * @return the results, or {@code null} when the child failed (its log says why)
   */
  static Results run(
      List<String> harnessArgs, List<String> sections, String client, Target target, Target blaster,
      List<String> extraArgs, Path dir, String label)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path results = dir.resolve("child-" + label + ".ser");
    Path output = dir.resolve("child-" + label + ".log");
    Files.deleteIfExists(results);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(JVM_FLAGS);
    Path gcLog = dir.resolve("gc-" + label + ".log");
    command.add(GcLog.flag(gcLog));
    if (Boolean.getBoolean(PROFILE_PROPERTY)) {
      command.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve("jfr-" + label + ".jfr"));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SubjectProcess.class.getName());
    command.addAll(harnessArgs);
    command.addAll(extraArgs);
    command.addAll(
        List.of(
            "--clients", client,
            "--sections", String.join(",", sections),
            "--format", target.format().name().toLowerCase(java.util.Locale.ROOT),
            "--child-server", target.host() + ":" + target.port(),
            "--child-results", results.toString()));
    if (blaster != null) {
      command.addAll(List.of("--child-blaster", blaster.host() + ":" + blaster.port()));
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    try {
      if (!process.waitFor(MAX_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.isRegularFile(results)) {
        return null;
      }
      try (InputStream in = Files.newInputStream(results);
          ObjectInputStream objects = new ObjectInputStream(in)) {
        Results r = (Results) objects.readObject();
        GcLog.annotate(r, gcLog, dir.resolve(SERVER_GC_LOG));
        return r;
      } catch (ClassNotFoundException e) {
        throw new IOException("unreadable results of " + label, e);
      }
    } finally {
      stop(process);
    }
  }

  /** The last lines of a child's output, to show why it failed. */
  static String tail(Path dir, String label, int lines) {
    try {
      List<String> all = Files.readAllLines(dir.resolve("child-" + label + ".log"), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static void stop(Process process) throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
      }
    }
  }

  private static Target target(String hostPort, Harness.Options options) {
    int colon = hostPort.lastIndexOf(':');
    return new Target(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), Target.DEFAULT_KEY,
        options.format());
  }

  /**
   * The child: measures the one subject its options name against the server they name, and writes
   * the results.
   *
   * @param args the harness's options with {@code --child-server} and {@code --child-results}
   * @throws Exception if the results cannot be written
   */
  public static void main(String[] args) throws Exception {
    Harness.Options options = Harness.Options.parse(args, Harness.defaultResultsDirectory(), null);
    Target target = target(options.childServer(), options);
    Target blaster = options.childBlaster() == null ? null : target(options.childBlaster(), options);
    Results results = new Harness(options, System.out).measureInThisJvm(target, blaster);
    try (OutputStream out = Files.newOutputStream(options.childResults());
        ObjectOutputStream objects = new ObjectOutputStream(out)) {
      objects.writeObject(results);
    }
    System.out.flush();
    // ably-java leaves non-daemon threads behind after close.
    System.exit(0);
  }
}
