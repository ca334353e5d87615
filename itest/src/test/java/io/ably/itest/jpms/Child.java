package io.ably.itest.jpms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by a test, its standard output and error merged and read line by line as they
 * come. {@link #close()} destroys it (forcibly) and waits for it to be gone: use it in
 * try-with-resources so that no child outlives its test, pass or fail. Public for the other
 * packages' process tests (persistent subscriptions kill one with SIGKILL through {@link #close()}).
 */
public final class Child implements AutoCloseable {
  private final Process process;
  private final List<String> command;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final Thread reader;

  private Child(Process process, List<String> command) {
    this.process = process;
    this.command = command;
    this.reader = new Thread(this::readAll, "child-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** The {@code java} launcher of the JDK running the test. */
  public static Path javaLauncher() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * Starts a process with the test's environment minus anything that could add a class path or
   * options behind the test's back, plus {@code extraEnv}.
   */
  public static Child start(List<String> command, Map<String, String> extraEnv) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("CLASSPATH");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(extraEnv);
    return new Child(builder.start(), List.copyOf(command));
  }

  private void readAll() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("<output unreadable: " + e + ">");
    }
  }

  /**
   * Returns the next line that starts with {@code prefix}, keeping every line read so far for
   * {@link #output()}; fails if none comes before the deadline.
   */
  public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError(
            "no line starting with '" + prefix + "' within " + timeout + "; " + describe());
      }
      seen.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /**
   * Waits for the process to exit and for its output to be read to the end.
   *
   * @return the exit code
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; " + describe());
    }
    reader.join(TimeUnit.SECONDS.toMillis(10)); // the rest of its output
    return process.exitValue();
  }

  /** Every line read so far, including those not yet taken by {@link #awaitLine}. */
  public List<String> output() {
    lines.drainTo(seen);
    return List.copyOf(seen);
  }

  /** The command and its output so far, for failure messages. */
  public String describe() {
    return "command " + command + "\noutput:\n" + String.join("\n", output());
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process " + process.pid() + " did not go away");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted while stopping a child", e));
    }
  }
}
