package io.ably.itest.rest;

import static io.ably.itest.rest.RestClientIT.await;
import static io.ably.itest.rest.RestClientIT.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.Direction;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.RestClient;
import io.ably.itest.AblyTestServer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * REST host fallback (RSC15): the testkit serves the fallback 127.0.0.2; the primary 127.0.0.3 on
 * the same port (the options have one port for every host) refuses connections, never answers, or
 * answers with a scripted status.
 */
class RestFallbackIT {
  private static final String PRIMARY = "127.0.0.3";
  private static final String FALLBACK = "127.0.0.2";

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

  private AblyTestServer fallbackServer() {
    return closeLater(AblyTestServer.builder().host(FALLBACK).start());
  }

  private RestClient client(AblyTestServer server, boolean binary, List<String> fallbacks, Duration requestTimeout) {
    return closeLater(
        Ably.rest(
            ClientOptions.builder()
                .key(server.defaultKey().keyStr())
                .host(PRIMARY)
                .fallbackHosts(fallbacks)
                .port(server.port())
                .tls(false)
                .useBinaryProtocol(binary)
                .httpRequestTimeout(requestTimeout)
                .build()));
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void aRefusedPrimaryFallsBackAndTheFallbackIsPreferredAfterwardsRSC15lRSC15f(boolean binary) throws Exception {
    AblyTestServer server = fallbackServer();
    RestClient rest = client(server, binary, List.of(FALLBACK), Duration.ofSeconds(5));
    PublishResult r = await(rest.channels().get("fb").publish("n", "via fallback"));
    assertEquals(1, r.serials().size());
    assertEquals(1, rest.metrics().fallbacks(), "one attempt on a fallback host");
    await(rest.time());
    await(rest.channels().get("fb").history(HistoryParams.defaults()));
    assertEquals(1, rest.metrics().fallbacks(), "the fallback that answered is tried first (RSC15f)");
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void aPrimaryThatNeverAnswersTimesOutAndTheFallbackAnswersTO3l4(boolean binary) throws Exception {
    AblyTestServer server = fallbackServer();
    HttpStub silent = closeLater(HttpStub.silent(PRIMARY, server.port()));
    RestClient rest = client(server, binary, List.of(FALLBACK), Duration.ofMillis(300));
    String name = "timeout-" + binary;
    await(rest.channels().get(name).publish(List.of(Message.ofText("a", "1"), Message.ofText("b", "2"))));
    assertEquals(1, silent.requests.size(), silent.requests::toString);
    assertTrue(silent.requests.get(0).startsWith("POST /channels/" + name + "/messages"));
    List<Message> history =
        await(rest.channels().get(name).history(HistoryParams.defaults().direction(Direction.FORWARDS))).items();
    assertEquals(2, history.size());
  }

  @ParameterizedTest(name = "status={0}")
  @ValueSource(ints = {500, 502, 503, 504})
  void aPrimaryAnswering5xxFallsBackRSC15l(int status) throws Exception {
    AblyTestServer server = fallbackServer();
    HttpStub failing = closeLater(HttpStub.answering(PRIMARY, server.port(), HttpResponseStatus.valueOf(status)));
    RestClient rest = client(server, true, List.of(FALLBACK), Duration.ofSeconds(5));
    assertTrue(await(rest.time()).toEpochMilli() > 0);
    assertEquals(List.of("GET /time"), failing.requests);
    assertEquals(1, rest.metrics().fallbacks());
  }

  @Test
  void withoutFallbacksA503FailsWithTheCodeOfItsHeadersHP6() throws Exception {
    AblyTestServer server = fallbackServer();
    closeLater(HttpStub.answering(PRIMARY, server.port(), HttpResponseStatus.SERVICE_UNAVAILABLE));
    RestClient rest = client(server, false, List.of(), Duration.ofSeconds(5));
    AblyException e = failure(rest.time());
    assertEquals(50_000, e.code(), e::toString);
    assertEquals(503, e.statusCode(), e::toString);
    assertEquals("scripted failure", e.errorInfo().message());
  }

  @Test
  void withoutFallbacksASilentHostFailsWith50003AfterHttpRequestTimeoutTO3l4() throws Exception {
    AblyTestServer server = fallbackServer();
    closeLater(HttpStub.silent(PRIMARY, server.port()));
    RestClient rest = client(server, false, List.of(), Duration.ofMillis(200));
    long start = System.nanoTime();
    AblyException e = failure(rest.time());
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.errorInfo().is(ErrorCode.TIMEOUT), e::toString);
    assertTrue(tookMs >= 190, () -> "timed out after " + tookMs + " ms");
  }

  @Test
  void withoutFallbacksARefusedHostFailsWith50002AndNoNettyException() throws Exception {
    AblyTestServer server = fallbackServer();
    RestClient rest = client(server, false, List.of(), Duration.ofSeconds(5));
    AblyException e = failure(rest.time());
    assertTrue(e.errorInfo().is(ErrorCode.INTERNAL_CONNECTION_ERROR), e::toString);
  }

  @Test
  void aClientErrorIsNotRetriedOnAFallbackRSC15l() throws Exception {
    AblyTestServer server = fallbackServer();
    HttpStub bad =
        closeLater(
            HttpStub.answering(
                PRIMARY, server.port(), HttpResponseStatus.BAD_REQUEST, "application/json",
                "{\"error\":{\"code\":40000,\"statusCode\":400,\"message\":\"scripted bad request\"}}"));
    RestClient rest = client(server, false, List.of(FALLBACK), Duration.ofSeconds(5));
    AblyException e = failure(rest.time());
    assertEquals(40_000, e.code());
    assertEquals(400, e.statusCode());
    assertEquals("scripted bad request", e.errorInfo().message(), "the body's error wins over the headers");
    assertEquals(1, bad.requests.size());
    assertEquals(0, rest.metrics().fallbacks());
  }

  @Test
  void aResponseThatIsNeitherJsonNorMsgpackFailsWith40013RSC8e() throws Exception {
    AblyTestServer server = fallbackServer();
    closeLater(HttpStub.answering(PRIMARY, server.port(), HttpResponseStatus.OK, "text/html", "<html></html>"));
    RestClient rest = client(server, false, List.of(), Duration.ofSeconds(5));
    AblyException e = failure(rest.time());
    assertTrue(e.errorInfo().is(ErrorCode.INVALID_MESSAGE_DATA), e::toString);
  }

  @Test
  void aResponseOverTheSizeLimitFailsWith40013AndIsNotRetried() throws Exception {
    AblyTestServer server = fallbackServer();
    String body = "\"" + "x".repeat(17 * 1024 * 1024) + "\"";
    closeLater(HttpStub.answering(PRIMARY, server.port(), HttpResponseStatus.OK, "application/json", body));
    RestClient rest = client(server, false, List.of(FALLBACK), Duration.ofSeconds(10));
    AblyException e = failure(rest.time());
    assertTrue(e.errorInfo().is(ErrorCode.INVALID_MESSAGE_DATA), e::toString);
    assertTrue(e.getMessage().contains("larger than"), e::toString);
    assertEquals(0, rest.metrics().fallbacks());
  }
}
