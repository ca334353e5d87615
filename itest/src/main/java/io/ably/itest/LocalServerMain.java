package io.ably.itest;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the testkit server standalone:
 *
 * <pre>
 * java -jar itest/target/ably-local-server.jar [--host H]... [--port N] [--key appId.keyId:secret]...
 * </pre>
 *
 * <p>Prints exactly one line, {@code listening on ws://HOST:PORT}, once it accepts connections, then
 * serves until the process is stopped (Ctrl-C or SIGTERM close it cleanly).
 *
 * @since 0.1
 */
public final class LocalServerMain {
  private static final String USAGE =
      "usage: java -jar ably-local-server.jar [--host H]... [--port N] [--key appId.keyId:secret]...\n"
          + "  --host H   address to listen on (repeatable; default 127.0.0.1)\n"
          + "  --port N   port, 0 for any free port (default 0)\n"
          + "  --key K    accepted API key (repeatable; default " + AblyTestServer.DEFAULT_KEY + ")";

  private LocalServerMain() {}

  /**
   * Starts the server and waits until the JVM is asked to stop.
   *
   * @param args the command line
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    AblyTestServer.Builder builder;
    try {
      builder = parse(args);
    } catch (IllegalArgumentException e) {
      fail(System.err, e.getMessage());
      return;
    }
    if (builder == null) {
      System.out.println(USAGE);
      return;
    }
    AblyTestServer server = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "ably-testkit-shutdown"));
    System.out.println("listening on " + server.uri().toString().replaceAll("/$", ""));
    System.out.flush();
    stopped.await();
  }

  /** Returns the configured builder, or {@code null} when help was asked for. */
  static AblyTestServer.Builder parse(String[] args) {
    AblyTestServer.Builder b = AblyTestServer.builder();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--host" -> b.host(v);
          case "--port" -> b.port(Integer.parseInt(v));
          case "--key" -> b.key(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number: " + v, e);
      } catch (io.ably.api.AblyException e) {
        throw new IllegalArgumentException(e.errorInfo().message(), e);
      }
    }
    return b;
  }

  private static void fail(PrintStream err, String message) {
    err.println("error: " + message);
    err.println(USAGE);
    System.exit(2);
  }
}
