package io.ably.engine.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.engine.internal.transport.ConnectionUrl.Continuation;
import io.ably.engine.internal.transport.ConnectionUrl.KeyCredential;
import io.ably.engine.internal.transport.ConnectionUrl.TokenCredential;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionUrlTest {
  private static final KeyCredential KEY = new KeyCredential("app.k:s3cr3t");

  @Test
  void aDefaultUrlIsWssWithAnExplicitPortARootPathAndTheRtn2Params() {
    ClientOptions o = ClientOptions.builder().key("app.k:s3cr3t").build();
    URI uri = ConnectionUrl.build(o, "main.realtime.ably.net", KEY, Continuation.NONE, null);
    assertEquals("wss", uri.getScheme());
    assertEquals(443, uri.getPort());
    assertEquals("/", uri.getPath());
    Map<String, String> p = ConnectionUrl.params(o, KEY, Continuation.NONE, null);
    assertEquals(List.of("key", "v", "format", "heartbeats", "agent"), List.copyOf(p.keySet()));
    assertEquals("5", p.get("v"));
    assertEquals("msgpack", p.get("format"));
    assertTrue(uri.getRawQuery().startsWith("key=app.k%3As3cr3t&v=5&format=msgpack"), uri.getRawQuery());
  }

  @Test
  void tokenEchoResumeClientIdAndUserParamsAreSentRTN2() {
    ClientOptions o =
        ClientOptions.builder()
            .token("tok")
            .useBinaryProtocol(false)
            .echoMessages(false)
            .clientId("bob smith")
            .transportParam("heartbeats", "false")
            .transportParam("remainPresentFor", "1000")
            .agent("desk", "7")
            .build();
    Map<String, String> p =
        ConnectionUrl.params(o, new TokenCredential("tok"), Continuation.RESUME, "abc!def");
    assertEquals("tok", p.get("accessToken"));
    assertEquals("json", p.get("format"));
    assertEquals("false", p.get("echo"));
    assertEquals("abc!def", p.get("resume"));
    assertFalse(p.containsKey("recover"));
    assertEquals("bob smith", p.get("clientId"));
    assertEquals("false", p.get("heartbeats"), "a user transport param wins (RTC1f1)");
    assertEquals("1000", p.get("remainPresentFor"));
    assertTrue(p.get("agent").matches("ably-jvm/0\\.1\\.0 jre/\\S+ desk/7"), p.get("agent"));
    URI uri = ConnectionUrl.build(o.toBuilder().tls(false).host("127.0.0.1").port(8080).build(),
        "127.0.0.1", new TokenCredential("tok"), Continuation.RECOVER, "k!1");
    assertTrue(uri.getRawQuery().contains("recover=k%211"), uri.getRawQuery());
    assertTrue(uri.getRawQuery().contains("clientId=bob%20smith"), uri.getRawQuery());
    assertEquals("ws://127.0.0.1:8080/", uri.toString().substring(0, uri.toString().indexOf('?')));
  }

  @Test
  void basicAuthWithoutTlsIsRefused40103UnlessTheHostIsLoopbackRSA1() {
    // build() refuses such options already; this is the last line, for any host the engine derives.
    ClientOptions plain = ClientOptions.builder().key("app.k:s3cr3t").host("127.0.0.1").tls(false).build();
    AblyException e =
        assertThrows(AblyException.class, () -> ConnectionUrl.build(plain, "realtime.example.com", KEY, Continuation.NONE, null));
    assertEquals(40103, e.code());
    for (String loopback : List.of("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]")) {
      ConnectionUrl.build(plain, loopback, KEY, Continuation.NONE, null);
    }
    ConnectionUrl.build(plain, "realtime.example.com", new TokenCredential("t"), Continuation.NONE, null);
  }

  @Test
  void noCredentialIs40106() {
    ClientOptions o = ClientOptions.builder().token("t").build();
    assertEquals(40106, assertThrows(AblyException.class,
        () -> ConnectionUrl.build(o, "h.example.com", null, Continuation.NONE, null)).code());
  }

  @Test
  void theLoopbackCheckDoesNotResolveNames() {
    assertTrue(ConnectionUrl.isLoopback("127.255.0.1"));
    assertFalse(ConnectionUrl.isLoopback("10.0.0.1"));
    assertFalse(ConnectionUrl.isLoopback("loopback.example.com"));
  }

  @Test
  void credentialsNeverShowInToString() {
    assertFalse(KEY.toString().contains("s3cr3t"));
    assertFalse(new TokenCredential("tok123").toString().contains("tok123"));
  }
}
