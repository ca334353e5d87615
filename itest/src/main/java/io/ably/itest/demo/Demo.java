package io.ably.itest.demo;

import io.ably.api.Ably;
import io.ably.api.ClientMetrics;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import io.ably.jmx.AblyJmx;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The project's main job, shown end to end: an embedded testkit server, two clients connecting,
 * their state changes, ping round trips, a connection dropped by the server and resumed, and a
 * clean close. With {@code ABLY_KEY} set it runs against the Ably service instead (and
 * {@code ABLY_ENDPOINT} chooses the endpoint).
 */
public final class Demo {
  private static final String USAGE =
      """
      usage: java -jar itest/target/ably-demo.jar [--keep-running]
        --keep-running  keep the clients connected until Ctrl-C
        environment: ABLY_KEY (and ABLY_ENDPOINT) to use the Ably service instead of the embedded server\
      """;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  private Demo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the demo.
   *
   * @param args {@code --keep-running} or nothing
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    boolean keepRunning = false;
    for (String a : args) {
      if (a.equals("--keep-running")) {
        keepRunning = true;
      } else if (a.equals("--help") || a.equals("-h")) {
        System.out.println(USAGE);
        return;
      } else {
        System.err.println("error: unknown argument " + a);
        System.err.println(USAGE);
        System.exit(2);
        return;
      }
    }
    try {
      new Demo(System.out).run(keepRunning);
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("demo failed: " + e);
      System.exit(1);
    }
  }

  private void say(String who, String what) {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    out.printf(Locale.ROOT, "%6d ms  %-8s %s%n", ms, who, what);
  }

  private void run(boolean keepRunning)
      throws InterruptedException, ExecutionException, TimeoutException {
    String key = System.getenv("ABLY_KEY");
    AblyTestServer server = null;
    ClientOptions.Builder base;
    if (key != null && !key.isBlank()) {
      base = ClientOptions.builder().key(key);
      String endpoint = System.getenv("ABLY_ENDPOINT");
      if (endpoint != null && !endpoint.isBlank()) {
        base.endpoint(endpoint);
      }
      say("demo", "using the Ably service (ABLY_KEY is set)");
    } else {
      server = AblyTestServer.builder().start();
      say("server", "embedded testkit listening on " + server.uri() + " with key " + server.defaultKey().keyName());
      base = ClientOptions.builder().key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false);
    }
    try {
      RealtimeClient alice = client(base.name("alice").clientId("alice").build());
      RealtimeClient bob = client(base.name("bob").clientId("bob").build());
      for (RealtimeClient c : new RealtimeClient[] {alice, bob}) {
        c.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        say(c.name(), "connected, connection id " + c.connection().id());
        AblyJmx.register(c); // unregistered by itself when the client closes
        say(c.name(), "MXBean " + AblyJmx.objectName(c) + " (jconsole " + ProcessHandle.current().pid()
            + ", MBeans tab; run with --keep-running to have time)");
      }
      for (int i = 1; i <= 3; i++) {
        Duration rtt = alice.connection().ping().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        say("alice", String.format(Locale.ROOT, "ping %d: round trip %.3f ms", i, rtt.toNanos() / 1e6));
      }
      if (server != null) {
        String before = bob.connection().id();
        CountDownLatch lost = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        Subscription watch = bob.connection().onStateChange(ch -> {
          if (ch.current() == ConnectionState.DISCONNECTED) {
            lost.countDown();
          } else if (ch.current() == ConnectionState.CONNECTED && lost.getCount() == 0) {
            resumed.countDown();
          }
        });
        // The listener is registered on bob's loop before anything else happens there.
        bob.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        say("server", "dropping every socket, abruptly (the connections' state is kept)");
        server.faults().dropConnections();
        boolean back = resumed.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        watch.close();
        if (!back) {
          throw new TimeoutException("bob did not reconnect");
        }
        say("bob", bob.connection().id().equals(before)
            ? "resumed the same connection " + before + " (RTN15)"
            : "reconnected with a new connection " + bob.connection().id());
      }
      say("demo", "recovery key for another process: " + alice.connection().createRecoveryKey().orElse("(none)"));
      for (RealtimeClient c : new RealtimeClient[] {alice, bob}) {
        ClientMetrics m = c.metrics();
        say(c.name(), String.format(Locale.ROOT,
            "counters: %d frames in (%d bytes), %d out (%d bytes), %d reconnects, %d resumes, %d failed resumes, %d pings%s",
            m.framesReceived(), m.bytesReceived(), m.framesSent(), m.bytesSent(), m.reconnects(),
            m.resumes(), m.failedResumes(), m.pings(),
            m.pingRttP50() == null ? "" : String.format(Locale.ROOT, " (median %.3f ms)", m.pingRttP50().toNanos() / 1e6)));
      }
      if (keepRunning) {
        say("demo", "keeping the clients connected; Ctrl-C to stop");
        new CountDownLatch(1).await();
      }
      for (RealtimeClient c : new RealtimeClient[] {alice, bob}) {
        c.connection().close().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        c.close();
      }
      say("demo", "both clients closed; bye");
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private RealtimeClient client(ClientOptions options) {
    RealtimeClient c = Ably.realtime(options.toBuilder().autoConnect(false).build());
    c.connection().onStateChange(ch -> say(c.name(), describe(ch)));
    c.connection().connect();
    return c;
  }

  private static String describe(ConnectionStateChange ch) {
    StringBuilder sb = new StringBuilder(ch.previous().name()).append(" -> ").append(ch.current().name());
    if (ch.reason() != null) {
      sb.append("  (").append(ch.reason()).append(')');
    }
    if (ch.retryIn() != null && !ch.retryIn().isZero()) {
      sb.append("  retry in ").append(ch.retryIn().toMillis()).append(" ms");
    }
    return sb.toString();
  }
}
