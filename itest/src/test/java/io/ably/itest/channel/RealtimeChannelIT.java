package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ChannelMode;
import io.ably.api.ChannelOptions;
import io.ably.api.CipherParams;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelEvent;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Channels between two of this project's clients on the testkit (RTL). */
class RealtimeChannelIT extends ChannelTestSupport {

  @ParameterizedTest(name = "binary protocol {0}")
  @ValueSource(booleans = {true, false})
  void textBinaryAndJsonGoFromOneClientToAnotherInOrderRTL6RTL7(boolean binary) throws Exception {
    AblyTestServer server = server();
    RealtimeClient publisher = client(options(server).useBinaryProtocol(binary).build());
    RealtimeClient subscriber = client(options(server).useBinaryProtocol(!binary).build());
    Channel in = subscriber.channels().get("chat");
    Inbox<Message> inbox = subscribe(in);
    await(in.whenState(ChannelState.ATTACHED));

    Channel out = publisher.channels().get("chat");
    PublishResult r1 = await(out.publish("greet", "héllo"));
    PublishResult r2 = await(out.publish("bin", MessageData.binary(new byte[] {0, 1, 2, (byte) 255})));
    PublishResult r3 = await(out.publish("obj", MessageData.json("{\"a\":[1,2,{\"b\":null}]}")));
    PublishResult batch = await(out.publish(List.of(Message.ofText("b1", "one"), Message.ofText("b2", "two"))));
    assertEquals(1, r1.serials().size());
    assertNotNull(r1.serials().get(0), "RTL6j: the serial the service assigned");
    assertEquals(2, batch.serials().size());

    Message text = inbox.next();
    assertEquals("greet", text.name());
    assertEquals(MessageData.text("héllo"), text.data());
    assertNull(text.encoding());
    assertEquals(r1.serials().get(0), text.serial());
    assertEquals(publisher.connection().id(), text.connectionId(), "TM2c");
    assertTrue(text.id().startsWith(publisher.connection().id() + ":"), "TM2a: " + text.id());
    assertTrue(text.timestampMillis() > 0, "TM2f");

    Message bin = inbox.next();
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, ((MessageData.Binary) bin.data()).toByteArray());
    assertEquals(r2.serials().get(0), bin.serial());
    Message obj = inbox.next();
    assertInstanceOf(MessageData.Json.class, obj.data());
    assertEquals("{\"a\":[1,2,{\"b\":null}]}", ((MessageData.Json) obj.data()).json().replace(" ", ""));
    assertEquals(r3.serials().get(0), obj.serial());
    List<Message> two = inbox.next(2);
    assertEquals(List.of("b1", "b2"), List.of(two.get(0).name(), two.get(1).name()));
    assertEquals(batch.serials(), List.of(two.get(0).serial(), two.get(1).serial()));

