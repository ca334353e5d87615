package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import io.ably.itest.support.TestTokens;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the outside review of the engine found, proven end to end against the testkit: unknown
 * hosts seen at once, names only a proxy knows, RTN11d, one client's blocked listener, a closed
 * client's answers, an awaitable close, the connectivity check's own trust, and TLS negatives.
 */
class RealtimeHardeningIT {
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

  private RealtimeClient client(ClientOptions options, StateRecorder r) {
    RealtimeClient c = closeLater(Ably.realtime(options));
    if (r != null) {
      c.connection().onStateChange(r.changes::add);
    }
    return c;
  }

  private static ClientOptions.Builder local(AblyTestServer server) {
    return ClientOptions.builder()
        .key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false)
        .autoConnect(false);
  }

  private static ErrorInfo failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return ((AblyException) e.getCause()).errorInfo();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the stage succeeded");
  }

  @Test
  void anUnknownHostIsDisconnectedAtOnceWithTheHostNamedNotAfterTheConnectTimeout() throws Exception {
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(ClientOptions.builder()
        .token("any").host("realtime.nowhere.invalid").tls(false).port(8080)
        .realtimeRequestTimeout(Duration.ofSeconds(60)) // the next() wait of 15 s is shorter
        .disconnectedRetryTimeout(Duration.ofSeconds(60))
        .connectivityCheckUrl("http://127.0.0.1:9/unused")
        .autoConnect(false).build(), r);
    c.connection().connect();
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange disconnected = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(ErrorCode.CONNECTION_DISCONNECTED.code(), disconnected.reason().code(), disconnected.toString());
    assertTrue(disconnected.reason().message().contains("realtime.nowhere.invalid"), disconnected.reason().message());
  }

  @Test
  void aHostNameOnlyTheProxyKnowsIsResolvedByTheProxyNeverLocally() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    String behindProxy = "realtime.behind-the-proxy.invalid"; // resolves nowhere but in the proxy
    TcpRelay proxy = closeLater(TcpRelay.connectProxy(Map.of(behindProxy, "127.0.0.1")));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(ClientOptions.builder()
        .token(TestTokens.request(server, "{}")).host(behindProxy).port(server.port()).tls(false)
        .proxy(new ClientOptions.ProxyOptions("127.0.0.1", proxy.port(), null, null))
        .autoConnect(false).build(), r);
    c.connection().connect();
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertEquals(List.of(behindProxy + ":" + server.port()), List.copyOf(proxy.connectTargets));
  }

  @Test
  void connectingAgainAfterFailedReattachesTheChannelsAndDeliversRTN11d() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    server.faults().failNextConnect(ErrorInfo.of(ErrorCode.INVALID_CREDENTIALS, "refused once"));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(local(server).build(), r);
    Channel ch = c.channels().get("rtn11d");
    CompletionStage<Void> firstAttach = ch.attach();
    c.connection().connect();
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.FAILED);
    assertEquals(ErrorCode.INVALID_CREDENTIALS.code(), failure(firstAttach).code());
    assertEquals(ChannelState.FAILED, ch.whenState(ChannelState.FAILED).toCompletableFuture().get(10, TimeUnit.SECONDS).current());

    c.connection().connect();
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertEquals(ChannelState.INITIALIZED, ch.state(), "RTN11d");
    assertNull(ch.errorReason(), "RTN11d");
    CompletableFuture<Message> received = new CompletableFuture<>();
    ch.subscribe(received::complete);
    ch.whenState(ChannelState.ATTACHED).toCompletableFuture().get(10, TimeUnit.SECONDS);
    ch.publish("again", "delivered").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("again", received.get(10, TimeUnit.SECONDS).name());
  }

  @Test
  void aListenerThatBlocksDelaysNoOtherClientsMessages() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    // More blocked clients than the callback threads a fixed pool would give a small machine.
    int blocked = 4 * Runtime.getRuntime().availableProcessors() + 2;
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch allBlocked = new CountDownLatch(blocked);
    try {
      for (int i = 0; i < blocked; i++) {
        RealtimeClient slow = client(local(server).autoConnect(true).build(), null);
        Channel busy = slow.channels().get("busy");
        busy.subscribe(m -> {
          allBlocked.countDown();
          awaitQuietly(release); // a listener stuck for as long as the test runs
        });
        busy.whenState(ChannelState.ATTACHED).toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      RealtimeClient publisher = client(local(server).autoConnect(true).build(), null);
      publisher.channels().get("busy").publish("stuck", "x").toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(allBlocked.await(10, TimeUnit.SECONDS), "every slow listener is running (and blocked)");

      RealtimeClient healthy = client(local(server).autoConnect(true).build(), null);
      Channel free = healthy.channels().get("free");
      CountDownLatch arrived = new CountDownLatch(100);
      free.subscribe(m -> arrived.countDown());
      free.whenState(ChannelState.ATTACHED).toCompletableFuture().get(10, TimeUnit.SECONDS);
      Channel freeOut = publisher.channels().get("free");
      for (int i = 0; i < 100; i++) {
        freeOut.publish("m", Integer.toString(i));
      }
      assertTrue(arrived.await(10, TimeUnit.SECONDS), "another client's messages arrive while " + blocked + " clients' listeners block");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aClosedClientWithItsOwnLoopAnswersWithFailedStagesNeverRejectedExecution() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    RealtimeClient c = Ably.realtime(local(server).eventLoopThreads(1).autoConnect(true).build());
    Channel ch = c.channels().get("after-close");
    c.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(10, TimeUnit.SECONDS);
    c.close(); // waits; its own loop then shuts down
    assertEquals(ConnectionState.CLOSED, c.connection().state());
    awaitLoopGone(c);
    assertEquals(ErrorCode.CONNECTION_CLOSED.code(), failure(c.connection().ping()).code());
    assertEquals(ErrorCode.CONNECTION_CLOSED.code(), failure(ch.attach()).code());
    assertEquals(ErrorCode.CONNECTION_CLOSED.code(), failure(ch.publish("late", "x")).code());
    assertEquals(ErrorCode.CONNECTION_CLOSED.code(), failure(c.channels().get("new").detach()).code());
    c.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS); // closing again is harmless
    c.close();
    ch.subscribe(m -> {}).close(); // subscriptions made and ended: nothing thrown
    c.connection().onStateChange(change -> {}).close();
  }

  /** The client's private loop is gone once a stage fails with 80017 instead of running. */
  private static void awaitLoopGone(RealtimeClient c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      CompletableFuture<?> ping = c.connection().ping().toCompletableFuture();
      try {
        ping.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (((AblyException) e.getCause()).errorInfo().message().contains("client is closed")) {
          return;
        }
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(e);
      }
      assertTrue(System.nanoTime() < deadline, "the client's own loop never shut down");
      Thread.onSpinWait();
    }
  }

  @Test
  void closeReturnsOnlyOnceTheConnectionIsClosedRTN12() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    RealtimeClient c;
    try (RealtimeClient client = Ably.realtime(local(server).autoConnect(true).build())) {
      c = client;
      client.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertEquals(ConnectionState.CLOSED, c.connection().state(), "the service has answered CLOSE");
  }

  @Test
  void closeCalledFromTheClientsOwnListenerDoesNotWaitForItself() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    // autoConnect off: the listener must exist before the connection can reach CONNECTED.
    RealtimeClient c = client(local(server).autoConnect(false).build(), null);
    CompletableFuture<Boolean> returned = new CompletableFuture<>();
    c.connection().onStateChange(change -> {
      if (change.current() == ConnectionState.CONNECTED) {
        c.close();
        returned.complete(true);
      }
    });
    c.connection().connect();
    assertTrue(returned.get(10, TimeUnit.SECONDS));
    c.connection().whenState(ConnectionState.CLOSED).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theConnectivityCheckDoesNotTrustTheClientsPrivateTrustStoreRTN17j() throws Exception {
    // The fallback host serves TLS with a certificate only the client's trustStore trusts; the
    // check asks it over https. The check must use the JDK's own trust: offline, no fallback.
    String primary = "127.0.0.31";
    String fallbackHost = "127.0.0.32";
    AblyTestServer fallback = closeLater(AblyTestServer.builder().host(fallbackHost).tls(true).start());
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(ClientOptions.builder()
        .key(fallback.defaultKey().keyStr()).host(primary).fallbackHosts(List.of(fallbackHost))
        .tlsPort(fallback.port()).trustStore(fallback.trustStore())
        .connectivityCheckUrl("https://" + fallbackHost + ":" + fallback.port() + "/is-the-internet-up.txt")
        .disconnectedRetryTimeout(Duration.ofSeconds(60)).autoConnect(false).build(), r);
    c.connection().connect();
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.DISCONNECTED);
    assertEquals(0, fallback.liveConnectionCount(), "offline by the JDK's trust: the fallback was not tried");
  }

  @Test
  void anUntrustedCertificateFailsWithAnErrorThatSaysWhatToDo() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().tls(true).start());
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(ClientOptions.builder()
        .key(server.defaultKey().keyStr()).host("127.0.0.1").tlsPort(server.port())
        .disconnectedRetryTimeout(Duration.ofSeconds(60)).autoConnect(false).build(), r);
    c.connection().connect();
    r.expect(ConnectionState.CONNECTING);
    ErrorInfo reason = r.expect(ConnectionState.DISCONNECTED).reason();
    assertTrue(reason.message().contains("not trusted") && reason.message().contains("trustStore"), reason.message());
  }

  @Test
  void aCertificateForAnotherHostFailsWithAnErrorThatNamesTheHost() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().tls(true).start()); // for 127.0.0.1, localhost
    TcpRelay otherHost = closeLater(TcpRelay.forwarder("127.0.0.33", new InetSocketAddress("127.0.0.1", server.port())));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(ClientOptions.builder()
        .key(server.defaultKey().keyStr()).host("127.0.0.33").tlsPort(otherHost.port())
        .trustStore(server.trustStore())
        .disconnectedRetryTimeout(Duration.ofSeconds(60)).autoConnect(false).build(), r);
    c.connection().connect();
    r.expect(ConnectionState.CONNECTING);
    ErrorInfo reason = r.expect(ConnectionState.DISCONNECTED).reason();
    assertTrue(reason.message().contains("does not match") && reason.message().contains("127.0.0.33"), reason.message());
    assertFalse(reason.message().contains(server.defaultKey().keyStr()));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
