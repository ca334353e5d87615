package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The realtime connection through an HTTP CONNECT proxy (TO3n, ClientOptions.proxy). */
class RealtimeProxyIT {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T t) {
    closeables.add(t);
    return t;
  }

  private RealtimeClient client(AblyTestServer server, ClientOptions.ProxyOptions proxy, StateRecorder r) {
    return client(server, proxy, r, List.of());
  }

  private RealtimeClient client(
      AblyTestServer server, ClientOptions.ProxyOptions proxy, StateRecorder r, List<String> fallbacks) {
    ClientOptions options =
        ClientOptions.builder()
            .fallbackHosts(fallbacks)
            .key(server.defaultKey().keyStr())
            .host("127.0.0.1")
            .port(server.port())
            .tls(false)
            .proxy(proxy)
            .disconnectedRetryTimeout(Duration.ofSeconds(60))
            .autoConnect(false)
            .build();
    RealtimeClient c = closeLater(Ably.realtime(options));
    c.connection().onStateChange(r.changes::add);
    c.connection().connect();
    return c;
  }

  @Test
  void connectsThroughAProxyWithExactlyOneConnect() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    TcpRelay proxy = closeLater(TcpRelay.connectProxy(null, null));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, new ClientOptions.ProxyOptions("127.0.0.1", proxy.port(), null, null), r);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertNotNull(c.connection().id());
    assertEquals(List.of("127.0.0.1:" + server.port()), List.copyOf(proxy.connectTargets));
    assertEquals(List.of(""), List.copyOf(proxy.authorizations), "no credentials were sent");
    assertEquals(1, server.liveConnectionCount());
    r.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void sendsBasicProxyAuthorization() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    TcpRelay proxy = closeLater(TcpRelay.connectProxy("proxy-user", "proxy secret"));
    StateRecorder r = new StateRecorder();
    client(server, new ClientOptions.ProxyOptions("127.0.0.1", proxy.port(), "proxy-user", "proxy secret"), r);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    String expected =
        "Basic " + Base64.getEncoder().encodeToString("proxy-user:proxy secret".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(expected), List.copyOf(proxy.authorizations));
    assertEquals(List.of("127.0.0.1:" + server.port()), List.copyOf(proxy.connectTargets));
  }

  @Test
  void aProxyThatRefusesTheCredentialsLeavesTheClientDisconnected() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    TcpRelay proxy = closeLater(TcpRelay.connectProxy("proxy-user", "right"));
    StateRecorder r = new StateRecorder();
    client(server, new ClientOptions.ProxyOptions("127.0.0.1", proxy.port(), "proxy-user", "wrong"), r);
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange disconnected = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(80003, disconnected.reason().code(), disconnected.toString());
    assertEquals(1, proxy.connectTargets.size());
    assertEquals(0, server.liveConnectionCount());
    r.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void aProxyFailureIsNotAReasonToTryFallbackHostsRTN17f() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    TcpRelay proxy = closeLater(TcpRelay.connectProxy("proxy-user", "right"));
    StateRecorder r = new StateRecorder();
    client(server, new ClientOptions.ProxyOptions("127.0.0.1", proxy.port(), "proxy-user", "wrong"), r,
        List.of("127.0.0.2"));
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange disconnected = r.expect(ConnectionState.DISCONNECTED);
    assertTrue(disconnected.reason().message().contains("proxy"), disconnected.toString());
    assertEquals(1, proxy.connectTargets.size(), "no connectivity check and no fallback through the same proxy");
  }
}