    assertEquals(5, publisher.metrics().messagesAcknowledged());
    assertEquals(5, out.metrics().messagesPublished());
    assertEquals(0, publisher.metrics().messagesPending());
    assertEquals(5, in.metrics().messagesReceived());
    assertEquals(1, in.metrics().attaches());
  }

  @ParameterizedTest(name = "key length {0}")
  @ValueSource(ints = {128, 256})
  void encryptedDataIsDecryptedByAHolderOfTheKeyAndLeftEncodedForOthersRSL5RSL6b(int bits) throws Exception {
    AblyTestServer server = server();
    byte[] key = new byte[bits / 8];
    new java.security.SecureRandom().nextBytes(key);
    ChannelOptions secret = ChannelOptions.builder().cipher(CipherParams.aes(key)).build();
    RealtimeClient a = client(server);
    RealtimeClient b = client(options(server).useBinaryProtocol(false).build());
    RealtimeClient c = client(server);
    Channel withKey = b.channels().get("secret", secret);
    Channel withoutKey = c.channels().get("secret");
    Inbox<Message> decrypted = subscribe(withKey);
    Inbox<Message> opaque = subscribe(withoutKey);
    await(withKey.whenState(ChannelState.ATTACHED));
    await(withoutKey.whenState(ChannelState.ATTACHED));

    Channel out = a.channels().get("secret", secret);
    await(out.publish("t", "top secret"));
    await(out.publish("j", MessageData.json("{\"k\":1}")));
    await(out.publish("b", MessageData.binary("raw".getBytes(StandardCharsets.UTF_8))));

    assertEquals(MessageData.text("top secret"), decrypted.next().data());
    assertEquals("{\"k\":1}", ((MessageData.Json) decrypted.next().data()).json());
    assertArrayEquals("raw".getBytes(StandardCharsets.UTF_8), ((MessageData.Binary) decrypted.next().data()).toByteArray());

    Message o = opaque.next();
    assertEquals("utf-8/cipher+aes-" + bits + "-cbc", o.encoding(), "RSL6b: the encoding left to undo");
    assertInstanceOf(MessageData.Binary.class, o.data());
  }

  @Test
  void attachAndDetachWalkTheStatesAndRepeatedCallsAreNoOpsRTL4RTL5() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("states");
    assertSame(ch, client.channels().get("states"), "RTS3a: the same channel object");
    assertEquals(ChannelState.INITIALIZED, ch.state());
    Inbox<ChannelStateChange> states = states(ch);
    CompletionStage<Void> first = ch.attach();
    CompletionStage<Void> second = ch.attach(); // RTL4h: waits for the same attach
    await(first);
    await(second);
    assertEquals(ChannelState.ATTACHING, states.next().current());
    ChannelStateChange attached = states.next();
    assertEquals(ChannelState.ATTACHED, attached.current());
    assertEquals(ChannelEvent.ATTACHED, attached.event());
    assertFalse(attached.resumed());
    assertEquals(Set.of(ChannelMode.PRESENCE, ChannelMode.PUBLISH, ChannelMode.SUBSCRIBE, ChannelMode.PRESENCE_SUBSCRIBE),
        ch.modes(), "RTL4m: the default modes granted");
    await(ch.attach()); // RTL4a: no-op when attached

    await(ch.detach());
    assertEquals(ChannelState.DETACHING, states.next().current());
    assertEquals(ChannelState.DETACHED, states.next().current());
    await(ch.detach()); // RTL5a
    assertEquals(ChannelState.DETACHED, ch.state());
    assertTrue(states.items.isEmpty(), "no more changes: " + states.items);
  }

  @Test
  void modesAndParamsAreSentAndTheGrantedOnesExposedRTL4kRTL4lRTL4m() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("modes",
        ChannelOptions.builder().modes(ChannelMode.SUBSCRIBE).param("delta", "vcdiff").param("unknown", "x").build());
    await(ch.attach());
    assertEquals(Set.of(ChannelMode.SUBSCRIBE), ch.modes());
    assertEquals(Map.of("delta", "vcdiff"), ch.params(), "RTL4k1: the params the service recognised");
  }

  @Test
  void rewindDeliversEarlierMessagesOnAttach() throws Exception {
    AblyTestServer server = server();
    RealtimeClient publisher = client(server);
    Channel out = publisher.channels().get("rewound");
    for (int i = 0; i < 5; i++) {
      await(out.publish("m", "n" + i));
    }
    RealtimeClient late = client(server);
    Channel in = late.channels().get("rewound", ChannelOptions.builder().rewind(2).build());
    Inbox<ChannelStateChange> states = states(in);
    Inbox<Message> inbox = subscribe(in);
    assertTrue(until(states, ChannelState.ATTACHED).hasBacklog(), "RTL2i");
    assertEquals(List.of("n3", "n4"), List.of(text(inbox.next()), text(inbox.next())));
  }

  @Test
  void anAttachDeniedByCapabilityFailsTheChannelWith40160RTL14() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder()
        .key(io.ably.itest.TestKey.parse("app.limited:secret").withCapability("{\"allowed\":[\"*\"]}")));
    RealtimeClient client = client(server);
    Channel denied = client.channels().get("denied");
    Throwable t = failure(denied.attach());
    assertEquals(ErrorCode.OPERATION_NOT_PERMITTED.code(), ((AblyException) t).code());
    assertEquals(ChannelState.FAILED, denied.state());
    assertEquals(40160, denied.errorReason().code());
    Throwable p = failure(denied.publish("x", "y"));
    assertEquals(90001, ((AblyException) p).code(), "RTL6c4: no publish on a FAILED channel");
    Throwable d = failure(denied.detach());
    assertEquals(90001, ((AblyException) d).code(), "RTL5b");
    await(client.channels().get("allowed").attach());
    assertEquals(ConnectionState.CONNECTED, client.connection().state(), "only the channel failed");
  }

  @Test
  void publishesMadeBeforeTheConnectionIsUpAreQueuedAndSentInOrderRTL6c2() throws Exception {
    AblyTestServer server = server();
    RealtimeClient subscriber = client(server);
    Channel in = subscriber.channels().get("queued");
    Inbox<Message> inbox = subscribe(in);
    await(in.whenState(ChannelState.ATTACHED));

    RealtimeClient publisher = client(options(server).autoConnect(false).build());
    Channel out = publisher.channels().get("queued");
    List<CompletionStage<PublishResult>> stages = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      stages.add(out.publish("q", "m" + i));
    }
    await(publisher.connection().whenState(ConnectionState.INITIALIZED)); // a loop round trip
    assertEquals(10, publisher.metrics().messagesPending());
    publisher.connection().connect();
    for (CompletionStage<PublishResult> s : stages) {
      await(s);
    }
    for (int i = 0; i < 10; i++) {
      assertEquals("m" + i, text(inbox.next()));
    }
    assertEquals(ChannelState.INITIALIZED, out.state(), "RTL6c5: publishing never attaches");
  }

  @Test
  void aMessageLargerThanTheServiceAllowsFailsBeforeSendingWith40009RSL1i() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder().maxMessageSize(1000));
    RealtimeClient client = client(server);
    await(client.connection().whenState(ConnectionState.CONNECTED));
    Channel ch = client.channels().get("big");
    Throwable t = failure(ch.publish("big", "x".repeat(1001)));
    assertEquals(40009, ((AblyException) t).code());
    assertEquals(413, ((AblyException) t).errorInfo().statusCode());
    await(ch.publish("small", "x".repeat(900)));
    assertEquals(1, client.metrics().messagesRefused());
    assertEquals(1, client.metrics().messagesAcknowledged());
  }

  @Test
  void aNackFailsExactlyThePublishItNamesRTN7() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("nacked");
    await(ch.attach());
    Inbox<Message> inbox = subscribe(ch);
    await(ch.publish("before", "ok"));
    server.faults().nackNextPublish(ErrorInfo.of(ErrorCode.RATE_LIMIT_EXCEEDED, "slow down"));
    CompletionStage<PublishResult> refused = ch.publish("refused", "no");
    CompletionStage<PublishResult> after = ch.publish("after", "ok");
    Throwable t = failure(refused);
    assertEquals(42910, ((AblyException) t).code());
    assertNotNull(await(after).serials().get(0));
    assertEquals(List.of("before", "after"), List.of(inbox.next().name(), inbox.next().name()));
    assertEquals(1, ch.metrics().messagesRefused());
    assertEquals(2, ch.metrics().messagesAcknowledged());
  }

  @Test
  void anAttachWithoutAnswerSuspendsTheChannelThenItRecoversRTL4fRTL13b() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(options(server)
        .realtimeRequestTimeout(Duration.ofMillis(500))
        .channelRetryTimeout(Duration.ofMillis(300))
        .build());
    await(client.connection().whenState(ConnectionState.CONNECTED));
    Channel ch = client.channels().get("slow");
    Inbox<ChannelStateChange> states = states(ch);
    server.faults().blackholeInbound(true);
    Throwable t = failure(ch.attach());
    assertEquals(90007, ((AblyException) t).code(), "RTL4f");
    ChannelStateChange suspended = until(states, ChannelState.SUSPENDED);
    assertEquals(90007, suspended.reason().code());
    Throwable p = failure(ch.publish("x", "y"));
    assertEquals(90001, ((AblyException) p).code(), "RTL6c4: no publish on a SUSPENDED channel");

    server.faults().blackholeInbound(false);
    until(states, ChannelState.ATTACHED); // RTL13b: retried after channelRetryTimeout
    await(ch.publish("x", "y"));
  }

  @Test
  void aThrowingSubscriberIsCountedAndIsolatedFromOthers() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("isolated");
    ch.subscribe(m -> {
      throw new IllegalStateException("listener bug");
    });
    Inbox<Message> all = subscribe(ch);
    Inbox<Message> named = new Inbox<>();
    ch.subscribe("wanted", named::add);
    Inbox<Message> filtered = new Inbox<>();
    ch.subscribe(m -> m.data() instanceof MessageData.Binary, filtered::add);
    await(ch.whenState(ChannelState.ATTACHED));
    await(ch.publish("other", "1"));
    await(ch.publish("wanted", "2"));
    await(ch.publish("other", MessageData.binary(new byte[] {3})));
    assertEquals(List.of("1", "2"), List.of(text(all.next()), text(all.next())));
    all.next();
    assertEquals("2", text(named.next()));
    assertArrayEquals(new byte[] {3}, ((MessageData.Binary) filtered.next().data()).toByteArray());
    assertEquals(3, ch.metrics().listenerErrors());
    assertEquals(3, client.metrics().listenerErrors());
    assertTrue(named.items.isEmpty() && filtered.items.isEmpty());
  }

  @Test
  void anUnsubscribedListenerGetsNothingMore() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("unsub");
    Inbox<Message> kept = subscribe(ch);
    Inbox<Message> dropped = new Inbox<>();
    io.ably.api.Subscription s = ch.subscribe(dropped::add);
    await(ch.whenState(ChannelState.ATTACHED));
    await(ch.publish("a", "1"));
    assertEquals("1", text(dropped.next()));
    s.close();
    await(ch.publish("b", "2"));
    assertEquals(List.of("1", "2"), List.of(text(kept.next()), text(kept.next())));
    assertTrue(dropped.items.isEmpty());
  }

  @Test
  void releaseDetachesAndForgetsTheChannelRTS4() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("released");
    await(ch.attach());
    assertTrue(client.channels().exists("released"));
    await(client.channels().release("released"));
    assertEquals(ChannelState.DETACHED, ch.state());
    assertFalse(client.channels().exists("released"));
    assertEquals(90001, ((AblyException) failure(ch.attach())).code());
    Channel fresh = client.channels().get("released");
    assertTrue(fresh != ch);
    await(fresh.attach());
    assertEquals(1, client.metrics().channels());
  }

  @Test
  void optionsThatChangeTheAttachmentOfAnAttachedChannelAreRefusedRTS3c1() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("opts");
    await(ch.attach());
    AblyException e = assertThrows(AblyException.class,
        () -> client.channels().get("opts", ChannelOptions.builder().rewind(1).build()));
    assertEquals(40000, e.code());
    assertThrows(AblyException.class, () -> client.channels().get(""));
  }

  static String text(Message m) {
    return ((MessageData.Text) m.data()).value();
  }
}
