package io.ably.itest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ChannelMode;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.auth.AuthResult;
import io.ably.api.auth.Capability;
import io.ably.api.auth.TokenParams;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.rest.RestClient;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token capabilities, public and private channels (RSA6, issue #15 item 5): an anonymous
 * subscribe-only token for the {@code public:*} namespace, an identified token with every right on
 * its own private channel. A publish, attach or presence operation outside a capability fails with
 * 40160 on that channel only; the connection and the other channels go on.
 */
class CapabilityEnforcementIT {
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private AblyTestServer server;
  private RestClient backend;

  @BeforeEach
  void start() {
    server = AblyTestServer.builder().start();
    closeables.add(server);
    backend = Ably.rest(base().key(server.defaultKey().keyStr()).build());
    closeables.add(backend);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private ClientOptions.Builder base() {
    return ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static int refusal(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(stage));
    assertTrue(e.getCause() instanceof AblyException, e.toString());
    return ((AblyException) e.getCause()).code();
  }

  /** A connected client on tokens with this capability and clientId, from the backend. */
  private RealtimeClient client(Map<String, List<String>> capability, String clientId) throws Exception {
    TokenParams params = TokenParams.empty().withCapability(Capability.of(capability)).withClientId(clientId);
    RealtimeClient c =
        Ably.realtime(
            base().defaultTokenParams(params)
                .authCallback(p -> backend.auth().createTokenRequest(p, null).thenApply(r -> (AuthResult) r))
                .build());
    closeables.add(c);
    await(c.connection().whenState(ConnectionState.CONNECTED));
    return c;
  }

  @Test
  void aSubscribeOnlyTokenReceivesOnPublicChannelsButItsPublishFailsWith40160OnThatChannelOnly()
      throws Exception {
    RealtimeClient anon = client(Map.of("public:*", List.of("subscribe")), null);
    Channel news = anon.channels().get("public:news");
    BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    news.subscribe(received::add);
    await(news.whenState(ChannelState.ATTACHED));
    assertFalse(news.modes().contains(ChannelMode.PUBLISH), news.modes().toString());
    assertEquals(ErrorCode.OPERATION_NOT_PERMITTED.code(), refusal(news.publish("m", "not allowed")));
    await(backend.channels().get("public:news").publish("m", MessageData.text("hello")));
    Message m = received.poll(20, TimeUnit.SECONDS);
    assertEquals("hello", ((MessageData.Text) m.data()).value(), "still subscribed after the refusal");
    assertEquals(ChannelState.ATTACHED, news.state());
    assertEquals(ConnectionState.CONNECTED, anon.connection().state());
  }

  @Test
  void anAttachOutsideTheCapabilityFailsThatChannelWith40160AndNoOtherRSA6() throws Exception {
    RealtimeClient anon = client(Map.of("public:*", List.of("subscribe")), null);
    Channel secret = anon.channels().get("private:ann");
    assertEquals(ErrorCode.OPERATION_NOT_PERMITTED.code(), refusal(secret.attach()));
    assertEquals(ChannelState.FAILED, secret.state());
    assertEquals(ErrorCode.OPERATION_NOT_PERMITTED.code(), secret.errorReason().code());
    Channel news = anon.channels().get("public:news");
    await(news.attach());
    assertEquals(ChannelState.ATTACHED, news.state());
    assertEquals(ConnectionState.CONNECTED, anon.connection().state());
  }

  @Test
  void aTokenWithoutSubscribeOnAChannelReceivesNothingThereButDoesElsewhere() throws Exception {
    RealtimeClient writer =
        client(Map.of("drop", List.of("publish"), "public:*", List.of("subscribe")), "writer");
    Channel drop = writer.channels().get("drop");
    BlockingQueue<Message> dropped = new LinkedBlockingQueue<>();
    drop.subscribe(dropped::add);
    await(drop.whenState(ChannelState.ATTACHED));
    assertFalse(drop.modes().contains(ChannelMode.SUBSCRIBE), drop.modes().toString());
    Channel news = writer.channels().get("public:news");
    BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    news.subscribe(received::add);
    await(news.whenState(ChannelState.ATTACHED));
    await(drop.publish("m", "own")); // publishing is allowed here
    await(backend.channels().get("drop").publish("m", MessageData.text("other")));
    await(backend.channels().get("public:news").publish("m", MessageData.text("fence")));
    // Messages on one connection arrive in order: once "fence" is here, nothing came on "drop".
    assertEquals("fence", ((MessageData.Text) received.poll(20, TimeUnit.SECONDS).data()).value());
    assertTrue(dropped.isEmpty(), dropped.toString());
  }

  @Test
  void presenceOutsideTheCapabilityFailsWith40160WhileThePrivateChannelAllowsIt() throws Exception {
    RealtimeClient ann =
        client(
            Map.of("private:ann", List.of("publish", "subscribe", "presence"), "public:*", List.of("subscribe")),
            "ann");
    Channel news = ann.channels().get("public:news");
    await(news.attach());
    assertEquals(ErrorCode.OPERATION_NOT_PERMITTED.code(), refusal(news.presence().enter(MessageData.text("hi"))));
    Channel own = ann.channels().get("private:ann");
    await(own.presence().enter(MessageData.text("here")));
    await(own.publish("m", "mine"));
    assertEquals(ChannelState.ATTACHED, news.state());
    assertEquals(ConnectionState.CONNECTED, ann.connection().state());
    assertEquals("ann", ann.auth().clientId());
  }
}
