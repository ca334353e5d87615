package io.ably.engine.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealtimeHostsTest {

  private static ClientOptions.Builder options() {
    return ClientOptions.builder().key("app.key:secret");
  }

  private static List<String> fallbacks(String id, String domain) {
    return List.of(
        id + ".a." + domain, id + ".b." + domain, id + ".c." + domain, id + ".d." + domain,
        id + ".e." + domain);
  }

  @Test
  void defaultsToMainDomainWithMainFallbacksREC1aREC2c1() {
    RealtimeHosts hosts = RealtimeHosts.from(options().build());
    assertEquals("main.realtime.ably.net", hosts.primary());
    assertEquals(fallbacks("main", "fallback.ably-realtime.com"), hosts.fallbacks());
  }

  @Test
  void endpointWithADotIsAHostWithoutFallbacksREC1b2REC2c2() {
    RealtimeHosts hosts = RealtimeHosts.from(options().endpoint("ws.example.com").build());
    assertEquals("ws.example.com", hosts.primary());
    assertEquals(List.of(), hosts.fallbacks());
  }

  @Test
  void endpointWithDoubleColonIsAnIpv6HostWithoutFallbacksREC1b2REC2c2() {
    RealtimeHosts hosts = RealtimeHosts.from(options().endpoint("::1").build());
    assertEquals("::1", hosts.primary());
    assertEquals(List.of(), hosts.fallbacks());
  }

  @Test
  void endpointLocalhostIsAHostWithoutFallbacksREC1b2REC2c2() {
    RealtimeHosts hosts = RealtimeHosts.from(options().endpoint("localhost").build());
    assertEquals("localhost", hosts.primary());
    assertEquals(List.of(), hosts.fallbacks());
  }

  @Test
  void nonprodEndpointNamesANonProductionRoutingPolicyREC1b3REC2c3() {
    RealtimeHosts hosts = RealtimeHosts.from(options().endpoint("nonprod:sandbox").build());
    assertEquals("sandbox.realtime.ably-nonprod.net", hosts.primary());
    assertEquals(
        fallbacks("sandbox", "fallback.ably-realtime-nonprod.com"), hosts.fallbacks());
  }

  @Test
  void nonprodEndpointWithoutIdIsRejectedREC1b3() {
    ClientOptions options = options().endpoint("nonprod:").build();
    AblyException e = assertThrows(AblyException.class, () -> RealtimeHosts.from(options));
    assertEquals(40003, e.errorInfo().code());
  }

  @Test
  void plainEndpointNamesAProductionRoutingPolicyREC1b4REC2c4() {
    RealtimeHosts hosts = RealtimeHosts.from(options().endpoint("acme").build());
    assertEquals("acme.realtime.ably.net", hosts.primary());
    assertEquals(fallbacks("acme", "fallback.ably-realtime.com"), hosts.fallbacks());
  }

  @Test
  void environmentNamesAProductionRoutingPolicyREC1c2REC2c5() {
    RealtimeHosts hosts = RealtimeHosts.from(options().environment("acme").build());
    assertEquals("acme.realtime.ably.net", hosts.primary());
    assertEquals(fallbacks("acme", "fallback.ably-realtime.com"), hosts.fallbacks());
  }

  @Test
  void explicitHostHasNoFallbacksREC1dREC2c6() {
    RealtimeHosts hosts = RealtimeHosts.from(options().host("127.0.0.1").build());
    assertEquals("127.0.0.1", hosts.primary());
    assertEquals(List.of(), hosts.fallbacks());
  }

  @Test
  void explicitFallbackHostsReplaceTheDefaultsREC2a2() {
    List<String> mine = List.of("f1.example.com", "f2.example.com");
    RealtimeHosts hosts = RealtimeHosts.from(options().fallbackHosts(mine).build());
    assertEquals("main.realtime.ably.net", hosts.primary());
    assertEquals(mine, hosts.fallbacks());
  }

  @Test
  void explicitFallbackHostsApplyEvenToAnExplicitHostREC2a2() {
    List<String> mine = List.of("127.0.0.2", "127.0.0.3");
    RealtimeHosts hosts =
        RealtimeHosts.from(options().host("127.0.0.1").fallbackHosts(mine).build());
    assertEquals("127.0.0.1", hosts.primary());
    assertEquals(mine, hosts.fallbacks());
  }

  @Test
  void explicitFallbackHostsApplyToAHostEndpointREC2a2() {
    List<String> mine = List.of("127.0.0.2");
    RealtimeHosts hosts =
        RealtimeHosts.from(options().endpoint("localhost").fallbackHosts(mine).build());
    assertEquals(mine, hosts.fallbacks());
  }

  @Test
  void anEmptyExplicitFallbackListMeansNoFallbacksREC2a2() {
    RealtimeHosts hosts = RealtimeHosts.from(options().fallbackHosts(List.of()).build());
    assertEquals(List.of(), hosts.fallbacks());
  }

  @Test
  void portIsTheTlsPortWithTlsTO3k5() {
    assertEquals(443, RealtimeHosts.from(options().build()).port());
    assertEquals(8443, RealtimeHosts.from(options().tlsPort(8443).port(8080).build()).port());
  }

  @Test
  void portIsThePlainPortWithoutTlsTO3k4() {
    assertEquals(80, RealtimeHosts.from(options().key(null).token("t").tls(false).build()).port());
    assertEquals(
        8080, RealtimeHosts.from(options().key(null).token("t").tls(false).tlsPort(8443).port(8080).build()).port());
  }
}
