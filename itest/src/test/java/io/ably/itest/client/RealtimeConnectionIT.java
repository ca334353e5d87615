package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** This project's client, through its public API, against the testkit (RTN). */
class RealtimeConnectionIT {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private AblyTestServer server(AblyTestServer.Builder b) {
    AblyTestServer s = b.start();
    closeables.add(s);
    return s;
  }

  private static ClientOptions.Builder options(AblyTestServer server) {
    return ClientOptions.builder()
        .key(server.defaultKey().keyStr())
        .host("127.0.0.1")
        .port(server.port())
        .tls(false);
  }

  /** Records every state change, in order. */
  private static final class Recorder {
    final BlockingQueue<ConnectionStateChange> changes = new LinkedBlockingQueue<>();

    ConnectionStateChange next() throws InterruptedException {
      ConnectionStateChange c = changes.poll(15, TimeUnit.SECONDS);
      assertNotNull(c, "no state change within 15 s");
      return c;
    }

    ConnectionStateChange until(ConnectionState state) throws InterruptedException {
      while (true) {
        ConnectionStateChange c = next();
        if (c.current() == state) {
          return c;
        }
      }
    }
  }

  private RealtimeClient client(ClientOptions options, Recorder recorder) {
    RealtimeClient c = Ably.realtime(options.toBuilder().autoConnect(false).build());
    closeables.add(c);
    c.connection().onStateChange(recorder.changes::add);
    if (options.autoConnect()) {
      c.connection().connect();
    }
    return c;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void connectsWithAKeyThenPingsAndClosesRTN11RTN13RTN12() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder());
    Recorder r = new Recorder();
    RealtimeClient c = client(options(server).build(), r);
    assertEquals(ConnectionState.CONNECTING, r.next().current());
    ConnectionStateChange connected = r.next();
    assertEquals(ConnectionState.CONNECTED, connected.current());
    assertEquals(ConnectionState.CONNECTED, c.connection().state());
    assertNotNull(c.connection().id());
    assertTrue(c.connection().key().startsWith(c.connection().id() + "!"));
    assertTrue(c.connection().createRecoveryKey().orElseThrow().contains(c.connection().key()));
    assertEquals(connected, await(c.connection().whenState(ConnectionState.CONNECTED)));

    Duration rtt = await(c.connection().ping());
    assertTrue(rtt.compareTo(Duration.ZERO) > 0 && rtt.compareTo(Duration.ofSeconds(5)) < 0, rtt.toString());
    assertEquals(1, c.metrics().pings());
    assertEquals(rtt, c.metrics().lastPingRtt());
    assertEquals(rtt, c.metrics().pingRttP99());
    assertEquals(ConnectionState.CONNECTED, c.metrics().state());

