package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile-server catalogue: a scripted server ({@link HostileServer}) completes the WebSocket
 * handshake and then misbehaves; each case asserts the state and error code the client reaches,
 * and that the neighbouring clients on the shared event loops are unaffected (still CONNECTED, no
 * state change, a ping answered within a second). Unless a case says otherwise, the first
 * connection misbehaves and every later one is a well-behaved server, so the client's recovery is
 * part of the outcome.
 */
class HostileServerIT {
  /** More neighbours than the shared group has loops (at most 4, assigned in turn). */
  private static final int NEIGHBOURS = 4;

  /** One testkit and its neighbours for the whole class: they must outlive every case. */
  private static final List<AutoCloseable> SHARED = new ArrayList<>();
  private static final List<RealtimeClient> neighbours = new ArrayList<>();
  private static final List<StateRecorder> neighbourChanges = new ArrayList<>();
  private static ResourceBaseline baseline;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startNeighbours() throws Exception {
    baseline = ResourceBaseline.take();
    AblyTestServer testkit = AblyTestServer.builder().start();
    SHARED.add(testkit);
    for (int i = 0; i < NEIGHBOURS; i++) {
      RealtimeClient n = Ably.realtime(ClientOptions.builder()
          .key(testkit.defaultKey().keyStr()).host("127.0.0.1").port(testkit.port()).tls(false)
          .autoConnect(true).build());
      SHARED.add(n);
      n.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(10, TimeUnit.SECONDS);
      StateRecorder r = new StateRecorder();
      n.connection().onStateChange(r.changes::add);
      neighbours.add(n);
      neighbourChanges.add(r);
    }
  }

  @AfterAll
  static void stopNeighboursAndCheckTheBaseline() throws Exception {
    try {
      for (int i = SHARED.size() - 1; i >= 0; i--) {
        SHARED.get(i).close();
      }
    } finally {
      SHARED.clear();
      neighbours.clear();
      neighbourChanges.clear();
    }
    // Every hostile case's clients and servers are closed: threads and heap back to the start
    baseline.assertBackWithin(Duration.ofSeconds(30));
  }

  @BeforeEach
  void clearNeighbourChanges() {
    neighbourChanges.forEach(r -> r.changes.clear());
  }

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

  /** Every neighbour is still CONNECTED, saw no state change, and answers a ping promptly. */
  private void assertNeighboursUnaffected() throws Exception {
    for (int i = 0; i < NEIGHBOURS; i++) {
      assertEquals(ConnectionState.CONNECTED, neighbours.get(i).connection().state(), "neighbour " + i);
      Duration rtt = neighbours.get(i).connection().ping().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(rtt.toMillis() < 1000, "neighbour " + i + " ping " + rtt);
      assertTrue(neighbourChanges.get(i).changes.isEmpty(), "neighbour " + i + ": " + neighbourChanges.get(i).changes);
    }
  }

  private HostileServer server(HostileServer.Script script) {
    return closeLater(new HostileServer(script));
  }

  private RealtimeClient client(HostileServer server, StateRecorder r, UnaryOperator<ClientOptions.Builder> more) {
    ClientOptions.Builder b = ClientOptions.builder()
        .key("hostile.key:secret").host("127.0.0.1").port(server.port()).tls(false)
        .useBinaryProtocol(false).autoConnect(false)
        .disconnectedRetryTimeout(Duration.ofMillis(500));
    RealtimeClient c = closeLater(Ably.realtime(more.apply(b).build()));
    c.connection().onStateChange(r.changes::add);
    c.connection().connect();
    return c;
  }

  /** A script whose first connection gets CONNECTED then {@code abuse}; later ones behave. */
  private static HostileServer.Script afterConnected(java.util.function.Consumer<HostileServer.Peer> abuse) {
    return (peer, n) -> {
      peer.text(HostileServer.connected("c" + n, 15_000));
      if (n == 1) {
        abuse.accept(peer);
      }
    };
  }

