package io.ably.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
  private static AblyException rejects(ClientOptions.Builder b) {
    return assertThrows(AblyException.class, b::build);
  }

  @Test
  void defaultsAreTheSpecificationsTO3() {
    ClientOptions o = ClientOptions.forKey("app.key:secret");
    assertTrue(o.tls());
    assertTrue(o.autoConnect());
    assertTrue(o.useBinaryProtocol());
    assertTrue(o.echoMessages());
    assertTrue(o.queueMessages());
    assertEquals(80, o.port());
    assertEquals(443, o.tlsPort());
    assertEquals(Duration.ofSeconds(15), o.disconnectedRetryTimeout());
    assertEquals(Duration.ofSeconds(30), o.suspendedRetryTimeout());
    assertEquals(Duration.ofSeconds(10), o.realtimeRequestTimeout());
    assertEquals(Duration.ofSeconds(15), o.channelRetryTimeout());
    assertEquals(Duration.ofSeconds(4), o.httpOpenTimeout());
    assertEquals(Duration.ofSeconds(10), o.httpRequestTimeout());
    assertEquals(Duration.ofMinutes(10), o.fallbackRetryTimeout());
    assertEquals("app.key", o.keyName());
    assertNull(o.fallbackHosts());
    assertEquals(0, o.eventLoopThreads());
    assertFalse(o.inlineCallbacks());
  }

  @Test
  void aMalformedKeyIs40005AndTheMessageHidesTheSecret() {
    AblyException e = rejects(ClientOptions.builder().key("appkey:topsecret"));
    assertEquals(40005, e.code());
    assertTrue(e.getMessage().contains("key"), e.getMessage());
    assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    AblyException noColon = rejects(ClientOptions.builder().key("LooksLikeASecret1234"));
    assertEquals(40005, noColon.code());
    assertFalse(noColon.getMessage().contains("LooksLikeASecret1234"), noColon.getMessage());
    assertEquals(40005, rejects(ClientOptions.builder().key("app.key")).code());
  }

  @Test
  void aWildcardOrEmptyClientIdIs40012RSA7c() {
    assertEquals(40012, rejects(ClientOptions.builder().clientId("*")).code());
    assertEquals(40012, rejects(ClientOptions.builder().clientId("")).code());
  }

  @Test
  void badValuesNameTheFieldAndTheValue() {
    AblyException port = rejects(ClientOptions.builder().port(70_000));
    assertEquals(40003, port.code());
    assertTrue(port.getMessage().contains("port") && port.getMessage().contains("70000"), port.getMessage());
    AblyException timeout = rejects(ClientOptions.builder().realtimeRequestTimeout(Duration.ZERO));
    assertTrue(timeout.getMessage().contains("realtimeRequestTimeout"), timeout.getMessage());
    AblyException host = rejects(ClientOptions.builder().host("bad host"));
    assertTrue(host.getMessage().contains("host") && host.getMessage().contains("bad host"), host.getMessage());
    assertTrue(rejects(ClientOptions.builder().eventLoopThreads(-1)).getMessage().contains("eventLoopThreads"));
    assertTrue(rejects(ClientOptions.builder().name("has space")).getMessage().contains("name"));
  }

  @Test
  void endpointCannotBeMixedWithEnvironmentOrHostREC1b1() {
    assertEquals(40003, rejects(ClientOptions.builder().endpoint("sandbox").host("127.0.0.1")).code());
    assertEquals(40003, rejects(ClientOptions.builder().endpoint("sandbox").environment("x")).code());
    assertEquals(40003, rejects(ClientOptions.builder().environment("x").host("127.0.0.1")).code());
  }

  @Test
  void inlineCallbacksAndAnExecutorAreExclusive() {
    assertEquals(
        40003,
        rejects(ClientOptions.builder().inlineCallbacks(true).callbackExecutor(Runnable::run)).code());
  }

  @Test
  void toBuilderCopiesEveryFieldAndToStringHidesSecrets() {
    ClientOptions o =
        ClientOptions.builder()
            .key("app.key:secret")
            .clientId("bob")
            .host("127.0.0.1")
            .port(8080)
            .tls(false)
            .fallbackHosts(List.of("127.0.0.2"))
            .echoMessages(false)
            .agent("my-app", "1.0")
            .transportParam("remainPresentFor", "1000")
            .proxy(new ClientOptions.ProxyOptions("proxy.local", 3128, "u", "proxypass"))
            .name("desk-7")
            .build();
    ClientOptions copy = o.toBuilder().build();
    assertEquals(o.toString(), copy.toString());
    assertEquals(o.agents(), copy.agents());
    assertEquals(o.transportParams(), copy.transportParams());
    assertEquals(o.proxy(), copy.proxy());
    assertFalse(o.toString().contains("secret"), o.toString());
    assertFalse(o.toString().contains("proxypass"), o.toString());
  }

  @Test
  void noKeyAndNoTokenFailsInBuildWith40106RSC1b() {
    AblyException e = rejects(ClientOptions.builder().host("127.0.0.1"));
    assertEquals(40106, e.code());
    assertTrue(e.getMessage().contains("key(...) or token(...)"), e.getMessage());
  }

  @Test
  void basicAuthWithoutTlsFailsInBuildWith40103UnlessEveryHostIsLoopbackRSA1() {
    Supplier<ClientOptions.Builder> plain =
        () -> ClientOptions.builder().key("app.key:s3cr3t").tls(false);
    assertEquals(40103, rejects(plain.get()).code(), "the service's own hosts");
    assertEquals(40103, rejects(plain.get().host("realtime.example.com")).code());
    assertEquals(40103, rejects(plain.get().endpoint("ws.example.com")).code());
    assertEquals(40103, rejects(plain.get().host("127.0.0.1").fallbackHosts(List.of("f.example.com"))).code());
    assertFalse(rejects(plain.get().host("realtime.example.com")).getMessage().contains("s3cr3t"));
    for (String loopback : List.of("127.0.0.1", "127.0.0.9", "localhost", "::1")) {
      plain.get().host(loopback).build();
    }
    ClientOptions.builder().token("t").tls(false).build(); // a token is no secret key
  }

  @Test
  void inboundWaterMarksHaveDefaultsAndTheLowMarkMustBeBelowTheHighOne() {
    ClientOptions d = ClientOptions.forKey("a.b:c");
    assertEquals(ClientOptions.DEFAULT_INBOUND_HIGH_WATER_MARK, d.inboundHighWaterMark());
    assertEquals(ClientOptions.DEFAULT_INBOUND_LOW_WATER_MARK, d.inboundLowWaterMark());
    assertEquals(40003, rejects(ClientOptions.builder().key("a.b:c").inboundHighWaterMark(0)).code());
    assertEquals(40003, rejects(ClientOptions.builder().key("a.b:c").inboundLowWaterMark(-1)).code());
    assertEquals(40003,
        rejects(ClientOptions.builder().key("a.b:c").inboundHighWaterMark(10).inboundLowWaterMark(10)).code());
    ClientOptions o = ClientOptions.builder().key("a.b:c").inboundHighWaterMark(10).inboundLowWaterMark(0).build();
    assertEquals(10, o.toBuilder().build().inboundHighWaterMark());
    assertEquals(0, o.toBuilder().build().inboundLowWaterMark());
  }

  @Test
  void maxQueuedMessagesIsAtLeastOne() {
    assertEquals(ClientOptions.DEFAULT_MAX_QUEUED_MESSAGES, ClientOptions.forKey("a.b:c").maxQueuedMessages());
    assertEquals(40003, rejects(ClientOptions.builder().key("a.b:c").maxQueuedMessages(0)).code());
    assertEquals(1, ClientOptions.builder().key("a.b:c").maxQueuedMessages(1).build().maxQueuedMessages());
  }
}
