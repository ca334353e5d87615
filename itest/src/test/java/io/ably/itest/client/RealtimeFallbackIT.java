package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Realtime host fallback (RTN17): the testkit listens on the fallback 127.0.0.2; the primary
 * 127.0.0.3 on the same port (ClientOptions has one port for all hosts) is unreachable or scripted.
 */
class RealtimeFallbackIT {
  private static final String PRIMARY = "127.0.0.3";
  private static final String FALLBACK = "127.0.0.2";

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private AblyTestServer fallbackServer() {
    AblyTestServer s = AblyTestServer.builder().host(FALLBACK).start();
    closeables.add(s);
    return s;
  }

  private RealtimeClient client(AblyTestServer server, StateRecorder r) {
    // The connectivity check (RTN17j) asks the fallback host's testkit, which says "yes".
    return client(server, r, "http://" + FALLBACK + ":" + server.port() + "/is-the-internet-up.txt");
  }

  private RealtimeClient client(AblyTestServer server, StateRecorder r, String connectivityCheckUrl) {
    ClientOptions options =
        ClientOptions.builder()
            .connectivityCheckUrl(connectivityCheckUrl)
            .key(server.defaultKey().keyStr())
            .host(PRIMARY)
            .fallbackHosts(List.of(FALLBACK))
            .port(server.port())
            .tls(false)
            .useBinaryProtocol(false)
            .disconnectedRetryTimeout(Duration.ofSeconds(30))
            .autoConnect(false)
            .build();
    RealtimeClient c = Ably.realtime(options);
    closeables.add(c);
    c.connection().onStateChange(r.changes::add);
    c.connection().connect();
    return c;
  }

  private <T extends AutoCloseable> T closeLater(T t) {
    closeables.add(t);
    return t;
  }

