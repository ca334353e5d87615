package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.itest.AblyTestServer;
import io.ably.itest.TestKey;
import io.ably.wire.Action;
import io.ably.wire.Flag;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The testkit server at the protocol level, driven by a bare WebSocket client. */
class TestkitRealtimeIT {
  private static final String KEY = AblyTestServer.DEFAULT_KEY;
  private static final String QUERY = "key=" + KEY.replace(":", "%3A");

  private AblyTestServer server;

  @BeforeEach
  void start() {
    server =
        AblyTestServer.builder()
            .key(KEY)
            .key(new TestKey("testapp.sub", "subsecret", "{\"*\":[\"subscribe\"]}"))
            .maxIdleInterval(Duration.ofMillis(600))
            .presenceLeaveDelay(Duration.ofMillis(200))
            .maxMessageSize(1000)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawClient connect(WireFormat format) throws Exception {
    return RawClient.connect(server.port(), QUERY, format);
  }

  private static ProtocolMessage awaitAction(RawClient c, Action action) throws InterruptedException {
    return c.await(pm -> pm.action() == action);
  }

  private static ProtocolMessage attach(RawClient c, String channel) throws InterruptedException {
    c.send(ProtocolMessage.builder(Action.ATTACH).channel(channel).build());
    return c.await(pm -> pm.action() == Action.ATTACHED && channel.equals(pm.channel()));
  }

  private static ProtocolMessage publish(RawClient c, String channel, long msgSerial, Message... m) {
    ProtocolMessage pm =
        ProtocolMessage.builder(Action.MESSAGE)
            .channel(channel)
            .msgSerial(msgSerial)
            .messages(List.of(m))
            .build();
    c.send(pm);
    return pm;
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void connectWithAKeyGetsConnectedWithFullConnectionDetails(WireFormat format) throws Exception {
    try (RawClient c = connect(format)) {
      ProtocolMessage connected = c.next();
      assertEquals(Action.CONNECTED, connected.action());
      assertNotNull(connected.connectionId());
      assertNotNull(connected.connectionDetails());
      assertTrue(connected.connectionDetails().connectionKey().startsWith(connected.connectionId() + "!"));
      assertEquals(1000L, connected.connectionDetails().maxMessageSize());
      assertEquals(600L, connected.connectionDetails().maxIdleIntervalMillis());
      assertEquals(120_000L, connected.connectionDetails().connectionStateTtlMillis());
      assertNull(connected.error());
    }
  }

  @Test
  void aWrongSecretIsRefusedWithAConnectionErrorAndTheSocketClosed() throws Exception {
    try (RawClient c = RawClient.connect(server.port(), "key=testapp.key1%3Awrong", WireFormat.JSON)) {
      ProtocolMessage error = c.next();
      assertEquals(Action.ERROR, error.action());
      assertNull(error.channel(), "a connection error must not name a channel");
      assertTrue(error.error().is(ErrorCode.INVALID_CREDENTIALS), error.error().toString());
      c.awaitClosed();
    }
  }

  @Test
  void aHeartbeatPingIsEchoedWithItsIdRTN13() throws Exception {
    try (RawClient c = connect(WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      c.send(ProtocolMessage.builder(Action.HEARTBEAT).id("ping-42").build());
      ProtocolMessage pong = c.await(pm -> pm.action() == Action.HEARTBEAT && pm.id() != null);
      assertEquals("ping-42", pong.id());
    }
  }

  @Test
  void theServerSendsHeartbeatsWithinMaxIdleIntervalUnlessStoppedRTN23() throws Exception {
    try (RawClient c = connect(WireFormat.MSGPACK)) {
      awaitAction(c, Action.CONNECTED);
      awaitAction(c, Action.HEARTBEAT);
      awaitAction(c, Action.HEARTBEAT);
    }
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void aPublishIsAcknowledgedWithSerialsAndFannedOutWithIdsAndSerials(WireFormat format) throws Exception {
    try (RawClient subscriber = connect(WireFormat.JSON); RawClient publisher = connect(format)) {
      awaitAction(subscriber, Action.CONNECTED);
      ProtocolMessage pubConnected = awaitAction(publisher, Action.CONNECTED);
      ProtocolMessage attached = attach(subscriber, "chat");
      assertTrue(Flag.SUBSCRIBE.isSet(attached.flags()));
      assertTrue(Flag.PUBLISH.isSet(attached.flags()));

      publish(publisher, "chat", 0, Message.ofText("greet", "hi"), Message.of("bin", MessageData.binary(new byte[] {1, 2, 3})));
      ProtocolMessage ack = awaitAction(publisher, Action.ACK);
      assertEquals(0L, ack.msgSerial());
      assertEquals(1, ack.count());
      assertEquals(2, ack.res().get(0).serials().size());

      ProtocolMessage delivered = awaitAction(subscriber, Action.MESSAGE);
      assertEquals(pubConnected.connectionId() + ":0", delivered.id());
      assertEquals(pubConnected.connectionId(), delivered.connectionId());
      assertNotNull(delivered.timestampMillis());
      assertNotNull(delivered.channelSerial());
      assertEquals(ack.res().get(0).serials(), delivered.messages().stream().map(Message::serial).toList());
      assertEquals(MessageData.text("hi"), delivered.messages().get(0).data());
      assertEquals(MessageData.binary(new byte[] {1, 2, 3}), delivered.messages().get(1).data());
    }
  }

  @Test
  void echoFalseKeepsAConnectionsOwnMessagesFromIt() throws Exception {
    try (RawClient c = RawClient.connect(server.port(), QUERY + "&echo=false", WireFormat.JSON);
        RawClient other = connect(WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      awaitAction(other, Action.CONNECTED);
      attach(c, "echo");
      attach(other, "echo");
      publish(c, "echo", 0, Message.ofText("mine", "1"));
      awaitAction(c, Action.ACK);
      publish(other, "echo", 0, Message.ofText("theirs", "2"));
      ProtocolMessage first = awaitAction(c, Action.MESSAGE);
      assertEquals("theirs", first.messages().get(0).name(), "own message must not come back");
    }
  }

  @Test
  void aResendOfAnAcknowledgedSerialIsAcknowledgedAgainButPublishedOnceRTN19a() throws Exception {
    try (RawClient sub = connect(WireFormat.JSON); RawClient pub = connect(WireFormat.JSON)) {
      awaitAction(sub, Action.CONNECTED);
      awaitAction(pub, Action.CONNECTED);
      attach(sub, "dedupe");
      publish(pub, "dedupe", 0, Message.ofText("a", "once"));
      ProtocolMessage firstAck = awaitAction(pub, Action.ACK);
      publish(pub, "dedupe", 0, Message.ofText("a", "once"));
      ProtocolMessage secondAck = awaitAction(pub, Action.ACK);
      assertEquals(firstAck.res(), secondAck.res());
      publish(pub, "dedupe", 1, Message.ofText("b", "next"));
      awaitAction(pub, Action.ACK);
      assertEquals("a", awaitAction(sub, Action.MESSAGE).messages().get(0).name());
      assertEquals("b", awaitAction(sub, Action.MESSAGE).messages().get(0).name(), "no duplicate of a");
    }
  }

  @Test
  void aResumeWithALiveKeyKeepsTheIdAndReplaysFromTheChannelSerialWithResumedRTN15c6() throws Exception {
    ProtocolMessage connected;
    String channelSerial;
    try (RawClient sub = connect(WireFormat.MSGPACK); RawClient pub = connect(WireFormat.JSON)) {
      connected = awaitAction(sub, Action.CONNECTED);
      awaitAction(pub, Action.CONNECTED);
      channelSerial = attach(sub, "resume").channelSerial();
      server.faults().dropConnection(connected.connectionId());
      sub.awaitClosed();
      publish(pub, "resume", 0, Message.ofText("missed", "while away"));
      awaitAction(pub, Action.ACK);
    }
    String query = QUERY + "&resume=" + connected.connectionDetails().connectionKey().replace("!", "%21");
    try (RawClient again = RawClient.connect(server.port(), query, WireFormat.MSGPACK)) {
      ProtocolMessage resumed = awaitAction(again, Action.CONNECTED);
      assertEquals(connected.connectionId(), resumed.connectionId());
      assertNull(resumed.error());
      again.send(ProtocolMessage.builder(Action.ATTACH).channel("resume").channelSerial(channelSerial).build());
      ProtocolMessage attached = awaitAction(again, Action.ATTACHED);
      assertTrue(attached.has(Flag.RESUMED));
      assertTrue(attached.has(Flag.HAS_BACKLOG));
      assertEquals("missed", awaitAction(again, Action.MESSAGE).messages().get(0).name());
    }
  }

  @Test
  void anAttachFromAMessageSerialResumesStrictlyAfterThatMessageInsideItsProtocolMessageRTL4c1() throws Exception {
    ProtocolMessage connected;
    String secondSerial;
    try (RawClient sub = connect(WireFormat.JSON); RawClient pub = connect(WireFormat.JSON)) {
      connected = awaitAction(sub, Action.CONNECTED);
      awaitAction(pub, Action.CONNECTED);
      attach(sub, "partial");
      publish(pub, "partial", 0, Message.ofText("a", "1"), Message.ofText("b", "2"), Message.ofText("c", "3"));
      awaitAction(pub, Action.ACK);
      secondSerial = awaitAction(sub, Action.MESSAGE).messages().get(1).serial(); // processed a and b
      server.faults().dropConnection(connected.connectionId());
      sub.awaitClosed();
      publish(pub, "partial", 1, Message.ofText("d", "4"));
      awaitAction(pub, Action.ACK);
    }
    String query = QUERY + "&resume=" + connected.connectionDetails().connectionKey().replace("!", "%21");
    try (RawClient again = RawClient.connect(server.port(), query, WireFormat.JSON)) {
      awaitAction(again, Action.CONNECTED);
      again.send(ProtocolMessage.builder(Action.ATTACH).channel("partial").channelSerial(secondSerial).build());
      ProtocolMessage attached = awaitAction(again, Action.ATTACHED);
      assertTrue(attached.has(Flag.RESUMED));
      assertEquals(secondSerial, attached.channelSerial(), "the attach point is where it resumes");
      ProtocolMessage rest = awaitAction(again, Action.MESSAGE);
      assertEquals(List.of("c"), rest.messages().stream().map(Message::name).toList(), "after b, within its message");
      assertEquals("d", awaitAction(again, Action.MESSAGE).messages().get(0).name());
    }
  }

  @Test
  void aFailedResumeGivesANewConnectionIdAndError80008RTN15c7() throws Exception {
    String key;
    String id;
    try (RawClient c = connect(WireFormat.JSON)) {
      ProtocolMessage connected = awaitAction(c, Action.CONNECTED);
      key = connected.connectionDetails().connectionKey();
      id = connected.connectionId();
    }
    server.faults().failNextResume();
    try (RawClient again = RawClient.connect(server.port(), QUERY + "&resume=" + key.replace("!", "%21"), WireFormat.JSON)) {
      ProtocolMessage connected = awaitAction(again, Action.CONNECTED);
      assertNotEquals(id, connected.connectionId());
      assertTrue(connected.error().is(ErrorCode.RESUME_FAILED), connected.error().toString());
    }
  }

  @Test
  void closeIsAnsweredWithClosedAndTheSocketClosedRTN12() throws Exception {
    try (RawClient c = connect(WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      c.send(ProtocolMessage.builder(Action.CLOSE).build());
      awaitAction(c, Action.CLOSED);
      c.awaitClosed();
    }
  }

  @Test
  void anAttachTheCapabilityDeniesFailsTheChannelWith40160AndAPublishIsNacked() throws Exception {
    try (RawClient c = RawClient.connect(server.port(), "key=testapp.sub%3Asubsecret", WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      ProtocolMessage attached = attach(c, "readonly");
      assertTrue(Flag.SUBSCRIBE.isSet(attached.flags()));
      assertFalse(Flag.PUBLISH.isSet(attached.flags()), "publish mode must not be granted");
      publish(c, "readonly", 0, Message.ofText("x", "y"));
      ProtocolMessage nack = awaitAction(c, Action.NACK);
      assertEquals(0L, nack.msgSerial());
      assertTrue(nack.error().is(ErrorCode.OPERATION_NOT_PERMITTED));
    }
    try (AblyTestServer narrow =
            AblyTestServer.builder().key(new TestKey("app.k", "s", "{\"allowed\":[\"*\"]}")).start();
        RawClient c = RawClient.connect(narrow.port(), "key=app.k%3As", WireFormat.MSGPACK)) {
      awaitAction(c, Action.CONNECTED);
      c.send(ProtocolMessage.builder(Action.ATTACH).channel("denied").build());
      ProtocolMessage error = awaitAction(c, Action.ERROR);
      assertEquals("denied", error.channel());
      assertTrue(error.error().is(ErrorCode.OPERATION_NOT_PERMITTED));
      assertTrue(c.isOpen(), "a channel error leaves the connection open");
    }
  }

  @Test
  void aPublishOverMaxMessageSizeIsNackedWith40009() throws Exception {
    try (RawClient c = connect(WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      publish(c, "big", 0, Message.ofText("big", "x".repeat(1001)));
      ProtocolMessage nack = awaitAction(c, Action.NACK);
      assertTrue(nack.error().is(ErrorCode.MESSAGE_TOO_LARGE));
      assertEquals(413, nack.error().statusCode());
    }
  }

  @Test
  void presenceEnterIsBroadcastSyncedToLateAttachersAndLeftOnClose() throws Exception {
    try (RawClient member = RawClient.connect(server.port(), QUERY + "&clientId=alice", WireFormat.JSON);
        RawClient watcher = connect(WireFormat.MSGPACK)) {
      ProtocolMessage memberConnected = awaitAction(member, Action.CONNECTED);
      assertEquals("alice", memberConnected.connectionDetails().clientId());
      awaitAction(watcher, Action.CONNECTED);
      attach(member, "room");
      attach(watcher, "room");
      member.send(
          ProtocolMessage.builder(Action.PRESENCE)
              .channel("room")
              .msgSerial(0L)
              .presence(List.of(PresenceMessage.of(PresenceAction.ENTER, null, MessageData.text("hello"))))
              .build());
      awaitAction(member, Action.ACK);
      ProtocolMessage entered = awaitAction(watcher, Action.PRESENCE);
      assertEquals(PresenceAction.ENTER, entered.presence().get(0).action());
      assertEquals("alice", entered.presence().get(0).clientId());

      try (RawClient late = connect(WireFormat.JSON)) {
        awaitAction(late, Action.CONNECTED);
        ProtocolMessage attached = attach(late, "room");
        assertTrue(attached.has(Flag.HAS_PRESENCE));
        ProtocolMessage sync = awaitAction(late, Action.SYNC);
        assertTrue(sync.channelSerial().endsWith(":"), "a one-page sync ends its cursor with ':'");
        assertEquals(PresenceAction.PRESENT, sync.presence().get(0).action());
        assertEquals("alice", sync.presence().get(0).clientId());
      }

      member.send(ProtocolMessage.builder(Action.CLOSE).build());
      ProtocolMessage left = watcher.await(pm -> pm.action() == Action.PRESENCE
          && pm.presence().get(0).action() == PresenceAction.LEAVE);
      assertEquals("alice", left.presence().get(0).clientId());
      assertFalse(left.presence().get(0).id().startsWith(memberConnected.connectionId()),
          "a synthesized leave's id must not start with the member's connection id (RTP2b1)");
    }
  }

  @Test
  void presenceWithoutAClientIdIsNackedWith91000() throws Exception {
    try (RawClient c = connect(WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      c.send(
          ProtocolMessage.builder(Action.PRESENCE)
              .channel("room")
              .msgSerial(0L)
              .presence(List.of(PresenceMessage.of(PresenceAction.ENTER, null, null)))
              .build());
      assertTrue(awaitAction(c, Action.NACK).error().is(ErrorCode.PRESENCE_CLIENT_ID_REQUIRED));
    }
  }

  @Test
  void malformedFramesGetAProtocolErrorAndOtherConnectionsCarryOn() throws Exception {
    try (RawClient bad = connect(WireFormat.JSON); RawClient good = connect(WireFormat.JSON)) {
      awaitAction(bad, Action.CONNECTED);
      awaitAction(good, Action.CONNECTED);
      bad.sendRaw("{\"action\":15,\"messages\":[{\"data\":".getBytes(StandardCharsets.UTF_8));
      ProtocolMessage error = awaitAction(bad, Action.ERROR);
      assertNull(error.channel());
      assertTrue(error.error().is(ErrorCode.PROTOCOL_ERROR));
      bad.awaitClosed();
      good.send(ProtocolMessage.builder(Action.HEARTBEAT).id("still-here").build());
      assertEquals("still-here", good.await(pm -> pm.action() == Action.HEARTBEAT && pm.id() != null).id());
    }
  }

  @Test
  void unknownActionsAndServerOnlyActionsFromAClientAreProtocolErrors() throws Exception {
    try (RawClient c = connect(WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      c.sendRaw("{\"action\":99}".getBytes(StandardCharsets.UTF_8));
      assertTrue(awaitAction(c, Action.ERROR).error().is(ErrorCode.PROTOCOL_ERROR));
      c.awaitClosed();
    }
    try (RawClient c = connect(WireFormat.MSGPACK)) {
      awaitAction(c, Action.CONNECTED);
      c.send(ProtocolMessage.builder(Action.CONNECTED).build());
      assertTrue(awaitAction(c, Action.ERROR).error().is(ErrorCode.PROTOCOL_ERROR));
    }
  }

  @Test
  void aHostileMsgpackLengthHeaderIsRefusedWithoutHarmingTheServer() throws Exception {
    try (RawClient c = connect(WireFormat.MSGPACK)) {
      awaitAction(c, Action.CONNECTED);
      // fixmap{ "messages": array32 claiming 2^31-1 elements }
      byte[] hostile = {(byte) 0x81, (byte) 0xa8, 'm', 'e', 's', 's', 'a', 'g', 'e', 's',
          (byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
      c.sendRaw(hostile);
      assertTrue(awaitAction(c, Action.ERROR).error().is(ErrorCode.PROTOCOL_ERROR));
    }
    try (RawClient after = connect(WireFormat.MSGPACK)) {
      awaitAction(after, Action.CONNECTED);
    }
  }

  @Test
  void faultsCanRefuseTheNextConnectAttachAndPublish() throws Exception {
    server.faults().failNextConnect(ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "injected"));
    try (RawClient c = connect(WireFormat.JSON)) {
      ProtocolMessage error = awaitAction(c, Action.ERROR);
      assertEquals(50000, error.error().code());
    }
    server.faults().failNextAttach(ErrorInfo.of(ErrorCode.OPERATION_NOT_PERMITTED, "no"));
    server.faults().nackNextPublish(ErrorInfo.of(ErrorCode.INTERNAL_CHANNEL_ERROR, "nope"));
    try (RawClient c = connect(WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      c.send(ProtocolMessage.builder(Action.ATTACH).channel("x").build());
      assertEquals("x", awaitAction(c, Action.ERROR).channel());
      publish(c, "x", 0, Message.ofText("a", "b"));
      assertEquals(50001, awaitAction(c, Action.NACK).error().code());
      publish(c, "x", 1, Message.ofText("a", "b"));
      assertEquals(1L, awaitAction(c, Action.ACK).msgSerial());
    }
  }

  @Test
  void rewindReplaysTheLastMessagesOnACleanAttach() throws Exception {
    try (RawClient pub = connect(WireFormat.JSON)) {
      awaitAction(pub, Action.CONNECTED);
      for (int i = 0; i < 3; i++) {
        publish(pub, "rewind", i, Message.ofText("m" + i, "d"));
        awaitAction(pub, Action.ACK);
      }
    }
    try (RawClient late = connect(WireFormat.MSGPACK)) {
      awaitAction(late, Action.CONNECTED);
      late.send(ProtocolMessage.builder(Action.ATTACH).channel("rewind").params(Map.of("rewind", "2", "ignored", "x")).build());
      ProtocolMessage attached = awaitAction(late, Action.ATTACHED);
      assertEquals(Map.of("rewind", "2"), attached.params(), "only recognised params are echoed");
      assertTrue(attached.has(Flag.HAS_BACKLOG));
      assertEquals("m1", awaitAction(late, Action.MESSAGE).messages().get(0).name());
      assertEquals("m2", awaitAction(late, Action.MESSAGE).messages().get(0).name());
    }
  }
}
