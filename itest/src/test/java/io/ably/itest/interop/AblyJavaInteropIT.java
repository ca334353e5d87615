package io.ably.itest.interop;

import static io.ably.itest.interop.Sdk.TIMEOUT;
import static io.ably.itest.interop.Sdk.attach;
import static io.ably.itest.interop.Sdk.channelStates;
import static io.ably.itest.interop.Sdk.completeWith;
import static io.ably.itest.interop.Sdk.completing;
import static io.ably.itest.interop.Sdk.connectionStates;
import static io.ably.itest.interop.Sdk.fails;
import static io.ably.itest.interop.Sdk.get;
import static io.ably.itest.interop.Sdk.presenceGet;
import static io.ably.itest.interop.Sdk.publish;
import static io.ably.itest.interop.Sdk.record;
import static io.ably.itest.interop.Sdk.succeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ably.itest.AblyTestServer;
import io.ably.itest.TestKey;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelEvent;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ChannelStateListener.ChannelStateChange;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener.ConnectionStateChange;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.ably.lib.types.PresenceMessage;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessagePack;

/**
 * The official Java SDK, {@code io.ably:ably-java} 1.5.0, against the testkit server: every
 * assertion is about what the SDK observed (its state changes, the messages and members it
 * delivered, their ids and the errors it reported), so a server that merely accepted every frame
 * would fail each test. Each scenario runs with the SDK's JSON protocol and with MessagePack.
 *
 * <p>Connection options follow PROTOCOL.md §11.1: {@code restHost} and {@code realtimeHost} on
 * loopback, the server's {@code port}, {@code tls=false}, no environment, no fallback hosts.
 */
class AblyJavaInteropIT {
  /** A key that may use channel {@code granted} only. */
  private static final TestKey LIMITED_KEY =
      new TestKey("testapp.limited", "limitedsecret", "{\"granted\":[\"*\"]}");

  private AblyTestServer server;
  private SdkClients clients;

  @BeforeEach
  void startServer() {
    server = AblyTestServer.builder().key(AblyTestServer.DEFAULT_KEY).key(LIMITED_KEY).start();
    clients = new SdkClients(server);
  }

  /** Closes every client (waiting for CLOSED or FAILED), then the server, pass or fail. */
  @AfterEach
  void stopEverything() throws InterruptedException {
    List<String> notClosed;
    try {
      notClosed = clients.closeAll();
    } finally {
      server.close();
    }
    assertTrue(notClosed.isEmpty(), "clients that did not close: " + notClosed);
  }

  // ---------------------------------------------------------------------------------------------
  // Scenarios
  // ---------------------------------------------------------------------------------------------

