package io.ably.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The testkit server in a JVM of its own ({@code io.ably.itest.LocalServerMain}), so that its
 * threads, heap, allocations and open files are not counted with the clients measured. Started from
 * the standalone {@code itest/target/ably-local-server.jar} when it is there, else from this JVM's
 * own class path (the benchmarks jar carries the testkit). {@link #close} stops it (SIGTERM, then
 * kill) and waits for it to end.
 */
final class ServerProcess implements AutoCloseable {
  private static final String PREFIX = "listening on ";

  private final Process process;
  private final URI uri;

  private final Thread stopper;

  private ServerProcess(Process process, URI uri, Thread stopper) {
    this.process = process;
    this.uri = uri;
    this.stopper = stopper;
  }

  /**
   * Starts a server on a free loopback port and waits for its ready line.
   *
   * @param serverJar the standalone server jar, or {@code null} to use this JVM's class path
   * @param heap the server's maximum heap, for example {@code "2g"}
   * @return the running server
   * @throws IOException if it cannot be started or does not say it is ready within 30 s
   */
  static ServerProcess start(Path serverJar, String heap) throws IOException {
    return start(serverJar, heap, null);
  }

  /**
   * Starts the testkit server as {@link #start(Path, String)} does, with its GC and safepoint log
   * ({@link GcLog#flag}) in {@code gcLog}, so that a latency outlier can be set beside a pause of
   * the server.
   *
   * @param serverJar the standalone server jar, or {@code null} to use this JVM's class path
   * @param heap the server's maximum heap
   * @param gcLog where its GC log goes, or {@code null} for none
   * @return the running server
   * @throws IOException if it cannot be started or does not say it is ready within 30 s
   */
  static ServerProcess start(Path serverJar, String heap, Path gcLog) throws IOException {
    List<String> main = new ArrayList<>();
    if (serverJar != null && Files.isRegularFile(serverJar)) {
      main.add("-jar");
      main.add(serverJar.toString());
    } else {
      main.add("-cp");
      main.add(System.getProperty("java.class.path"));
      main.add("io.ably.itest.LocalServerMain");
    }
    main.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
    if (gcLog != null) {
      main.add(0, GcLog.flag(gcLog));
    }
    return start(main, heap);
  }

  /**
   * Starts the {@link Blaster} on a free loopback port and waits for its ready line.
   *
   * @param heap its maximum heap
   * @return the running blaster
   * @throws IOException if it cannot be started or does not say it is ready within 30 s
   */
  static ServerProcess startBlaster(String heap) throws IOException {
    return start(List.of("-cp", System.getProperty("java.class.path"), Blaster.class.getName(), "--port", "0"), heap);
  }

  private static ServerProcess start(List<String> main, String heap) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xms" + heap); // a fixed heap: no pause to grow it in a measured window
    command.add("-Xmx" + heap);
    // G1, as the subjects: ParallelGC's young pauses of the testkit took 120-905 ms on a loaded
    // 2-core machine, long enough to be any client's p99
    command.add("-XX:+UseG1GC");
    command.addAll(main);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    CompletableFuture<URI> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (!ready.isDone() && line.startsWith(PREFIX)) {
                    ready.complete(URI.create(line.substring(PREFIX.length()).trim()));
                  } else {
                    System.err.println("[server] " + line);
                  }
                }
                ready.completeExceptionally(new IOException("server ended before it was ready"));
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            },
            "bench-server-output");
    reader.setDaemon(true);
    reader.start();
    // The server must not outlive the harness, even when the harness is stopped by a signal.
    Thread stopper = new Thread(() -> stop(process), "bench-server-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      return new ServerProcess(process, ready.get(30, TimeUnit.SECONDS), stopper);
    } catch (ExecutionException | TimeoutException e) {
      stop(process);
      throw new IOException("the testkit server did not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the server", e);
    }
  }

  /** The loopback address the server listens on. */
  String host() {
    return uri.getHost();
  }

  /** The server's port. */
  int port() {
    return uri.getPort();
  }

  /** The server process's id, to read its own figures. */
  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs, and finds the server stopped
    }
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
