package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.RestClient;
import io.ably.itest.AblyTestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client's transport: TLS with the testkit's certificate and hostname verification, an
 * HTTP CONNECT proxy, and the connect timeout ({@code httpOpenTimeout}, TO3l3) with a host whose
 * accept queue is full.
 */
class RestTransportIT {
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

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static AblyException failure(CompletionStage<?> stage) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(15, TimeUnit.SECONDS));
    return assertInstanceOf(AblyException.class, e.getCause());
  }

  @Test
  void restOverTlsWithTheTestkitsCertificateAndHostnameVerificationWorks() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().tls(true).start());
    RestClient rest =
        closeLater(
            Ably.rest(
                ClientOptions.builder()
                    .key(server.defaultKey().keyStr())
                    .host("127.0.0.1")
                    .tlsPort(server.port())
                    .trustStore(server.trustStore())
                    .build()));
    await(rest.channels().get("tls").publish("n", "over TLS"));
    assertEquals(1, await(rest.channels().get("tls").history(HistoryParams.defaults())).items().size());
  }

  @Test
  void restOverTlsWithoutTrustingTheCertificateFailsWithoutAFallbackOrANettyException() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().tls(true).start());
    RestClient rest =
        closeLater(
            Ably.rest(
                ClientOptions.builder()
                    .key(server.defaultKey().keyStr())
                    .host("127.0.0.1")
                    .fallbackHosts(List.of("127.0.0.2"))
                    .tlsPort(server.port())
                    .build()));
    AblyException e = failure(rest.time());
    assertTrue(e.errorInfo().is(ErrorCode.INTERNAL_CONNECTION_ERROR), e::toString);
    assertTrue(e.getMessage().contains("TLS"), e::toString);
    assertEquals(0, rest.metrics().fallbacks(), "a TLS failure does not qualify for a fallback");
  }

  @Test
  void restGoesThroughTheHttpConnectProxyWithBasicAuthorization() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    TcpRelay proxy = closeLater(TcpRelay.connectProxy("user", "pass"));
    RestClient rest =
        closeLater(
            Ably.rest(
                ClientOptions.builder()
                    .key(server.defaultKey().keyStr())
                    .host("127.0.0.1")
                    .port(server.port())
                    .tls(false)
                    .proxy(new ClientOptions.ProxyOptions("127.0.0.1", proxy.port(), "user", "pass"))
                    .build()));
    await(rest.channels().get("proxied").publish(List.of(Message.ofText("a", "1"), Message.ofText("b", "2"))));
    assertEquals(2, await(rest.channels().get("proxied").history(HistoryParams.defaults())).items().size());
    assertEquals(List.of("127.0.0.1:" + server.port()), List.copyOf(proxy.connectTargets), "one kept-alive tunnel");
    assertTrue(proxy.authorizations.peek() != null && proxy.authorizations.peek().startsWith("Basic "));
  }

  @Test
  void aHostThatDoesNotAcceptWithinHttpOpenTimeoutFailsWith50003TO3l3() throws Exception {
    // A listening socket that never accepts, its accept queue filled: the next SYN goes unanswered.
    ServerSocket full = closeLater(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
    for (int i = 0; i < 4; i++) {
      Socket s = new Socket();
      closeLater(s);
      try {
        s.connect(at, 200);
      } catch (java.net.SocketTimeoutException e) {
        break; // the queue is full now
      }
    }
    RestClient rest =
        closeLater(
            Ably.rest(
                ClientOptions.builder()
                    .key("testapp.key1:testsecret1")
                    .host("127.0.0.1")
                    .port(full.getLocalPort())
                    .tls(false)
                    .httpOpenTimeout(Duration.ofMillis(300))
                    .httpRequestTimeout(Duration.ofSeconds(10))
                    .build()));
    long start = System.nanoTime();
    AblyException e = failure(rest.time());
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.errorInfo().is(ErrorCode.TIMEOUT), e::toString);
    assertTrue(e.getMessage().contains("httpOpenTimeout"), e::toString);
    assertTrue(tookMs >= 250 && tookMs < 5_000, () -> "took " + tookMs + " ms");
  }
}