  /**
   * The MSGPACK runs below exercise ably-java's MessagePack codec on the project's msgpack-core:
   * the build excludes the 0.8.11 that ably-java asks for (parent POM), so there is one
   * msgpack-core on the class path, of the version the parent pins.
   */
  @Test
  void theSdkRunsOnTheProjectsMsgpackCore() throws Exception {
    List<URL> copies =
        Collections.list(
            getClass().getClassLoader().getResources("org/msgpack/core/MessagePack.class"));
    assertEquals(1, copies.size(), "msgpack-core jars on the class path: " + copies);
    String expected = System.getProperty("ably.interop.msgpack.version");
    assertNotNull(expected, "the build passes ably.interop.msgpack.version");
    assertEquals(expected, MessagePack.class.getPackage().getImplementationVersion());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void connectsAndClosesThroughEveryConnectionState(Protocol protocol) throws Exception {
    AblyRealtime client = clients.client(protocol, "carol", server.defaultKey());
    Recorder<ConnectionStateChange> states = record(client.connection);

    client.connection.connect();
    states.await(c -> c.event == ConnectionEvent.connected, "CONNECTED");
    assertNotNull(client.connection.id, "connection.id from CONNECTED");
    assertNotNull(client.connection.key, "connection.key from connectionDetails");
    assertNull(client.connection.reason, "CONNECTED without an error");
    assertEquals("carol", client.auth.clientId, "clientId from connectionDetails");
    assertEquals(1, server.liveConnectionCount());

    client.connection.close();
    states.await(c -> c.event == ConnectionEvent.closed, "CLOSED");
    assertEquals(
        List.of(
            ConnectionState.connecting,
            ConnectionState.connected,
            ConnectionState.closing,
            ConnectionState.closed),
        connectionStates(states));
    assertEquals(0, server.liveConnectionCount(), "the server discarded the closed connection");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void attachesAndDetachesAChannel(Protocol protocol) throws Exception {
    AblyRealtime client = clients.connected(protocol, null, server.defaultKey());
    Channel channel = client.channels.get("attach-detach");
    Recorder<ChannelStateChange> states = record(channel);

    succeeds(attach(channel), "attach");
    assertEquals(ChannelState.attached, channel.state);
    assertNotNull(channel.properties.attachSerial, "attachSerial from ATTACHED");
    assertFalse(
        states.await(c -> c.event == ChannelEvent.attached, "ATTACHED").resumed,
        "a first attach is not a resume");

    CompletableFuture<ErrorInfo> detached = new CompletableFuture<>();
    channel.detach(completing(detached));
    succeeds(detached, "detach");
    assertEquals(ChannelState.detached, channel.state);

    succeeds(attach(channel), "attach again");
    assertEquals(
        List.of(
            ChannelState.attaching,
            ChannelState.attached,
            ChannelState.detaching,
            ChannelState.detached,
            ChannelState.attaching,
            ChannelState.attached),
        channelStates(states));
  }

  static Stream<Arguments> publisherAndSubscriberProtocols() {
    return Stream.of(Protocol.values())
        .flatMap(p -> Stream.of(Protocol.values()).map(s -> Arguments.of(p, s)));
  }

  @ParameterizedTest(name = "{0} publisher, {1} subscriber")
  @MethodSource("publisherAndSubscriberProtocols")
  void messagesArriveWithTheirNameDataAndClientId(
      Protocol publisherProtocol, Protocol subscriberProtocol) throws Exception {
    AblyRealtime subscriber = clients.connected(subscriberProtocol, "bob", server.defaultKey());
    AblyRealtime publisher = clients.connected(publisherProtocol, "alice", server.defaultKey());
    Channel subscribed = subscriber.channels.get("pubsub");
    Recorder<Message> received = new Recorder<>(TIMEOUT);
    subscribed.subscribe(received::add);
    succeeds(attach(subscribed), "subscriber attach");

    String text = "h\u00e9llo w\u00f6rld \u2713 \uD83D\uDE00";
    byte[] bytes = {0, 1, 2, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};
    JsonObject object =
        JsonParser.parseString("{\"a\":1,\"b\":[true,null,\"x\"],\"nested\":{\"k\":\"v\"}}")
            .getAsJsonObject();
    JsonArray array = JsonParser.parseString("[1,\"two\",{\"three\":3.5}]").getAsJsonArray();
    Message[] batch = {
      new Message("text", text),
      new Message("binary", bytes.clone()),
      new Message("json-object", object.deepCopy(), "alice"),
      new Message("json-array", array.deepCopy()),
    };
    succeeds(publish(publisher.channels.get("pubsub"), batch), "publish");

    List<Message> got = new ArrayList<>();
    for (int i = 0; i < batch.length; i++) {
      got.add(received.await(m -> true, "message " + i));
    }
    assertEquals(
        List.of("text", "binary", "json-object", "json-array"),
        got.stream().map(m -> m.name).toList());
    assertEquals(text, got.get(0).data);
    assertArrayEquals(bytes, assertInstanceOf(byte[].class, got.get(1).data));
    assertEquals(object, assertInstanceOf(JsonObject.class, got.get(2).data));
    assertEquals(array, assertInstanceOf(JsonArray.class, got.get(3).data));
    for (Message m : got) {
      assertEquals("alice", m.clientId, m.name + ": clientId");
      assertEquals(publisher.connection.id, m.connectionId, m.name + ": connectionId");
      assertNull(m.encoding, m.name + ": fully decoded");
      assertTrue(m.timestamp > 0, m.name + ": timestamp");
      assertNotNull(m.serial, m.name + ": serial");
      assertNotNull(m.id, m.name + ": id");
      assertTrue(m.id.startsWith(publisher.connection.id + ":"), m.name + ": id " + m.id);
    }
    assertEquals(batch.length, new HashSet<>(got.stream().map(m -> m.id).toList()).size(), "ids");
    assertEquals(
        batch.length, new HashSet<>(got.stream().map(m -> m.serial).toList()).size(), "serials");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void presenceEnterUpdateAndLeaveAreSeenByOthersAndGetReturnsTheMember(Protocol protocol)
      throws Exception {
    AblyRealtime alice = clients.connected(protocol, "alice", server.defaultKey());
    AblyRealtime bob = clients.connected(protocol, "bob", server.defaultKey());
    Channel watched = bob.channels.get("room");
    Recorder<PresenceMessage> seen = new Recorder<>(TIMEOUT);
    CompletableFuture<ErrorInfo> subscribed = new CompletableFuture<>();
    watched.presence.subscribe(seen::add, completing(subscribed));
    succeeds(subscribed, "presence subscribe (attach)");
    Channel room = alice.channels.get("room");

    CompletableFuture<ErrorInfo> entered = new CompletableFuture<>();
    room.presence.enter("hello", completing(entered));
    succeeds(entered, "enter");
    PresenceMessage enter = seen.await(p -> true, "ENTER");
    assertEquals(PresenceMessage.Action.enter, enter.action);
    assertEquals("alice", enter.clientId);
    assertEquals("hello", enter.data);
    assertEquals(alice.connection.id, enter.connectionId);
    assertNotNull(enter.id);

    JsonObject away = JsonParser.parseString("{\"status\":\"away\",\"since\":3}").getAsJsonObject();
    CompletableFuture<ErrorInfo> updated = new CompletableFuture<>();
    room.presence.update(away.deepCopy(), completing(updated));
    succeeds(updated, "update");
    PresenceMessage update = seen.await(p -> true, "UPDATE");
    assertEquals(PresenceMessage.Action.update, update.action);
    assertEquals("alice", update.clientId);
    assertEquals(away, update.data);

    PresenceMessage[] members = presenceGet(watched);
    assertEquals(1, members.length, "members seen by bob");
    assertMember(members[0], alice.connection.id, away);

    // A client attaching now learns the member from the server's SYNC.
    AblyRealtime carol = clients.connected(protocol, null, server.defaultKey());
    Channel late = carol.channels.get("room");
    PresenceMessage[] synced = presenceGet(late);
    assertEquals(1, synced.length, "members synced to carol");
    assertMember(synced[0], alice.connection.id, away);

    CompletableFuture<ErrorInfo> left = new CompletableFuture<>();
    room.presence.leave(completing(left));
    succeeds(left, "leave");
    PresenceMessage leave = seen.await(p -> true, "LEAVE");
    assertEquals(PresenceMessage.Action.leave, leave.action);
    assertEquals("alice", leave.clientId);
    assertEquals(alice.connection.id, leave.connectionId);
    assertEquals(0, presenceGet(watched).length, "bob sees nobody after the leave");
    assertEquals(
        List.of(
            PresenceMessage.Action.enter,
            PresenceMessage.Action.update,
            PresenceMessage.Action.leave),
        seen.all().stream().map(p -> p.action).toList(),
        "bob saw exactly these events");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aDroppedConnectionResumesAndEveryMessageArrivesOnceInOrder(Protocol protocol)
      throws Exception {
    final int total = 100;
    final int beforeDrop = 10; // m0..m9: delivered before the drop
    final int offline = 20; // m10..m19: accepted while the subscriber has no transport
    final int beforeReattach = 30; // m20..m29: accepted after the resume, before the re-attach
    AblyRealtime subscriber = clients.connected(protocol, "sub", server.defaultKey());
    AblyRealtime publisher = clients.connected(protocol, "pub", server.defaultKey());
    Channel subscribed = subscriber.channels.get("resume");
    Recorder<Message> received = new Recorder<>(TIMEOUT);
    subscribed.subscribe(received::add);
    succeeds(attach(subscribed), "subscriber attach");
    Channel publishing = publisher.channels.get("resume");
    List<CompletableFuture<ErrorInfo>> acks = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      acks.add(new CompletableFuture<>());
    }
    PublishRange publish =
        (from, to) -> {
          for (int i = from; i < to; i++) {
            publishing.publish("m" + i, "data-" + i, completing(acks.get(i)));
          }
        };

    publish.run(0, beforeDrop);
    for (int i = 0; i < beforeDrop; i++) {
      received.await(m -> true, "message before the drop");
    }

    String idBefore = subscriber.connection.id;
    Recorder<ConnectionStateChange> states = record(subscriber.connection);
    Recorder<ChannelStateChange> channelStates = record(subscribed);
    // ably-java reports state changes on its connection thread before acting on them, so while
    // these listeners wait, the subscriber can neither reconnect (DISCONNECTED) nor re-attach
    // (CONNECTED). That pins down two windows the server must cover: messages accepted while the
    // subscriber has no transport, and messages accepted after the resume but before the client
    // has re-attached (PROTOCOL.md §4.5). The rest is then published as fast as possible, racing
    // the re-attach.
    CompletableFuture<Void> whileOffline = new CompletableFuture<>();
    CompletableFuture<Void> whileResuming = new CompletableFuture<>();
    subscriber.connection.on(
        ConnectionEvent.disconnected,
        change ->
            completeWith(
                whileOffline,
                () -> {
                  publish.run(beforeDrop, offline);
                  for (int i = beforeDrop; i < offline; i++) {
                    succeeds(acks.get(i), "publish m" + i + " while the subscriber is offline");
                  }
                }));
    subscriber.connection.on(
        ConnectionEvent.connected,
        change ->
            completeWith(
                whileResuming,
                () -> {
                  publish.run(offline, beforeReattach);
                  for (int i = offline; i < beforeReattach; i++) {
                    succeeds(acks.get(i), "publish m" + i + " before the subscriber re-attached");
                  }
                  publish.run(beforeReattach, total);
                }));

    assertTrue(server.faults().dropConnection(idBefore), "the server knew the subscriber");
    get(whileOffline, "publishing while the subscriber is offline");
    get(whileResuming, "publishing while the subscriber resumes");
    states.await(c -> c.event == ConnectionEvent.connected, "CONNECTED again");
    assertEquals(idBefore, subscriber.connection.id, "resumed: same connection id (RTN15c6)");
    assertNull(subscriber.connection.reason, "a successful resume has no error");
    ChannelStateChange reattached =
        channelStates.await(c -> c.event == ChannelEvent.attached, "channel ATTACHED again");
    assertTrue(reattached.resumed, "ATTACHED after the resume carries RESUMED (RTL2f)");
    for (int i = 0; i < total; i++) {
      succeeds(acks.get(i), "publish m" + i);
    }

    // A sentinel: any duplicate of an earlier message would arrive before it.
    succeeds(publish(publishing, new Message("end", "end")), "publish end");
    received.await(m -> "end".equals(m.name), "the end sentinel");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      expected.add("m" + i);
    }
    expected.add("end");
    List<Message> all = received.all();
    assertEquals(expected, all.stream().map(m -> m.name).toList(), "each message once, in order");
    for (int i = 0; i < total; i++) {
      assertEquals("data-" + i, all.get(i).data);
      assertEquals(publisher.connection.id, all.get(i).connectionId);
    }
    assertEquals(
        List.of(
            ConnectionState.disconnected, ConnectionState.connecting, ConnectionState.connected),
        connectionStates(states));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aFailedResumeGivesANewConnectionWith80008AndReattachesTheChannels(Protocol protocol)
      throws Exception {
    AblyRealtime subscriber = clients.connected(protocol, "sub", server.defaultKey());
    AblyRealtime publisher = clients.connected(protocol, "pub", server.defaultKey());
    Channel subscribed = subscriber.channels.get("fresh");
    Recorder<Message> received = new Recorder<>(TIMEOUT);
    subscribed.subscribe(received::add);
    succeeds(attach(subscribed), "subscriber attach");
    Channel publishing = publisher.channels.get("fresh");
    succeeds(publish(publishing, new Message("before", "b")), "publish before");
    assertEquals("before", received.await(m -> true, "message before the drop").name);

    String idBefore = subscriber.connection.id;
    Recorder<ConnectionStateChange> states = record(subscriber.connection);
    Recorder<ChannelStateChange> channelStates = record(subscribed);
    server.faults().failNextResume();
    assertTrue(server.faults().dropConnection(idBefore), "the server knew the subscriber");

    ConnectionStateChange reconnected =
        states.await(c -> c.event == ConnectionEvent.connected, "CONNECTED again");
    assertNotNull(subscriber.connection.id);
    assertNotEquals(idBefore, subscriber.connection.id, "a failed resume gives a new connection");
    assertNotNull(reconnected.reason, "the state change says why (RTN15c7)");
    assertEquals(80008, reconnected.reason.code);
    assertNotNull(subscriber.connection.reason);
    assertEquals(80008, subscriber.connection.reason.code);
    ChannelStateChange reattached =
        channelStates.await(c -> c.event == ChannelEvent.attached, "channel ATTACHED again");
    assertFalse(reattached.resumed, "continuity was lost, so not RESUMED (RTL2f)");
    assertEquals(
        List.of(ChannelState.attaching, ChannelState.attached), channelStates(channelStates));

    succeeds(publish(publishing, new Message("after", "a")), "publish after");
    Message after = received.await(m -> true, "message after the failed resume");
    assertEquals("after", after.name);
    assertEquals("a", after.data);
    // The subscriber's own publishes work on the new connection (msgSerial restarted, RTN15c7).
    succeeds(publish(subscribed, new Message("own", "o")), "publish on the new connection");
    Message own = received.await(m -> true, "own message echoed");
    assertEquals("own", own.name);
    assertEquals(subscriber.connection.id, own.connectionId);
    assertEquals(
        List.of(
            ConnectionState.disconnected, ConnectionState.connecting, ConnectionState.connected),
        connectionStates(states));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anAttachTheCapabilityDeniesFailsTheChannelWith40160(Protocol protocol) throws Exception {
    AblyRealtime client = clients.connected(protocol, null, LIMITED_KEY);
    Channel denied = client.channels.get("denied");
    Recorder<ChannelStateChange> states = record(denied);

    ErrorInfo error = fails(attach(denied), "attach to a channel outside the capability");
    assertEquals(40160, error.code, error.toString());
    assertEquals(401, error.statusCode, error.toString());
    ChannelStateChange failed = states.await(c -> c.event == ChannelEvent.failed, "FAILED");
    assertEquals(40160, failed.reason.code);
    assertEquals(ChannelState.failed, denied.state);
    assertEquals(40160, denied.reason.code);
    assertEquals(ConnectionState.connected, client.connection.state, "only the channel failed");

    Channel granted = client.channels.get("granted");
    succeeds(attach(granted), "attach to the channel the capability grants");
    assertEquals(ChannelState.attached, granted.state);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  /** Publishes messages {@code m<from>} to {@code m<to-1>}. */
  @FunctionalInterface
  private interface PublishRange {
    void run(int from, int to) throws AblyException;
  }

  private static void assertMember(PresenceMessage member, String connectionId, Object data) {
    assertEquals(PresenceMessage.Action.present, member.action);
    assertEquals("alice", member.clientId);
    assertEquals(connectionId, member.connectionId);
    assertEquals(data, member.data);
  }
}
