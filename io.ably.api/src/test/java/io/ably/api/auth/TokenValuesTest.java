package io.ably.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenValuesTest {
  private static final TokenRequest REQUEST =
      new TokenRequest(
          "app1.k1", Duration.ofHours(1), "{\"*\":[\"*\"]}", "bob", Instant.ofEpochMilli(1_754_000_000_000L),
          "1234567890123456", "c2VjcmV0LW1hYw==");

  @Test
  void aTokenRequestSurvivesItsJsonAndItsToStringHidesTheMac() {
    assertEquals(REQUEST, TokenRequest.fromJson(REQUEST.toJson()));
    assertTrue(REQUEST.toJson().contains("\"ttl\":3600000"));
    assertFalse(REQUEST.toString().contains("c2VjcmV0LW1hYw"));
  }

  @Test
  void aTokenRequestWithTtlZeroAsAblyJavaWritesItHasTheDefaultTtl() {
    TokenRequest r =
        TokenRequest.fromJson(
            "{\"keyName\":\"a.b\",\"ttl\":0,\"timestamp\":1,\"nonce\":\"1234567890123456\",\"mac\":\"m\"}");
    assertNull(r.ttl());
    assertFalse(r.toJson().contains("ttl"));
  }

  @Test
  void tokenDetailsSurviveTheirJsonAndTheirToStringHidesTheToken() {
    TokenDetails d =
        new TokenDetails(
            "secret-token-value", Instant.ofEpochMilli(1), Instant.ofEpochMilli(2), "{\"a\":[\"publish\"]}", "al\"ice");
    assertEquals(d, TokenDetails.fromJson(d.toJson()));
    assertFalse(d.toString().contains("secret-token-value"));
    assertFalse(AuthResult.token("secret-token-value").toString().contains("secret-token-value"));
  }

  @Test
  void aCapabilityObjectInsteadOfAStringIsRefused() {
    AblyException e =
        assertThrows(AblyException.class, () -> TokenDetails.fromJson("{\"token\":\"t\",\"capability\":{}}"));
    assertEquals(40003, e.code());
  }

  @Test
  void malformedJsonIsRefusedWith40003() {
    for (String bad : new String[] {"", "[]", "{\"token\":\"t\"", "{\"token\":\"t\"} x", "{\"token\":tru}"}) {
      assertEquals(40003, assertThrows(AblyException.class, () -> TokenDetails.fromJson(bad)).code(), bad);
    }
  }

  @Test
  void capabilityIsCanonicalisedWithSortedResourcesAndOperations() {
    assertEquals(
        "{\"a\":[\"presence\",\"publish\"],\"b:*\":[\"subscribe\"]}",
        Capability.canonical(" { \"b:*\" : [\"subscribe\"], \"a\":[\"publish\",\"presence\",\"publish\"] } "));
    assertEquals(40003, assertThrows(AblyException.class, () -> Capability.canonical("{\"a\":[]}")).code());
    assertEquals(40003, assertThrows(AblyException.class, () -> Capability.canonical("{\"a\":\"publish\"}")).code());
  }

  @Test
  void authOptionsRefuseACallbackWithAUrlAndHideSecretsInToString() {
    assertThrows(
        AblyException.class,
        () -> AuthOptions.builder().authUrl("http://127.0.0.1/t").authCallback(p -> null).build());
    AuthOptions o =
        AuthOptions.builder().key("a.b:topsecret").authUrl("https://auth.invalid/t?sig=topsecret")
            .authHeader("X-Key", "topsecret").authParam("p", "topsecret").build();
    assertFalse(o.toString().contains("topsecret"), o.toString());
  }
}