  /**
   * Runs a case whose first connection is dropped for a protocol error: CONNECTED, then
   * DISCONNECTED with {@code code}, then a new connection that works.
   */
  private void expectDroppedAndReconnected(HostileServer.Script script, int code) throws Exception {
    HostileServer server = server(script);
    StateRecorder r = new StateRecorder();
    client(server, r, b -> b);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    ConnectionStateChange lost = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(code, lost.reason().code(), lost.toString());
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange again = r.expect(ConnectionState.CONNECTED);
    assertEquals(2, server.connections.get());
    assertTrue(again.previous() == ConnectionState.CONNECTING, again.toString());
    assertNeighboursUnaffected();
  }

  /** Runs a case that the client must ignore: it stays CONNECTED on its first connection. */
  private void expectIgnored(java.util.function.Consumer<HostileServer.Peer> abuse) throws Exception {
    HostileServer server = server(afterConnected(peer -> {
      abuse.accept(peer);
      peer.text("{\"action\":0,\"id\":\"after\"}"); // a HEARTBEAT: proof the abuse was read
    }));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, r, b -> b);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    c.connection().ping().toCompletableFuture().get(10, TimeUnit.SECONDS);
    r.expectNothing(Duration.ofMillis(300));
    assertEquals(ConnectionState.CONNECTED, c.connection().state());
    assertEquals(1, server.connections.get());
    assertNeighboursUnaffected();
  }

  private static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void randomBytesInABinaryFrameAreAProtocolErrorThatDropsTheTransportAndResumes() throws Exception {
    expectDroppedAndReconnected(afterConnected(p -> p.binary(randomBytes(1, 4096))), ErrorCode.PROTOCOL_ERROR.code());
  }

  @Test
  void randomBytesInATextFrameAreAProtocolErrorThatDropsTheTransportAndResumes() throws Exception {
    byte[] ascii = randomBytes(2, 4096);
    for (int i = 0; i < ascii.length; i++) {
      ascii[i] = (byte) (32 + (ascii[i] & 0x3f)); // valid UTF-8, not JSON
    }
    expectDroppedAndReconnected(afterConnected(p -> p.textBytes(ascii)), ErrorCode.PROTOCOL_ERROR.code());
  }

  @Test
  void invalidUtf8InATextFrameDropsTheTransportAndResumes() throws Exception {
    byte[] bad = "{\"action\":0,\"id\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 4] = (byte) 0xff; // no UTF-8 sequence starts with 0xff
    HostileServer server = server(afterConnected(p -> p.textBytes(bad)));
    StateRecorder r = new StateRecorder();
    client(server, r, b -> b);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    ConnectionStateChange lost = r.expect(ConnectionState.DISCONNECTED);
    assertTrue(lost.reason().code() == ErrorCode.PROTOCOL_ERROR.code()
        || lost.reason().code() == ErrorCode.CONNECTION_DISCONNECTED.code(), lost.toString());
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertNeighboursUnaffected();
  }

  @Test
  void jsonThatIsNotAnObjectIsAProtocolError() throws Exception {
    for (String notObject : List.of("[1,2,3]", "\"connected\"", "42", "null", "true", "")) {
      expectDroppedAndReconnected(afterConnected(p -> p.text(notObject)), ErrorCode.PROTOCOL_ERROR.code());
    }
  }

  @Test
  void fieldsOfTheWrongTypeAreAProtocolError() throws Exception {
    for (String wrong : List.of(
        "{\"action\":\"four\"}",
        "{\"action\":15,\"channel\":7,\"messages\":[]}",
        "{\"action\":15,\"channel\":\"x\",\"messages\":{}}",
        "{\"action\":1,\"msgSerial\":\"zero\",\"count\":1}")) {
      expectDroppedAndReconnected(afterConnected(p -> p.text(wrong)), ErrorCode.PROTOCOL_ERROR.code());
    }
  }

  @Test
  void anUnknownActionIsIgnoredAndTheConnectionStaysConnectedRTF1() throws Exception {
    expectIgnored(p -> {
      p.text("{\"action\":99}");
      p.text("{\"action\":254,\"channel\":\"x\",\"unknownPayload\":\"future\"}"); // the UTS RTF1 case
      p.text("{\"action\":2147483647,\"channel\":\"x\"}");
      p.text("{\"action\":-1}");
    });
  }

  @Test
  void attachedAndMessagesForChannelsNeverAttachedAreIgnored() throws Exception {
    expectIgnored(p -> {
      p.text("{\"action\":11,\"channel\":\"never-asked\"}");
      p.text("{\"action\":15,\"channel\":\"never-asked\",\"messages\":[{\"name\":\"x\",\"data\":\"y\"}]}");
      p.text("{\"action\":13,\"channel\":\"never-asked\"}");
    });
  }

  @Test
  void aHeartbeatFloodKeepsTheClientConnectedAndTheLoopResponsive() throws Exception {
    expectIgnored(p -> {
      for (int i = 0; i < 20_000; i++) {
        p.text("{\"action\":0}");
      }
    });
  }

  @Test
  void jsonNestedAHundredThousandDeepInsideAnUnknownFieldIsAProtocolError() throws Exception {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    expectDroppedAndReconnected(
        afterConnected(p -> p.text("{\"action\":0,\"zzz\":" + deep + "}")), ErrorCode.PROTOCOL_ERROR.code());
  }

  @Test
  void aMillionMessagesInOneFrameAreAProtocolError() throws Exception {
    // MessagePack: {"action":15,"channel":"x","messages":[{} x 1,000,000]}, under the 1 MiB cap
    int n = 1_000_000;
    byte[] head = {(byte) 0x83,
        (byte) 0xa6, 'a', 'c', 't', 'i', 'o', 'n', 15,
        (byte) 0xa7, 'c', 'h', 'a', 'n', 'n', 'e', 'l', (byte) 0xa1, 'x',
        (byte) 0xa8, 'm', 'e', 's', 's', 'a', 'g', 'e', 's',
        (byte) 0xdd, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    byte[] frame = new byte[head.length + n];
    System.arraycopy(head, 0, frame, 0, head.length);
    java.util.Arrays.fill(frame, head.length, frame.length, (byte) 0x80);
    assertTrue(frame.length < 1 << 20);
    HostileServer server = server((peer, c) -> {
      peer.binary(msgpackConnected(c));
      if (c == 1) {
        peer.binary(frame);
      }
    });
    StateRecorder r = new StateRecorder();
    client(server, r, b -> b.useBinaryProtocol(true));
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    ConnectionStateChange lost = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(ErrorCode.PROTOCOL_ERROR.code(), lost.reason().code(), lost.toString());
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertNeighboursUnaffected();
  }

  /** CONNECTED in MessagePack: action, connectionId, connectionDetails{connectionKey, maxIdleInterval}. */
  private static byte[] msgpackConnected(int n) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0x83);
    str(out, "action");
    out.write(4);
    str(out, "connectionId");
    str(out, "c" + n);
    str(out, "connectionDetails");
    out.write(0x82);
    str(out, "connectionKey");
    str(out, "key-c" + n);
    str(out, "maxIdleInterval");
    out.write(0xcd);
    out.write(15_000 >>> 8);
    out.write(15_000 & 0xff);
    return out.toByteArray();
  }

  private static void str(java.io.ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(0xa0 | b.length);
    out.write(b, 0, b.length);
  }

  @Test
  void aSecondConnectedWithAnotherIdIsAnUpdateThatKeepsTheClientConnectedRTN24() throws Exception {
    HostileServer server = server(afterConnected(p -> p.text(HostileServer.connected("other", 15_000))));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, r, b -> b);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    ConnectionStateChange update = r.expect(ConnectionState.CONNECTED);
    assertEquals(ConnectionState.CONNECTED, update.previous());
    assertEquals("other", c.connection().id());
    assertNeighboursUnaffected();
  }

  @Test
  void anEmptyConnectedIsAProtocolErrorNeverAConnectionWithoutAnId() throws Exception {
    HostileServer server = server((peer, n) -> peer.text(n == 1 ? "{\"action\":4}" : HostileServer.connected("c" + n, 15_000)));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, r, b -> b);
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange refused = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(ErrorCode.PROTOCOL_ERROR.code(), refused.reason().code(), refused.toString());
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertEquals("c2", c.connection().id());
    assertNeighboursUnaffected();
  }

  /**
   * A server that answers the first connection's publish with {@code abuse} (given the publish's
   * msgSerial) and acknowledges correctly on later connections.
   */
  private static HostileServer.Script acking(java.util.function.LongFunction<String> abuse) {
    return new HostileServer.Script() {
      @Override
      public void opened(HostileServer.Peer peer, int n) {
        peer.text(HostileServer.connected("c" + n, 15_000));
      }

      @Override
      public void received(HostileServer.Peer peer, int n, String frame) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"msgSerial\":(\\d+)").matcher(frame);
        if (frame.contains("\"action\":15") && m.find()) {
          long serial = Long.parseLong(m.group(1));
          peer.text(n == 1 ? abuse.apply(serial) : "{\"action\":1,\"msgSerial\":" + serial + ",\"count\":1}");
        } else {
          HostileServer.Script.super.received(peer, n, frame);
        }
      }
    };
  }

  /**
   * RSF1: a newer service may send message and presence actions this client does not know; the
   * frame is not a protocol error. The unknown message action is delivered as no action; the
   * unknown presence action, which cannot say whether the member is present, is skipped.
   */
  @Test
  void unknownMessageAndPresenceActionsAreToleratedNotProtocolErrorsRSF1() throws Exception {
    HostileServer server = server(new HostileServer.Script() {
      @Override
      public void opened(HostileServer.Peer peer, int n) {
        peer.text(HostileServer.connected("c" + n, 15_000));
      }

      @Override
      public void received(HostileServer.Peer peer, int n, String frame) {
        if (frame.contains("\"action\":10")) { // ATTACH
          peer.text("{\"action\":11,\"channel\":\"future\",\"channelSerial\":\"s:0\",\"flags\":983040}");
          peer.text("{\"action\":14,\"channel\":\"future\",\"channelSerial\":\"s:1\",\"presence\":["
              + "{\"id\":\"x:0:0\",\"clientId\":\"a\",\"connectionId\":\"x\",\"timestamp\":1,\"action\":9},"
              + "{\"id\":\"x:0:1\",\"clientId\":\"b\",\"connectionId\":\"x\",\"timestamp\":1,\"action\":2}]}");
          peer.text("{\"action\":15,\"channel\":\"future\",\"channelSerial\":\"s:2\",\"messages\":["
              + "{\"id\":\"y:0:0\",\"name\":\"first\",\"data\":\"1\",\"action\":99},"
              + "{\"id\":\"y:0:1\",\"name\":\"second\",\"data\":\"2\",\"action\":0}]}");
        } else {
          HostileServer.Script.super.received(peer, n, frame);
        }
      }
    });
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, r, b -> b);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    // both listeners before the attach: the script sends everything as soon as it is attached
    io.ably.api.Channel ch = c.channels().get("future", io.ably.api.ChannelOptions.builder().attachOnSubscribe(false).build());
    java.util.concurrent.LinkedBlockingQueue<io.ably.api.message.Message> got = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.LinkedBlockingQueue<io.ably.api.message.PresenceMessage> members = new java.util.concurrent.LinkedBlockingQueue<>();
    ch.presence().subscribe(members::add);
    ch.subscribe(got::add);
    ch.attach();
    io.ably.api.message.Message first = got.poll(10, TimeUnit.SECONDS);
    io.ably.api.message.Message second = got.poll(10, TimeUnit.SECONDS);
    assertEquals("first", first == null ? null : first.name(), "the message with an unknown action is delivered");
    assertEquals(null, first.action());
    assertEquals("second", second == null ? null : second.name());
    io.ably.api.message.PresenceMessage entered = members.poll(10, TimeUnit.SECONDS);
    assertEquals("b", entered == null ? null : entered.clientId(), "the known presence action is applied");
    assertEquals(List.of("b"), ch.presence().get().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
        .map(io.ably.api.message.PresenceMessage::clientId).toList(), "the unknown one is skipped");
    assertEquals(ConnectionState.CONNECTED, c.connection().state());
    assertTrue(r.changes.isEmpty(), "no reconnection: " + r.changes);
    assertNeighboursUnaffected();
  }

  @Test
  void anImpossibleAckOrNackIsAProtocolErrorAndThePublishIsResentNotFailed() throws Exception {
    List<java.util.function.LongFunction<String>> abuses = List.of(
        s -> "{\"action\":1,\"msgSerial\":" + (s + 7) + ",\"count\":1}", // never sent
        s -> "{\"action\":2,\"msgSerial\":" + (s + 7) + ",\"count\":1}", // NACK, never sent
        s -> "{\"action\":1,\"msgSerial\":" + s + ",\"count\":0}",
        s -> "{\"action\":1,\"msgSerial\":" + s + ",\"count\":-5}",
        s -> "{\"action\":1,\"msgSerial\":-1,\"count\":1}",
        s -> "{\"action\":1,\"msgSerial\":" + s + ",\"count\":2147483647}",
        s -> "{\"action\":2,\"msgSerial\":" + s + ",\"count\":2147483647}");
    for (java.util.function.LongFunction<String> abuse : abuses) {
      HostileServer server = server(acking(abuse));
      StateRecorder r = new StateRecorder();
      RealtimeClient c = client(server, r, b -> b);
      r.expect(ConnectionState.CONNECTING);
      r.expect(ConnectionState.CONNECTED);
      java.util.concurrent.CompletableFuture<?> published =
          c.channels().get("acked").publish("m", "once").toCompletableFuture();
      ConnectionStateChange lost = r.expect(ConnectionState.DISCONNECTED);
      assertEquals(ErrorCode.PROTOCOL_ERROR.code(), lost.reason().code(), abuse.apply(0) + " " + lost);
      r.expect(ConnectionState.CONNECTING);
      r.expect(ConnectionState.CONNECTED);
      published.get(10, TimeUnit.SECONDS); // resent on the new connection and acknowledged there
    }
    assertNeighboursUnaffected();
  }

  @Test
  void aServerThatBreaksEveryConnectionRightAfterConnectedIsRetriedWithBackoffNotAtOnce() throws Exception {
    for (java.util.function.Consumer<HostileServer.Peer> breakIt : List.<java.util.function.Consumer<HostileServer.Peer>>of(
        p -> p.binary(randomBytes(3, 64)),
        p -> p.text("{\"action\":6,\"error\":{\"code\":80003,\"statusCode\":400,\"message\":\"go away\"}}"),
        // a token error to a client on basic auth (it has no token to renew, RTN15h): the same
        p -> p.text("{\"action\":6,\"error\":{\"code\":40142,\"statusCode\":401,\"message\":\"Token expired\"}}"),
        HostileServer.Peer::drop)) {
      HostileServer server = server((peer, n) -> {
        peer.text(HostileServer.connected("c" + n, 15_000));
        breakIt.accept(peer);
      });
      StateRecorder r = new StateRecorder();
      client(server, r, b -> b.disconnectedRetryTimeout(Duration.ofSeconds(1)));
      // RTN15a once for the first (healthy) connection: DISCONNECTED reporting the first RTB1
      // step (RTN14d), then CONNECTING at once
      ConnectionStateChange first = nextDisconnected(r);
      assertTrue(first.retryIn().toMillis() >= 800, first.toString());
      r.expect(ConnectionState.CONNECTING);
      // then the outage goes on with RTB1 backoff
      ConnectionStateChange backoff = nextDisconnected(r);
      long since = System.nanoTime();
      assertTrue(server.connections.get() <= 2, "connections before the first backoff: " + server.connections.get());
      assertTrue(backoff.retryIn().toMillis() >= 800, backoff.toString());
      r.expect(ConnectionState.CONNECTING);
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
      assertTrue(waitedMillis >= 500, "retried after " + waitedMillis + " ms");
      ConnectionStateChange next = nextDisconnected(r);
      assertTrue(next.retryIn().toMillis() >= 800, next.toString());
      assertTrue(server.connections.get() <= 3, "connections: " + server.connections.get());
    }
    assertNeighboursUnaffected();
  }

  private static ConnectionStateChange nextDisconnected(StateRecorder r) throws InterruptedException {
    ConnectionStateChange change;
    do {
      change = r.next();
    } while (change.current() != ConnectionState.DISCONNECTED);
    return change;
  }

  @Test
  void anErrorWithoutAnErrorFailsTheConnectionRTN15j() throws Exception {
    HostileServer server = server(afterConnected(p -> p.text("{\"action\":9}")));
    StateRecorder r = new StateRecorder();
    client(server, r, b -> b);
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    ConnectionStateChange failed = r.expect(ConnectionState.FAILED);
    assertTrue(failed.reason() != null, failed.toString());
    assertNeighboursUnaffected();
  }

  @Test
  void anUnsolicitedClosedIsTreatedAsALostConnectionAndResumes() throws Exception {
    expectDroppedAndReconnected(afterConnected(p -> p.text("{\"action\":8}")), closedByServerCode());
  }

  private static int closedByServerCode() {
    return ErrorCode.CONNECTION_CLOSED.code();
  }

  @Test
  void noConnectedIsAConnectTimeoutRTN14c() throws Exception {
    HostileServer server = server((peer, n) -> {});
    StateRecorder r = new StateRecorder();
    client(server, r, b -> b.realtimeRequestTimeout(Duration.ofMillis(500)).disconnectedRetryTimeout(Duration.ofSeconds(60)));
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange d = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(ErrorCode.CONNECTION_TIMED_OUT.code(), d.reason().code(), d.toString());
    assertNeighboursUnaffected();
  }

  @Test
  void silenceAfterConnectedIsAnIdleTimeoutThatResumesRTN23a() throws Exception {
    HostileServer server = server((peer, n) -> peer.text(HostileServer.connected("c" + n, n == 1 ? 200 : 15_000)));
    StateRecorder r = new StateRecorder();
    client(server, r, b -> b.realtimeRequestTimeout(Duration.ofMillis(300)));
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    ConnectionStateChange lost = r.expect(ConnectionState.DISCONNECTED);
    assertEquals(ErrorCode.CONNECTION_DISCONNECTED.code(), lost.reason().code(), lost.toString());
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    assertNeighboursUnaffected();
  }

  @Test
  void stagesOfAClientFacingAHostileServerFailOnlyWithAblyException() throws Exception {
    HostileServer server = server((peer, n) -> peer.text(HostileServer.connected("c" + n, 15_000)));
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, r, b -> b.maxQueuedMessages(1));
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    c.channels().get("never-acked").publish("a", "1"); // never acknowledged: the one slot
    try {
      c.channels().get("never-acked").publish("b", "2").toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("the second publish was accepted beyond maxQueuedMessages");
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof AblyException, e.toString());
    }
    assertNeighboursUnaffected();
  }

  // ---- handshake abuse ----

  /** Runs a case whose every upgrade request is answered by {@code handshake}: never CONNECTED. */
  private StateRecorder expectHandshakeRefused(HostileServer.Handshake handshake, String mentionRegex) throws Exception {
    HostileServer server = closeLater(new HostileServer(handshake));
    StateRecorder r = new StateRecorder();
    client(server, r, b -> b.realtimeRequestTimeout(Duration.ofMillis(1_000)));
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange refused = r.expect(ConnectionState.DISCONNECTED);
    assertTrue(refused.reason().code() == ErrorCode.CONNECTION_DISCONNECTED.code()
        || refused.reason().code() == ErrorCode.CONNECTION_TIMED_OUT.code(), refused.toString());
    assertTrue(java.util.regex.Pattern.compile(mentionRegex).matcher(refused.reason().message()).find(), refused.toString());
    assertTrue(refused.retryIn().toMillis() >= 400, "RTB1 backoff, not at once: " + refused);
    r.expect(ConnectionState.CONNECTING); // retried (RTN14d)
    assertNeighboursUnaffected();
    return r;
  }

  private static void respond(io.netty.channel.Channel ch, io.netty.handler.codec.http.HttpResponseStatus status,
      java.util.Map<String, String> headers) {
    io.netty.handler.codec.http.FullHttpResponse response = new io.netty.handler.codec.http.DefaultFullHttpResponse(
        io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status);
    headers.forEach((k, v) -> response.headers().set(k, v));
    response.headers().set("content-length", "0");
    ch.writeAndFlush(response);
  }

  @Test
  void aHandshakeWithABadAcceptKeyIsRefusedAndRetriedWithBackoff() throws Exception {
    expectHandshakeRefused((ch, request, n) -> respond(ch, io.netty.handler.codec.http.HttpResponseStatus.SWITCHING_PROTOCOLS,
        java.util.Map.of("upgrade", "websocket", "connection", "Upgrade",
            "sec-websocket-accept", "bm90IHRoZSBhY2NlcHQga2V5IGF0IGFsbA==")), "handshake");
  }

  @Test
  void aRedirectedHandshakeIsRefusedAndNeverFollowed() throws Exception {
    HostileServer elsewhere = server((peer, n) -> peer.text(HostileServer.connected("elsewhere" + n, 15_000)));
    expectHandshakeRefused((ch, request, n) -> respond(ch, io.netty.handler.codec.http.HttpResponseStatus.FOUND,
        java.util.Map.of("location", "ws://127.0.0.1:" + elsewhere.port() + "/")), "handshake");
    assertEquals(0, elsewhere.connections.get(), "the redirect was followed");
  }

  @Test
  void noHandshakeAnswerIsATimeoutRetriedWithBackoffRTN14c() throws Exception {
    // the server reads the upgrade request and never answers it: the handshake's timeout or the
    // connect timer (RTN14c), whichever fires first (both are realtimeRequestTimeout)
    expectHandshakeRefused((ch, request, n) -> {}, "timed out|No CONNECTED within");
  }

  // ---- frames over the cap ----

  @Test
  void aFrameOverTheOneMebibyteCapDropsTheTransportAndResumes() throws Exception {
    String big = "{\"action\":0,\"id\":\"" + "x".repeat((1 << 20) + 16) + "\"}";
    expectDroppedAndReconnected(afterConnected(p -> p.text(big)), ErrorCode.CONNECTION_DISCONNECTED.code());
  }

  @Test
  void aFragmentedMessageOverTheCapDropsTheTransportAndResumes() throws Exception {
    byte[] big = ("{\"action\":0,\"id\":\"" + "x".repeat((1 << 20) + 16) + "\"}").getBytes(StandardCharsets.UTF_8);
    expectDroppedAndReconnected(
        afterConnected(p -> p.fragmentedText(big, 64 * 1024)), ErrorCode.CONNECTION_DISCONNECTED.code());
  }

  // ---- a server that stops reading ----

  @Test
  void aServerThatStopsReadingWhilePublishingRefusesBeyondMaxQueuedMessagesWithBoundedMemory() throws Exception {
    HostileServer server = server((peer, n) -> {
      peer.text(HostileServer.connected("c" + n, 15_000));
      peer.stopReading();
    });
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(server, r, b -> b.realtimeRequestTimeout(Duration.ofMillis(1_000)));
    r.expect(ConnectionState.CONNECTING);
    r.expect(ConnectionState.CONNECTED);
    long heapBefore = ResourceBaseline.heapAfterGc();
    int total = 100_000;
    String kib = "k".repeat(1024);
    java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger otherwise = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch refusals = new java.util.concurrent.CountDownLatch(total - 10_000);
    io.ably.api.Channel ch = c.channels().get("stalled");
    for (int i = 0; i < total; i++) {
      ch.publish("m", kib).whenComplete((ok, e) -> {
        Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        if (cause instanceof AblyException a && a.errorInfo().code() == 42910) {
          refused.incrementAndGet();
          refusals.countDown();
        } else {
          otherwise.incrementAndGet();
        }
      });
    }
    assertTrue(refusals.await(30, TimeUnit.SECONDS), "refused " + refused.get() + " of " + total);
    long pending = c.metrics().messagesPending();
    assertTrue(pending <= ClientOptions.DEFAULT_MAX_QUEUED_MESSAGES, "pending " + pending);
    assertEquals(0, otherwise.get(), "no publish completed another way while the server reads nothing");
    long heapGrowth = ResourceBaseline.settledHeapGrowth(heapBefore, 64L << 20, Duration.ofSeconds(15));
    System.out.println("stalled server: " + refused.get() + " refused with 42910, " + pending
        + " pending, heap after GC +" + (heapGrowth >> 20) + " MiB");
    assertTrue(heapGrowth <= 64L << 20,
        () -> "heap grew " + (heapGrowth >> 20) + " MiB and stayed so for 15 s:\n" + ResourceBaseline.classHistogram(25));
    assertEquals(ConnectionState.CONNECTED, c.connection().state());
    assertNeighboursUnaffected();
  }
}