    await(c.connection().close());
    assertEquals(ConnectionState.CLOSING, r.next().current());
    assertEquals(ConnectionState.CLOSED, r.next().current());
    assertNull(c.connection().id(), "RTN8d: no id once closed");
    assertTrue(c.connection().createRecoveryKey().isEmpty());
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> await(c.connection().ping()));
    assertEquals(80017, ((AblyException) e.getCause()).code());
    assertEquals(0, server.liveConnectionCount());
  }

  @Test
  void aDroppedSocketIsResumedWithTheSameConnectionIdRTN15() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder());
    Recorder r = new Recorder();
    RealtimeClient c = client(options(server).build(), r);
    r.until(ConnectionState.CONNECTED);
    String id = c.connection().id();
    server.faults().dropConnections();
    assertEquals(ConnectionState.DISCONNECTED, r.next().current());
    assertEquals(ConnectionState.CONNECTING, r.next().current());
    ConnectionStateChange back = r.next();
    assertEquals(ConnectionState.CONNECTED, back.current());
    assertNull(back.reason(), "a successful resume reports no error");
    assertEquals(id, c.connection().id());
    io.ably.api.ClientMetrics m = c.metrics();
    assertEquals(1, m.reconnects());
    assertEquals(1, m.resumes());
    assertEquals(0, m.failedResumes());
    assertTrue(m.framesReceived() >= 2 && m.bytesReceived() > 0, m.toString());
  }

  @Test
  void aConnectedWhileConnectedIsAnUpdateWithItsReasonRTN24() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder());
    Recorder r = new Recorder();
    RealtimeClient c = client(options(server).build(), r);
    r.until(ConnectionState.CONNECTED);
    String id = c.connection().id();
    server.faults().updateConnections(io.ably.api.ErrorInfo.of(ErrorCode.CONNECTION_CONTINUITY_LOST, "messages expired"));
    ConnectionStateChange update = r.next();
    assertEquals(io.ably.api.state.ConnectionEvent.UPDATE, update.event());
    assertEquals(ConnectionState.CONNECTED, update.previous());
    assertEquals(ConnectionState.CONNECTED, update.current());
    assertEquals(80006, update.reason().code());
    assertEquals(id, c.connection().id());
    assertEquals(ConnectionState.CONNECTED, c.connection().state());
  }

  @Test
  void aFailedResumeGivesANewIdAndReports80008RTN15c7() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder());
    Recorder r = new Recorder();
    RealtimeClient c = client(options(server).build(), r);
    r.until(ConnectionState.CONNECTED);
    String id = c.connection().id();
    server.faults().failNextResume();
    server.faults().dropConnections();
    ConnectionStateChange back = r.until(ConnectionState.CONNECTED);
    assertNotEquals(id, c.connection().id());
    assertEquals(1, c.metrics().failedResumes());
    assertEquals(80008, back.reason().code());
    assertEquals(80008, c.connection().errorReason().code());
  }

  @Test
  void silenceBeyondTheIdleWindowDropsTheTransportAndResumesRTN23a() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder().maxIdleInterval(Duration.ofMillis(300)));
    Recorder r = new Recorder();
    RealtimeClient c = client(options(server).realtimeRequestTimeout(Duration.ofMillis(700)).build(), r);
    r.until(ConnectionState.CONNECTED);
    String id = c.connection().id();
    server.faults().stopHeartbeats(true);
    long start = System.nanoTime();
    ConnectionStateChange lost = r.until(ConnectionState.DISCONNECTED);
    long detectedAfter = System.nanoTime() - start;
    server.faults().stopHeartbeats(false);
    assertEquals(80003, lost.reason().code());
    // The window (300 + 700 ms) runs from the last frame received, which came at most one
    // heartbeat interval (200 ms) before the heartbeats stopped.
    assertTrue(detectedAfter >= Duration.ofMillis(750).toNanos(),
        "not before maxIdleInterval + realtimeRequestTimeout: " + detectedAfter / 1_000_000 + " ms");
    r.until(ConnectionState.CONNECTED);
    assertEquals(id, c.connection().id());
  }

  @Test
  void aRefusedConnectionIsDisconnectedWithARetryRTN14d() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Recorder r = new Recorder();
    client(ClientOptions.builder().key("app.k:s").host("127.0.0.1").port(closedPort).tls(false)
        .disconnectedRetryTimeout(Duration.ofSeconds(30)).build(), r);
    assertEquals(ConnectionState.CONNECTING, r.next().current());
    ConnectionStateChange disconnected = r.next();
    assertEquals(ConnectionState.DISCONNECTED, disconnected.current());
    assertEquals(80003, disconnected.reason().code());
    assertNotNull(disconnected.retryIn());
    assertTrue(disconnected.retryIn().compareTo(Duration.ofSeconds(24)) >= 0, "RTB1: 30 s × [0.8, 1]");
  }

  @Test
  void aWrongKeyFailsTheConnectionRTN14a() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder());
    Recorder r = new Recorder();
    RealtimeClient c = client(options(server).key("testapp.key1:wrong").build(), r);
    ConnectionStateChange failed = r.until(ConnectionState.FAILED);
    assertEquals(40101, failed.reason().code());
    assertEquals(ConnectionState.FAILED, c.connection().state());
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> await(c.connection().close()));
    assertTrue(e.getCause() instanceof AblyException);
  }

  @Test
  void tlsWithTheTestkitsCertificateAndHostnameVerificationConnects() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder().tls(true));
    Recorder r = new Recorder();
    RealtimeClient c = client(ClientOptions.builder().key(server.defaultKey().keyStr()).host("127.0.0.1")
        .tlsPort(server.port()).trustStore(server.trustStore()).build(), r);
    r.until(ConnectionState.CONNECTED);
    assertNotNull(c.connection().id());
  }

  @Test
  void anUndecodableFrameFromTheServerIsAProtocolErrorAndTheClientRetries() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (FakeRealtimeServer garbage = FakeRealtimeServer.answering("127.0.0.1", port, "{\"action\":4,\"connectionId\":")) {
      assertEquals(0, garbage.requests.get());
      Recorder r = new Recorder();
      RealtimeClient c = client(ClientOptions.builder().key("app.k:s").host("127.0.0.1").port(port).tls(false)
          .useBinaryProtocol(false).disconnectedRetryTimeout(Duration.ofSeconds(30)).build(), r);
      assertEquals(ConnectionState.CONNECTING, r.next().current());
      ConnectionStateChange disconnected = r.next();
      assertEquals(ConnectionState.DISCONNECTED, disconnected.current());
      assertEquals(ErrorCode.PROTOCOL_ERROR.code(), disconnected.reason().code(), disconnected.toString());
      assertNotNull(disconnected.retryIn(), "the loop thread survives and a retry is scheduled");
      assertEquals(ConnectionState.DISCONNECTED, c.connection().state());
      assertEquals(1, garbage.requests.get());
    }
  }
}
