package io.ably.itest.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.Connection;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener;
import io.ably.lib.realtime.ConnectionStateListener.ConnectionStateChange;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.ably.lib.types.PresenceMessage;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  /** Deadline of every wait: generous, as ably-java may first try an internet check (§4.10). */
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static final String HOST = "127.0.0.1";

  /** A key that may use channel {@code granted} only. */
  private static final TestKey LIMITED_KEY =
      new TestKey("testapp.limited", "limitedsecret", "{\"granted\":[\"*\"]}");

  /** The SDK's two wire protocols ({@code ClientOptions.useBinaryProtocol}). */
  enum Protocol {
    JSON(false),
    MSGPACK(true);

    final boolean binary;

    Protocol(boolean binary) {
      this.binary = binary;
    }
  }

  private AblyTestServer server;
  private final List<AblyRealtime> clients = new ArrayList<>();

  @BeforeEach
  void startServer() {
    server = AblyTestServer.builder().key(AblyTestServer.DEFAULT_KEY).key(LIMITED_KEY).start();
  }

  /** Closes every client (waiting for CLOSED or FAILED), then the server, pass or fail. */
  @AfterEach
  void stopEverything() throws InterruptedException {
    List<String> notClosed = new ArrayList<>();
    try {
      for (AblyRealtime client : clients) {
        CompletableFuture<Void> down = new CompletableFuture<>();
        client.connection.on(
            change -> {
              if (isTerminal(change.current)) {
                down.complete(null);
              }
            });
        if (isTerminal(client.connection.state)) {
          down.complete(null);
        }
        try {
          client.close();
          down.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
          notClosed.add(client.connection.id + " in " + client.connection.state + ": " + e);
        }
      }
    } finally {
      clients.clear();
      server.close();
    }
    assertTrue(notClosed.isEmpty(), "clients that did not close: " + notClosed);
  }

  private static boolean isTerminal(ConnectionState state) {
    return state == ConnectionState.closed || state == ConnectionState.failed;
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
    AblyRealtime client = client(protocol, "carol", server.defaultKey());
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
    AblyRealtime client = connected(protocol, null, server.defaultKey());
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
    AblyRealtime subscriber = connected(subscriberProtocol, "bob", server.defaultKey());
    AblyRealtime publisher = connected(publisherProtocol, "alice", server.defaultKey());
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
    AblyRealtime alice = connected(protocol, "alice", server.defaultKey());
    AblyRealtime bob = connected(protocol, "bob", server.defaultKey());
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
    AblyRealtime carol = connected(protocol, null, server.defaultKey());
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
    AblyRealtime subscriber = connected(protocol, "sub", server.defaultKey());
    AblyRealtime publisher = connected(protocol, "pub", server.defaultKey());
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
    AblyRealtime subscriber = connected(protocol, "sub", server.defaultKey());
    AblyRealtime publisher = connected(protocol, "pub", server.defaultKey());
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
    AblyRealtime client = connected(protocol, null, LIMITED_KEY);
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

  /** A client of this server that does not connect until told to. */
  private AblyRealtime client(Protocol protocol, String clientId, TestKey key)
      throws AblyException {
    ClientOptions options = new ClientOptions(key.keyStr());
    options.restHost = HOST;
    options.realtimeHost = HOST;
    options.port = server.port();
    options.tls = false;
    options.environment = null;
    options.useBinaryProtocol = protocol.binary;
    options.autoConnect = false;
    options.clientId = clientId;
    options.realtimeRequestTimeout = 10_000;
    options.disconnectedRetryTimeout = 1_000;
    AblyRealtime client = new AblyRealtime(options);
    clients.add(client);
    return client;
  }

  /**
   * A client of this server, CONNECTED, that has finished acting on CONNECTED.
   *
   * <p>ably-java 1.5 tells listeners about CONNECTED before it re-attaches its ATTACHING channels
   * (RTL3d, {@code ChannelBase.setConnected}, which carries a TODO about explicit attaches made
   * right after connecting). A test that attaches as soon as it hears CONNECTED races that loop:
   * its channel can be attached twice, and the second ATTACHED then lands in a later detach or
   * attach. So a probe channel is attached while CONNECTING (RTL4i: ably-java only marks it
   * ATTACHING); its ATTACH is sent from that very loop, the last step of which it is (no other
   * channel exists yet), so when its attach completes a round trip later, the loop is over and
   * the test's own channels come after it. The probe's outcome does not matter (a key without
   * access to it fails it, which is just as late).
   */
  private AblyRealtime connected(Protocol protocol, String clientId, TestKey key) throws Exception {
    AblyRealtime client = client(protocol, clientId, key);
    Channel probe = client.channels.get("interop-probe");
    CompletableFuture<ErrorInfo> probed = new CompletableFuture<>();
    CompletableFuture<ConnectionStateChange> up = new CompletableFuture<>();
    ConnectionStateListener listener =
        change -> {
          if (change.event == ConnectionEvent.connecting
              && probe.state == ChannelState.initialized) {
            try {
              probe.attach(completing(probed));
            } catch (AblyException e) {
              probed.completeExceptionally(e);
            }
          } else if (change.event == ConnectionEvent.connected) {
            up.complete(change);
          } else if (change.event == ConnectionEvent.failed) {
            up.completeExceptionally(AblyException.fromErrorInfo(change.reason));
          }
        };
    client.connection.on(listener);
    client.connection.connect();
    get(up, "CONNECTED");
    get(probed, "the probe channel's attach after CONNECTED");
    client.connection.off(listener);
    return client;
  }

  private static Recorder<ConnectionStateChange> record(Connection connection) {
    Recorder<ConnectionStateChange> recorder = new Recorder<>(TIMEOUT);
    connection.on(recorder::add);
    return recorder;
  }

  private static Recorder<ChannelStateChange> record(Channel channel) {
    Recorder<ChannelStateChange> recorder = new Recorder<>(TIMEOUT);
    channel.on(recorder::add);
    return recorder;
  }

  /** The states a connection went through, UPDATE events left out. */
  private static List<ConnectionState> connectionStates(Recorder<ConnectionStateChange> recorder) {
    return recorder.all().stream()
        .filter(c -> c.event != ConnectionEvent.update)
        .map(c -> c.current)
        .toList();
  }

  /** The states a channel went through, UPDATE events left out. */
  private static List<ChannelState> channelStates(Recorder<ChannelStateChange> recorder) {
    return recorder.all().stream()
        .filter(c -> c.event != ChannelEvent.update)
        .map(c -> c.current)
        .toList();
  }

  /** Publishes messages {@code m<from>} to {@code m<to-1>}. */
  @FunctionalInterface
  private interface PublishRange {
    void run(int from, int to) throws AblyException;
  }

  /** A step run inside an SDK listener, whose failure the test thread must see. */
  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  /** Runs the step once (later calls do nothing) and completes the future with its outcome. */
  private static void completeWith(CompletableFuture<Void> done, Step step) {
    if (done.isDone()) {
      return;
    }
    try {
      step.run();
      done.complete(null);
    } catch (Exception | AssertionError e) {
      done.completeExceptionally(e);
    }
  }

  /** Completes with {@code null} on success and with the error on failure. */
  private static CompletionListener completing(CompletableFuture<ErrorInfo> outcome) {
    return new CompletionListener() {
      @Override
      public void onSuccess() {
        outcome.complete(null);
      }

      @Override
      public void onError(ErrorInfo reason) {
        outcome.complete(reason != null ? reason : new ErrorInfo("onError without a reason", 0));
      }
    };
  }

  private static CompletableFuture<ErrorInfo> attach(Channel channel) throws AblyException {
    CompletableFuture<ErrorInfo> outcome = new CompletableFuture<>();
    channel.attach(completing(outcome));
    return outcome;
  }

  private static CompletableFuture<ErrorInfo> publish(Channel channel, Message... messages)
      throws AblyException {
    CompletableFuture<ErrorInfo> outcome = new CompletableFuture<>();
    channel.publish(messages, completing(outcome));
    return outcome;
  }

  /** {@code presence.get()} (which waits for the SYNC) on another thread, with a deadline. */
  private static PresenceMessage[] presenceGet(Channel channel) throws InterruptedException {
    return get(
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return channel.presence.get();
              } catch (AblyException e) {
                throw new CompletionException(e);
              }
            }),
        "presence.get() on " + channel.name);
  }

  private static void assertMember(PresenceMessage member, String connectionId, Object data) {
    assertEquals(PresenceMessage.Action.present, member.action);
    assertEquals("alice", member.clientId);
    assertEquals(connectionId, member.connectionId);
    assertEquals(data, member.data);
  }

  private static void succeeds(CompletableFuture<ErrorInfo> outcome, String what)
      throws InterruptedException {
    ErrorInfo error = get(outcome, what);
    if (error != null) {
      fail(what + " failed: " + error);
    }
  }

  private static ErrorInfo fails(CompletableFuture<ErrorInfo> outcome, String what)
      throws InterruptedException {
    ErrorInfo error = get(outcome, what);
    assertNotNull(error, what + " succeeded but should have failed");
    return error;
  }

  private static <T> T get(CompletableFuture<T> future, String what) throws InterruptedException {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return fail(what + ": not done within " + TIMEOUT);
    } catch (ExecutionException e) {
      return fail(what + ": " + e.getCause(), e.getCause());
    }
  }
}
