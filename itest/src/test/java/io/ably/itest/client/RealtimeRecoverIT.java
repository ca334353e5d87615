package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection recovery across client instances (RTN16). */
class RealtimeRecoverIT {
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
    RealtimeClient c = closeLater(Ably.realtime(options.toBuilder().autoConnect(false).build()));
    c.connection().onStateChange(r.changes::add);
    c.connection().connect();
    return c;
  }

  private static ClientOptions.Builder options(AblyTestServer server, int port) {
    return ClientOptions.builder()
        .key(server.defaultKey().keyStr())
        .host("127.0.0.1")
        .port(port)
        .tls(false)
        .disconnectedRetryTimeout(Duration.ofSeconds(60));
  }

  @Test
  void anotherInstanceRecoversTheConnectionWithTheSameIdRTN16() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    // Client A reaches the server through a relay: when the relay goes, A's socket drops and its
    // resume is refused, so A waits 60 s in DISCONNECTED while the server keeps its connection.
    TcpRelay relay = closeLater(TcpRelay.forwarder(new InetSocketAddress("127.0.0.1", server.port())));
    StateRecorder ra = new StateRecorder();
    RealtimeClient a = client(options(server, relay.port()).build(), ra);
    ra.expect(ConnectionState.CONNECTING);
    ra.expect(ConnectionState.CONNECTED);
    String id = a.connection().id();
    String recoveryKey = a.connection().createRecoveryKey().orElseThrow();

    relay.close();
    // RTN14d, RTB1: the first step (60 s x [0.8, 1]) is reported, the resume is immediate (RTN15a)
    Duration firstStep = ra.expect(ConnectionState.DISCONNECTED).retryIn();
    assertTrue(firstStep.compareTo(Duration.ofSeconds(48)) >= 0 && firstStep.compareTo(Duration.ofSeconds(60)) <= 0, firstStep.toString());
    ra.expect(ConnectionState.CONNECTING);
    ConnectionStateChange waiting = ra.expect(ConnectionState.DISCONNECTED);
    assertTrue(waiting.retryIn().compareTo(Duration.ofSeconds(40)) > 0, waiting.toString());
    assertNotNull(a.connection().createRecoveryKey().orElse(null), "RTN16g: a key while DISCONNECTED");

    StateRecorder rb = new StateRecorder();
    RealtimeClient b = client(options(server, server.port()).recover(recoveryKey).build(), rb);
    rb.expect(ConnectionState.CONNECTING);
    ConnectionStateChange recovered = rb.expect(ConnectionState.CONNECTED);
    assertNull(recovered.reason(), "RTN16l: a successful recover reports no error");
    assertEquals(id, b.connection().id(), "RTN16d: the same connection id");
    assertNull(b.connection().errorReason());
    assertEquals(1, server.liveConnectionCount());
    ra.expectNothing(Duration.ofMillis(100));
    rb.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void aMalformedRecoveryKeyConnectsAfreshRTN16f1() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(options(server, server.port()).recover("not a recovery key").build(), r);
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange connected = r.expect(ConnectionState.CONNECTED);
    assertNull(connected.reason(), "nothing was tried, so nothing failed");
    assertNotNull(c.connection().id());
    assertNull(c.connection().errorReason());
  }

  @Test
  void aRecoveryKeyOfAnUnknownConnectionGetsANewIdAndAnErrorRTN16l() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    String unknown = "{\"connectionKey\":\"nosuch!abcdef\",\"msgSerial\":0,\"channelSerials\":{}}";
    StateRecorder r = new StateRecorder();
    RealtimeClient c = client(options(server, server.port()).recover(unknown).build(), r);
    r.expect(ConnectionState.CONNECTING);
    ConnectionStateChange connected = r.expect(ConnectionState.CONNECTED);
    assertNotNull(connected.reason(), "RTN16l: the failed recover is reported");
    assertNotEquals("nosuch", c.connection().id());
    assertEquals(connected.reason(), c.connection().errorReason());
  }

  @Test
  void aRecoveredClientReattachesItsChannelsFromTheirSerialsAndContinuesTheMsgSerialRTN16fRTN16j() throws Exception {
    AblyTestServer server = closeLater(AblyTestServer.builder().start());
    TcpRelay relay = closeLater(TcpRelay.forwarder(new InetSocketAddress("127.0.0.1", server.port())));
    StateRecorder ra = new StateRecorder();
    RealtimeClient a = client(options(server, relay.port()).build(), ra);
    RealtimeClient other = closeLater(Ably.realtime(options(server, server.port()).build()));
    Channel fromA = a.channels().get("recovered");
    BlockingQueue<Message> seenByA = new LinkedBlockingQueue<>();
    fromA.subscribe(seenByA::add);
    await(fromA.whenState(ChannelState.ATTACHED));
    await(fromA.publish("m", "one")); // msgSerial 0
    assertEquals("one", text(poll(seenByA)));
    String recoveryKey = a.connection().createRecoveryKey().orElseThrow();
    assertTrue(recoveryKey.contains("\"recovered\""), recoveryKey);
    assertTrue(recoveryKey.contains("\"msgSerial\":1"), recoveryKey);

    ra.expect(ConnectionState.CONNECTING);
    ra.expect(ConnectionState.CONNECTED);
    relay.close();
    ra.expect(ConnectionState.DISCONNECTED);
    await(other.channels().get("recovered").publish("m", "missed by A"));

    StateRecorder rb = new StateRecorder();
    RealtimeClient b = client(options(server, server.port()).recover(recoveryKey).build(), rb);
    Channel fromB = b.channels().get("recovered");
    BlockingQueue<Message> seenByB = new LinkedBlockingQueue<>();
    BlockingQueue<ChannelStateChange> states = new LinkedBlockingQueue<>();
    fromB.onStateChange(states::add);
    fromB.subscribe(seenByB::add);
    assertEquals("missed by A", text(poll(seenByB)), "RTN16j: attached from A's channelSerial");
    ChannelStateChange attached = states.stream().filter(c -> c.current() == ChannelState.ATTACHED).findFirst().orElseThrow();
    assertTrue(attached.resumed(), "nothing was lost");
    // RTN16f: B numbers from A's next msgSerial; a reused 0 would be taken for A's resend and dropped
    await(fromB.publish("m", "two"));
    assertEquals("two", text(poll(seenByB)));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static Message poll(BlockingQueue<Message> q) throws InterruptedException {
    Message m = q.poll(20, TimeUnit.SECONDS);
    assertNotNull(m, "no message within 20 s");
    return m;
  }

  private static String text(Message m) {
    return ((MessageData.Text) m.data()).value();
  }
}
