package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** close() in every state (RTN12), with the exact sequence of state changes. */
class RealtimeCloseIT {
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

  private RealtimeClient client(ClientOptions options, StateRecorder r, boolean connect) {
    RealtimeClient c = closeLater(Ably.realtime(options.toBuilder().autoConnect(false).build()));
    c.connection().onStateChange(r.changes::add);
    if (connect) {
      c.connection().connect();
    }
    return c;
  }

  private static ClientOptions.Builder options(String key, int port) {
    return ClientOptions.builder().key(key).host("127.0.0.1").port(port).tls(false)
        .disconnectedRetryTimeout(Duration.ofSeconds(60));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static void expectChange(
      StateRecorder r, ConnectionState previous, ConnectionState current) throws InterruptedException {
    ConnectionStateChange c = r.expect(current);
    assertEquals(previous, c.previous(), c.toString());
  }

  @Test
  void connectionCloseWhenInitializedIsANoOpAndTheQueuedPublishGoesOutOnConnectRTN12RTL6c2() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(options(server.defaultKey().keyStr(), server.port()).build(), r, false);
    CompletableFuture<?> queued = c.channels().get("queued").publish("m", "d").toCompletableFuture();
    // The spec's table of connection states and operations: close in INITIALIZED is a no-op
    await(c.connection().close());
    assertEquals(ConnectionState.INITIALIZED, c.connection().state());
    r.expectNothing(Duration.ofMillis(100));
    assertTrue(!queued.isDone(), "the publish queued for the first connection stays queued");
    c.connection().connect();
    expectChange(r, ConnectionState.INITIALIZED, ConnectionState.CONNECTING);
    expectChange(r, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    await(queued);
  }

  @Test
  void releasingAClientThatNeverConnectedEndsClosedAtOnceAndFailsWhatWasQueued() throws Exception {
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(options("app.k:s", 1).build(), r, false);
    CompletableFuture<?> queued = c.channels().get("queued").publish("m", "d").toCompletableFuture();
    await(c.closeAsync());
    expectChange(r, ConnectionState.INITIALIZED, ConnectionState.CLOSED);
    assertEquals(ConnectionState.CLOSED, c.connection().state());
    ExecutionException failed = assertThrows(ExecutionException.class, () -> queued.get(15, TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof AblyException, failed.toString());
    assertEquals(80017, ((AblyException) failed.getCause()).errorInfo().code());
    r.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void closingAClientThatNeverConnectedReturnsWithoutWaiting() {
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(options("app.k:s", 1).realtimeRequestTimeout(Duration.ofSeconds(30)).build(), r, false);
    long start = System.nanoTime();
    c.close(); // would wait up to 31 s if the close had nothing to end on
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(tookMillis < 10_000, "close() took " + tookMillis + " ms");
    assertEquals(ConnectionState.CLOSED, c.connection().state());
  }

  @Test
  void closeWhileConnectingWaitsForConnectedThenSendsCloseRTN12f() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    server.faults().delayOutbound(Duration.ofMillis(400)); // CONNECTED arrives late
    StateRecorder r = new StateRecorder();
    RealtimeClient c =
        client(options(server.defaultKey().keyStr(), server.port()).realtimeRequestTimeout(Duration.ofSeconds(10)).build(), r, true);
    r.expect(ConnectionState.CONNECTING);
    long start = System.nanoTime();
    CompletionStage<Void> closed = c.connection().close();
    expectChange(r, ConnectionState.CONNECTING, ConnectionState.CLOSING);
    expectChange(r, ConnectionState.CLOSING, ConnectionState.CLOSED);
    await(closed);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // The CLOSE went once CONNECTED arrived; the server then ended the connection (its CLOSED frame
    // is delayed too, its socket close is not: RTN12c ends CLOSING as well).
    assertTrue(tookMillis >= 350, "not CLOSED before CONNECTED arrived: " + tookMillis);
    assertTrue(tookMillis < 5_000, "ended by the server, not by a timeout: " + tookMillis);
    assertEquals(0, server.liveConnectionCount());
    r.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void closeWhileConnectingToASilentServerEndsAfterTheConnectTimeoutRTN12fRTN14c() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    server.faults().blackholeOutbound(true);
    StateRecorder r = new StateRecorder();
    RealtimeClient c =
        client(options(server.defaultKey().keyStr(), server.port()).realtimeRequestTimeout(Duration.ofMillis(700)).build(), r, true);
    r.expect(ConnectionState.CONNECTING);
    long start = System.nanoTime();
    CompletionStage<Void> closed = c.connection().close();
    expectChange(r, ConnectionState.CONNECTING, ConnectionState.CLOSING);
    expectChange(r, ConnectionState.CLOSING, ConnectionState.CLOSED);
    await(closed);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(tookMillis >= 500 && tookMillis < 5_000, "ended by the connect timeout: " + tookMillis);
    r.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void closeWhenConnectedSendsCloseAndEndsOnClosedRTN12a() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(options(server.defaultKey().keyStr(), server.port()).build(), r, true);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    await(c.connection().close());
    expectChange(r, ConnectionState.CONNECTED, ConnectionState.CLOSING);
    expectChange(r, ConnectionState.CLOSING, ConnectionState.CLOSED);
    assertNull(c.connection().id());
    assertEquals(0, server.liveConnectionCount());
    r.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void closeWhenDisconnectedIsClosedAtOnceRTN12d() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(options("app.k:s", closedPort).build(), r, true);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.DISCONNECTED);
    await(c.connection().close());
    ConnectionStateChange closed = r.next();
    assertEquals(ConnectionState.DISCONNECTED, closed.previous(), "no CLOSING in between: " + closed);
    assertEquals(ConnectionState.CLOSED, closed.current());
    r.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void theServersConnectionStateTtlSuspendsAndCloseWhenSuspendedIsClosedAtOnceCD2fRTN14eRTN12d()
      throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().connectionStateTtl(Duration.ofSeconds(1)).start());
    TcpRelay relay = closeLater(TcpRelay.forwarder(new InetSocketAddress("127.0.0.1", server.port())));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(options(server.defaultKey().keyStr(), relay.port()).build(), r, true);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);

    relay.close(); // the socket drops and every reconnection is refused
    long lost = System.nanoTime();
    r.expect(ConnectionState.DISCONNECTED);
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange waiting = r.expect(ConnectionState.DISCONNECTED);
    assertTrue(waiting.retryIn().compareTo(Duration.ofSeconds(40)) > 0, waiting.toString());
    ConnectionStateChange suspended = r.expect(ConnectionState.SUSPENDED);
    long afterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost);
    assertTrue(afterMillis >= 800 && afterMillis < 5_000,
        "SUSPENDED after the server's connectionStateTtl of 1 s (CD2f), not the default 2 min: " + afterMillis);
    assertEquals(80002, suspended.reason().code(), suspended.toString());

    await(c.connection().close());
    expectChange(r, ConnectionState.SUSPENDED, ConnectionState.CLOSED);
    r.expectNothing(Duration.ofMillis(100));
  }
}