  @Test
  void whenTheConnectivityCheckFailsNoFallbackIsTriedRTN17j() throws Exception {
    AblyTestServer server = fallbackServer();
    int nothingThere;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nothingThere = s.getLocalPort();
    }
    StateRecorder r = new StateRecorder();
    client(server, r, "http://127.0.0.1:" + nothingThere + "/is-the-internet-up.txt");
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange disconnected = r.expect(ConnectionState.DISCONNECTED);
    assertNotNull(disconnected.reason());
    assertEquals(0, server.liveConnectionCount(), "offline: the fallback host must not be tried");
  }

  @Test
  void anUnreachablePrimaryFallsBackWithoutLeavingConnectingRTN17f() throws Exception {
    AblyTestServer server = fallbackServer(); // nothing listens on PRIMARY:port
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, r);
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange connected = r.expect(ConnectionState.CONNECTED);
    assertNull(connected.reason());
    assertNotNull(c.connection().id());
    assertEquals(1, server.liveConnectionCount(), "connected to the fallback");
    r.expectNothing(Duration.ofMillis(200));
  }

  @Test
  void aDisconnectedWith503FromThePrimaryQualifiesRTN17f1() throws Exception {
    AblyTestServer server = fallbackServer();
    FakeRealtimeServer primary = closeLater(FakeRealtimeServer.answering(PRIMARY, server.port(),
        "{\"action\":6,\"error\":{\"code\":50003,\"statusCode\":503,\"message\":\"try elsewhere\"}}"));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, r);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertEquals(1, primary.requests.get(), "the primary was tried first (RTN17i)");
    assertEquals(1, server.liveConnectionCount());
    assertNotNull(c.connection().id());
  }

  @Test
  void aDisconnectedWith503WhileConnectedResumesOnThePrimaryFirstRTN15h3RTN17i() throws Exception {
    AblyTestServer fallback = fallbackServer();
    AblyTestServer primary = AblyTestServer.builder().host(PRIMARY).port(fallback.port()).start();
    closeables.add(primary);
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(fallback, r);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    String id = c.connection().id();
    primary.faults().disconnectAll(ErrorInfo.of(ErrorCode.TIMEOUT, "overloaded"));
    ConnectionStateChange lost = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(50003, lost.reason().code());
    assertEquals(503, lost.reason().statusCode());
    assertFirstBackoffStep(lost); // RTN14d, RTB1; the resume itself is immediate (RTN15a)
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange back = r.expect(ConnectionState.CONNECTED);
    assertNull(back.reason(), "resumed");
    assertEquals(id, c.connection().id());
    assertEquals(1, primary.liveConnectionCount());
    assertEquals(0, fallback.liveConnectionCount(), "a new attempt starts on the primary (RTN17i)");
  }

  @Test
  void aPrimaryThatGoesAwayWhileConnectedIsReplacedByTheFallbackRTN15aRTN17f() throws Exception {
    AblyTestServer fallback = fallbackServer();
    AblyTestServer primary = AblyTestServer.builder().host(PRIMARY).port(fallback.port()).start();
    closeables.add(primary);
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(fallback, r);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertEquals(1, primary.liveConnectionCount());
    assertEquals(0, fallback.liveConnectionCount());
    String id = c.connection().id();

    primary.close(); // refuses new connections, then drops the socket
    ConnectionStateChange lost = r.expect(ConnectionState.DISCONNECTED);
    assertFirstBackoffStep(lost); // RTN14d, RTB1; the resume itself is immediate (RTN15a)
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange back = r.expect(ConnectionState.CONNECTED);
    assertEquals(1, fallback.liveConnectionCount());
    // The fallback never knew the connection: the resume fails with a new id (RTN15c7).
    assertEquals(80008, back.reason().code());
    assertNotEquals(id, c.connection().id());
  }

  @Test
  void a4xxHandshakeFailureDoesNotFallBackRTN17f() throws Exception {
    AblyTestServer server = fallbackServer();
    FakeRealtimeServer primary = closeLater(FakeRealtimeServer.refusing(PRIMARY, server.port(), HttpResponseStatus.NOT_FOUND));
    StateRecorder r = new StateRecorder();
    client(server, r);
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange disconnected = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(80003, disconnected.reason().code());
    assertEquals(1, primary.requests.get());
    assertEquals(0, server.liveConnectionCount(), "the fallback was not tried");
    r.expectNothing(Duration.ofMillis(300));
  }

  @Test
  void a503HandshakeFailureFallsBackRSC15l() throws Exception {
    AblyTestServer server = fallbackServer();
    FakeRealtimeServer primary =
        closeLater(FakeRealtimeServer.refusing(PRIMARY, server.port(), HttpResponseStatus.SERVICE_UNAVAILABLE));
    StateRecorder r = new StateRecorder();
    client(server, r);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertEquals(1, primary.requests.get());
    assertEquals(1, server.liveConnectionCount());
  }

  @Test
  void aDisconnectedWith4xxFromThePrimaryDoesNotFallBackRTN17f1() throws Exception {
    AblyTestServer server = fallbackServer();
    FakeRealtimeServer primary = closeLater(FakeRealtimeServer.answering(PRIMARY, server.port(),
        "{\"action\":6,\"error\":{\"code\":40000,\"statusCode\":400,\"message\":\"bad request\"}}"));
    StateRecorder r = new StateRecorder();
    client(server, r);
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange disconnected = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(40000, disconnected.reason().code());
    assertEquals(1, primary.requests.get());
    assertEquals(0, server.liveConnectionCount(), "the fallback was not tried");
    r.expectNothing(Duration.ofMillis(300));
  }

  /** retryIn of the DISCONNECTED passed through on a lost transport: 30 s x [0.8, 1] (RTB1). */
  private static void assertFirstBackoffStep(ConnectionStateChange lost) {
    assertTrue(
        lost.retryIn().compareTo(Duration.ofSeconds(24)) >= 0
            && lost.retryIn().compareTo(Duration.ofSeconds(30)) <= 0,
        lost.toString());
  }
}
