package io.ably.itest.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.ChannelOptions;
import io.ably.api.CipherParams;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.Direction;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.HttpPaginatedResponse;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.rest.RestChannel;
import io.ably.api.rest.RestClient;
import io.ably.itest.AblyTestServer;
import io.ably.itest.TestKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST client against the testkit (RSC, RSL, TG, HP), in JSON and MessagePack: time, publish
 * and history with every data type, idempotent ids, pagination both ways, the lazy page walk,
 * encryption and an undecodable message, errors, and raw requests.
 */
class RestClientIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static AblyTestServer server;

  @BeforeAll
  static void start() {
    server =
        AblyTestServer.builder()
            .key(AblyTestServer.DEFAULT_KEY)
            .key(new TestKey("testapp.ro", "s3", "{\"*\":[\"subscribe\"]}"))
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static ClientOptions.Builder options(boolean binary) {
    return ClientOptions.builder()
        .key(server.defaultKey().keyStr())
        .host("127.0.0.1")
        .port(server.port())
        .tls(false)
        .useBinaryProtocol(binary);
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static AblyException failure(CompletionStage<?> stage) {
    Exception e =
        assertThrows(Exception.class, () -> stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    return assertInstanceOf(AblyException.class, e.getCause(), () -> "not an AblyException: " + e);
  }

  private static String channelName(String test, boolean binary) {
    return test + "-" + (binary ? "msgpack" : "json") + "-" + System.nanoTime();
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void timeIsTheServersClockRSC16(boolean binary) throws Exception {
    try (RestClient rest = Ably.rest(options(binary).build())) {
      Instant before = Instant.now().minusSeconds(5);
      Instant t = await(rest.time());
      assertTrue(t.isAfter(before) && t.isBefore(Instant.now().plusSeconds(5)), () -> "time " + t);
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void publishedTextJsonAndBinaryComeBackFromHistoryInOrderRSL1RSL2(boolean binary) throws Exception {
    try (RestClient rest = Ably.rest(options(binary).build())) {
      RestChannel ch = rest.channels().get(channelName("types", binary));
      byte[] bytes = {0, 1, 2, (byte) 0xff};
      PublishResult one = await(ch.publish("text", "héllo"));
      assertEquals(1, one.serials().size());
      assertNotNull(one.serials().get(0));
      await(ch.publish("json", MessageData.json("{\"a\":[1,2]}")));
      PublishResult two =
          await(
              ch.publish(
                  List.of(
                      Message.builder().name("bin").binary(bytes).build(),
                      Message.builder().name("extras").text("x").extras("{\"headers\":{\"k\":\"v\"}}").build())));
      assertEquals(2, two.serials().size());

      PaginatedResult<Message> page =
          await(ch.history(HistoryParams.defaults().direction(Direction.FORWARDS)));
      List<Message> items = page.items();
      assertEquals(List.of("text", "json", "bin", "extras"), items.stream().map(Message::name).toList());
      assertEquals(MessageData.text("héllo"), items.get(0).data());
      assertEquals(MessageData.json("{\"a\":[1,2]}"), items.get(1).data());
      assertArrayEquals(bytes, ((MessageData.Binary) items.get(2).data()).toByteArray());
      assertEquals("{\"headers\":{\"k\":\"v\"}}", items.get(3).extras());
      for (Message m : items) {
        assertNull(m.encoding(), () -> "left encoded: " + m);
        assertTrue(m.timestampMillis() > 0);
      }
      assertTrue(page.isLast());
      assertFalse(page.hasNext());
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void messagesWithoutIdsGetIdempotentIdsOfNineRandomBytesAndAnIndexRSL1k1(boolean binary) throws Exception {
    try (RestClient rest = Ably.rest(options(binary).build())) {
      RestChannel ch = rest.channels().get(channelName("ids", binary));
      await(ch.publish(List.of(Message.ofText("a", "1"), Message.ofText("b", "2"))));
      await(ch.publish(Message.builder().id("mine:7").name("c").text("3").build()));
      List<Message> items =
          await(ch.history(HistoryParams.defaults().direction(Direction.FORWARDS))).items();
      assertEquals(3, items.size());
      String base = items.get(0).id().substring(0, items.get(0).id().indexOf(':'));
      assertEquals(12, base.length(), "base64 of 9 bytes");
      assertEquals(9, java.util.Base64.getDecoder().decode(base).length);
      assertEquals(base + ":0", items.get(0).id());
      assertEquals(base + ":1", items.get(1).id());
      assertEquals("mine:7", items.get(2).id(), "an id the user set is kept (RSL1k3)");
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void historyPagesAcrossSixPagesForwardsAndBackwardsWithFirstTG4TG5(boolean binary) throws Exception {
    try (RestClient rest = Ably.rest(options(binary).build())) {
      RestChannel ch = rest.channels().get(channelName("pages", binary));
      List<Message> batch = new ArrayList<>();
      for (int i = 0; i < 27; i++) {
        batch.add(Message.ofText("m", Integer.toString(i)));
      }
      await(ch.publish(batch));

      for (Direction d : Direction.values()) {
        List<String> seen = new ArrayList<>();
        int pages = 0;
        PaginatedResult<Message> page = await(ch.history(HistoryParams.defaults().limit(5).direction(d)));
        PaginatedResult<Message> firstPage = page;
        while (true) {
          pages++;
          assertTrue(page.items().size() <= 5);
          page.items().forEach(m -> seen.add(((MessageData.Text) m.data()).value()));
          if (page.isLast()) {
            break;
          }
          page = await(page.next());
        }
        assertEquals(6, pages, d + ": 27 messages in pages of 5");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 27; i++) {
          expected.add(Integer.toString(d == Direction.FORWARDS ? i : 26 - i));
        }
        assertEquals(expected, seen, d.toString());
        PaginatedResult<Message> again = await(page.first());
        assertEquals(
            firstPage.items().stream().map(Message::id).toList(),
            again.items().stream().map(Message::id).toList(),
            "first() returns the first page again");
        PaginatedResult<Message> beyond = await(page.next());
        assertTrue(beyond.items().isEmpty() && beyond.isLast(), "next() of the last page is empty");
      }
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void allWalksEveryPageLazilyAsItsSubscriberAsksTG(boolean binary) throws Exception {
    try (RestClient rest = Ably.rest(options(binary).build())) {
      RestChannel ch = rest.channels().get(channelName("walk", binary));
      List<Message> batch = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        batch.add(Message.ofText("m", Integer.toString(i)));
      }
      await(ch.publish(batch));
      PaginatedResult<Message> first =
          await(ch.history(HistoryParams.defaults().limit(4).direction(Direction.FORWARDS)));
      long requestsBefore = rest.metrics().requests();
      List<String> got = new ArrayList<>();
      CompletableFuture<Void> done = new CompletableFuture<>();
      CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
      first.all()
          .subscribe(
              new Flow.Subscriber<Message>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                  subscribed.complete(s);
                }

                @Override
                public void onNext(Message m) {
                  got.add(((MessageData.Text) m.data()).value());
                  if (got.size() == 5) {
                    done.complete(null); // stop asking: the rest must not be fetched
                  }
                }

                @Override
                public void onError(Throwable t) {
                  done.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                  done.complete(null);
                }
              });
      Flow.Subscription s = await(subscribed);
      s.request(5);
      await(done);
      assertEquals(List.of("0", "1", "2", "3", "4"), got);
      // Demand 5 over pages of 4: exactly one more page was fetched.
      assertEquals(requestsBefore + 1, rest.metrics().requests());

      CompletableFuture<Void> all = new CompletableFuture<>();
      List<String> every = new ArrayList<>();
      first.all()
          .subscribe(
              new Flow.Subscriber<Message>() {
                @Override
                public void onSubscribe(Flow.Subscription sub) {
                  sub.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Message m) {
                  every.add(((MessageData.Text) m.data()).value());
                }

                @Override
                public void onError(Throwable t) {
                  all.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                  all.complete(null);
                }
              });
      await(all);
      assertEquals(12, every.size());
      assertEquals("11", every.get(11));
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void encryptedMessagesReadBackWithTheKeyAndStayEncodedWithoutItRSL5RSL6b(boolean binary) throws Exception {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) i;
    }
    String name = channelName("secret", binary);
    try (RestClient rest = Ably.rest(options(binary).build())) {
      RestChannel secret =
          rest.channels().get(name, ChannelOptions.builder().cipher(CipherParams.aes(key)).build());
      await(secret.publish("t", "plain text"));
      await(secret.publish("j", MessageData.json("{\"x\":1}")));
      await(secret.publish("b", MessageData.binary(new byte[] {9, 8, 7})));
      List<Message> read =
          await(secret.history(HistoryParams.defaults().direction(Direction.FORWARDS))).items();
      assertEquals(MessageData.text("plain text"), read.get(0).data());
      assertEquals(MessageData.json("{\"x\":1}"), read.get(1).data());
      assertArrayEquals(new byte[] {9, 8, 7}, ((MessageData.Binary) read.get(2).data()).toByteArray());

      long failuresBefore = rest.metrics().decodeFailures();
      List<Message> opaque =
          await(rest.channels().get(name).history(HistoryParams.defaults().direction(Direction.FORWARDS)))
              .items();
      assertEquals(3, opaque.size(), "an undecodable message is returned, never dropped (RSL6b)");
      for (Message m : opaque) {
        assertNotNull(m.encoding());
        assertTrue(m.encoding().contains("cipher+aes-256-cbc"), m.encoding());
        assertInstanceOf(MessageData.Binary.class, m.data());
      }
      assertEquals(failuresBefore + 3, rest.metrics().decodeFailures());
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void serviceErrorsCarryTheirCodeAndStatus(boolean binary) throws Exception {
    try (RestClient wrongSecret =
            Ably.rest(options(binary).key("testapp.key1:not-the-secret").build());
        RestClient readOnly = Ably.rest(options(binary).key("testapp.ro:s3").build())) {
      AblyException e = failure(wrongSecret.channels().get("x").publish("n", "d"));
      assertEquals(401, e.statusCode(), e::toString);
      assertEquals(40_100, e.code() / 100 * 100, e::toString);
      AblyException denied = failure(readOnly.channels().get("x").publish("n", "d"));
      assertTrue(denied.errorInfo().is(ErrorCode.OPERATION_NOT_PERMITTED), denied::toString);
      assertEquals(401, denied.statusCode());
    }
  }

  @Test
  void aRefusedTokenTheClientCannotRenewFailsWith40171CausedByTheServicesErrorRSA4a2() throws Exception {
    ClientOptions o =
        ClientOptions.builder().token("not-a-token").host("127.0.0.1").port(server.port()).tls(false).build();
    try (RestClient rest = Ably.rest(o)) {
      AblyException e = failure(rest.channels().get("x").publish("n", "d"));
      assertTrue(e.errorInfo().is(ErrorCode.TOKEN_NOT_RENEWABLE), e::toString);
      assertEquals(401, e.errorInfo().cause().statusCode(), e::toString);
      assertTrue(e.errorInfo().cause().isTokenError(), e::toString);
    }
  }

  @Test
  void basicAuthWithoutTlsToAHostThatIsNotLoopbackIsRefusedRSA1() {
    // Refused where the options are built, before any client exists (ClientOptionsTest has the cases).
    AblyException e = assertThrows(AblyException.class,
        () -> ClientOptions.builder().key("a.b:c").host("rest.example.invalid").tls(false).build());
    assertTrue(e.errorInfo().is(ErrorCode.INSECURE_BASIC_AUTH), e::toString);
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void requestGivesStatusHeadersAndItemsAsJsonAndErrorsAsResultsRSC19(boolean binary) throws Exception {
    try (RestClient rest = Ably.rest(options(binary).build())) {
      String name = channelName("raw", binary);
      HttpPaginatedResponse posted =
          await(
              rest.request(
                  "POST", "/channels/" + name + "/messages", Map.of(),
                  "{\"name\":\"r\",\"data\":\"raw body\"}", Map.of()));
      assertEquals(201, posted.statusCode());
      assertTrue(posted.success());
      for (int i = 0; i < 3; i++) {
        await(rest.channels().get(name).publish("p", Integer.toString(i)));
      }
      HttpPaginatedResponse got =
          await(rest.request("GET", "/channels/" + name + "/messages", Map.of("limit", "2"), null, Map.of()));
      assertEquals(200, got.statusCode());
      assertEquals(2, got.items().size());
      assertTrue(got.items().get(0).startsWith("{"), got.items().get(0));
      assertTrue(got.items().get(0).contains("\"data\":\"2\""), got.items().get(0));
      assertTrue(got.hasNext());
      HttpPaginatedResponse next = await(got.nextResponse());
      assertEquals(2, next.items().size());
      assertTrue(next.items().get(1).contains("raw body"), next.items().toString());
      assertFalse(got.headers().isEmpty());

      HttpPaginatedResponse missing = await(rest.request("GET", "/no/such/thing", Map.of(), null, Map.of()));
      assertEquals(404, missing.statusCode());
      assertFalse(missing.success());
      assertEquals(40_400, missing.errorCode());
      assertNotNull(missing.errorMessage());
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void requestsCarryVersionAgentFormatAuthPublishParamsAndRequestIdsRSC7RSL1lRSC7c(boolean binary)
      throws Exception {
    try (HttpStub stub =
            HttpStub.answering(
                "127.0.0.5", server.port(), io.netty.handler.codec.http.HttpResponseStatus.CREATED,
                "application/json", "{\"channel\":\"p\",\"messageId\":\"m\",\"serials\":[\"s1\"]}");
        RestClient rest =
            Ably.rest(
                options(binary).host("127.0.0.5").clientId("cid").addRequestIds(true).agent("my-app", "2.1").build())) {
      PublishResult r = await(rest.channels().get("p q").publish(List.of(Message.ofText("n", "d")), Map.of("quickAck", "true")));
      assertEquals(List.of("s1"), r.serials());
      String line = stub.requests.get(0);
      assertTrue(line.startsWith("POST /channels/p%20q/messages?quickAck=true&request_id="), line);
      String requestId = line.substring(line.indexOf("request_id=") + "request_id=".length());
      assertTrue(requestId.matches("[A-Za-z0-9_-]{16}"), requestId);
      Map<String, String> h = stub.headers.get(0);
      assertEquals("5", h.get("x-ably-version"));
      assertTrue(h.get("ably-agent").startsWith("ably-jvm/") && h.get("ably-agent").endsWith(" my-app/2.1"), h::toString);
      String type = binary ? "application/x-msgpack" : "application/json";
      assertEquals(type, h.get("content-type"));
      assertTrue(h.get("accept").startsWith(type), h::toString);
      assertEquals(
          "Basic " + java.util.Base64.getEncoder().encodeToString(server.defaultKey().keyStr().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          h.get("authorization"));
      assertEquals(java.util.Base64.getEncoder().encodeToString("cid".getBytes(java.nio.charset.StandardCharsets.UTF_8)), h.get("x-ably-clientid"));
      assertEquals("127.0.0.5:" + server.port(), h.get("host"));
    }
  }

  @Test
  void argumentErrorsAreThrownAtTheCallSite() {
    try (RestClient rest = Ably.rest(options(false).build())) {
      assertThrows(AblyException.class, () -> rest.channels().get(""));
      assertThrows(AblyException.class, () -> HistoryParams.defaults().limit(1001));
      assertThrows(
          AblyException.class,
          () -> rest.channels().get("x").history(HistoryParams.defaults().untilAttach(true)));
      assertThrows(AblyException.class, () -> rest.request("BREW", "/coffee", Map.of(), null, Map.of()));
    }
  }

  @Test
  void aClosedClientFailsLaterRequestsWith80017() throws Exception {
    RestClient rest = Ably.rest(options(false).build());
    await(rest.time());
    rest.close();
    AblyException e = failure(rest.time());
    assertTrue(e.errorInfo().is(ErrorCode.CONNECTION_CLOSED), e::toString);
    rest.close(); // twice does nothing
  }

  @Test
  void aMessageTooLargeFailsBeforeSendingRSL1i() throws Exception {
    try (RestClient rest = Ably.rest(options(true).build())) {
      AblyException e =
          failure(rest.channels().get("big").publish("b", MessageData.binary(new byte[70_000])));
      assertTrue(e.errorInfo().is(ErrorCode.MESSAGE_TOO_LARGE), e::toString);
      assertEquals(0, rest.metrics().requests());
    }
  }

  @Test
  void joinWrapsFailuresInCompletionException() {
    try (RestClient rest = Ably.rest(options(false).key("testapp.key1:wrong").build())) {
      CompletionException e =
          assertThrows(CompletionException.class, () -> rest.channels().get("x").publish("n", "d").toCompletableFuture().join());
      assertInstanceOf(AblyException.class, e.getCause());
    }
  }
}
