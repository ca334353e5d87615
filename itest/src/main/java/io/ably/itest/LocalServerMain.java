package io.ably.itest;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the testkit server standalone:
 *
 * <pre>
 * java -jar itest/target/ably-local-server.jar [--host H]... [--port N] [--key appId.keyId:secret]...
 *     [--tls [--cert-out FILE]]
 * </pre>
 *
 * <p>Prints exactly one line, {@code listening on ws://HOST:PORT} (or {@code wss://}), once it
 * accepts connections, then
 * serves until the process is stopped (Ctrl-C or SIGTERM close it cleanly).
 *
 * @since 0.1
 */
public final class LocalServerMain {
  private static final String USAGE =
      "usage: java -jar ably-local-server.jar [--host H]... [--port N] [--key appId.keyId:secret]..."
          + " [--tls [--cert-out FILE]]\n"
          + "  --host H   address to listen on (repeatable; default 127.0.0.1)\n"
          + "  --port N   port, 0 for any free port (default 0)\n"
          + "  --key K    accepted API key (repeatable; default " + AblyTestServer.DEFAULT_KEY + ")\n"
          + "  --tls      serve wss:// and https:// with a self-signed certificate made at start\n"
          + "  --cert-out FILE  with --tls, write that certificate (PEM) to FILE for clients to trust";

  private LocalServerMain() {}

  /**
   * Starts the server and waits until the JVM is asked to stop.
   *
   * @param args the command line
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      fail(System.err, e.getMessage());
      return;
    }
    if (options == null) {
      System.out.println(USAGE);
      return;
    }
    AblyTestServer server = options.builder.start();
    if (options.certOut != null) {
      try {
        java.nio.file.Files.writeString(options.certOut, server.tlsCertificatePem());
      } catch (java.io.IOException | java.security.GeneralSecurityException e) {
        server.close();
        fail(System.err, "cannot write " + options.certOut + ": " + e.getMessage());
        return;
      }
    }
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

  /** The parsed command line. */
  record Options(AblyTestServer.Builder builder, java.nio.file.Path certOut) {}

  /** Returns the options, or {@code null} when help was asked for. */
  static Options parse(String[] args) {
    AblyTestServer.Builder b = AblyTestServer.builder();
    boolean tls = false;
    java.nio.file.Path certOut = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      if (a.equals("--tls")) {
        tls = true;
        b.tls(true);
        continue;
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
          case "--cert-out" -> certOut = java.nio.file.Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number: " + v, e);
      } catch (io.ably.api.AblyException e) {
        throw new IllegalArgumentException(e.errorInfo().message(), e);
      }
    }
    if (certOut != null && !tls) {
      throw new IllegalArgumentException("--cert-out needs --tls");
    }
    return new Options(b, certOut);
  }

  private static void fail(PrintStream err, String message) {
    err.println("error: " + message);
    err.println(USAGE);
    System.exit(2);
  }
}
