package io.ably.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.auth.AuthMethod;
import io.ably.api.auth.AuthResult;
import io.ably.api.auth.TokenDetails;
import io.ably.api.auth.TokenParams;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The token-auth options (RSA4, RSA7, TO3j) and their rules in build(). */
class TokenAuthOptionsTest {
  @Test
  void anAuthCallbackAloneIsAMeansToAuthenticateWithRenewableTokensRSA4() {
    ClientOptions o =
        ClientOptions.builder().authCallback(p -> CompletableFuture.completedFuture(AuthResult.token("t"))).build();
    assertTrue(o.usesTokenAuth());
    assertTrue(o.canRenewToken());
  }

  @Test
  void anAuthUrlAloneIsAMeansToAuthenticateAndDefaultsToGet() {
    ClientOptions o = ClientOptions.builder().authUrl("http://127.0.0.1:8080/token").build();
    assertEquals(AuthMethod.GET, o.authMethod());
    assertTrue(o.usesTokenAuth());
  }

  @Test
  void tokenDetailsAloneAreAllowedButCannotBeRenewedRSA4a() {
    ClientOptions o = ClientOptions.builder().tokenDetails(TokenDetails.ofToken("t")).build();
    assertTrue(o.usesTokenAuth());
    assertFalse(o.canRenewToken());
  }

  @Test
  void useTokenAuthWithAKeySignsTokensAndAllowsAPlainConnectionToAnyHost() {
    ClientOptions o =
        ClientOptions.builder().key("a.b:c").useTokenAuth(true).tls(false).host("ably.invalid").build();
    assertTrue(o.usesTokenAuth());
  }

  @Test
  void noMeansToAuthenticateIs40106RSC1b() {
    assertEquals(40106, assertThrows(AblyException.class, () -> ClientOptions.builder().build()).code());
    assertEquals(
        40106,
        assertThrows(AblyException.class, () -> ClientOptions.builder().useTokenAuth(true).build()).code());
  }

  @Test
  void aCallbackAndAUrlTogetherOrATokenAndTokenDetailsTogetherAreRefused() {
    assertEquals(
        40003,
        assertThrows(
                AblyException.class,
                () -> ClientOptions.builder().authUrl("http://127.0.0.1/t").authCallback(p -> null).build())
            .code());
    assertEquals(
        40003,
        assertThrows(
                AblyException.class,
                () -> ClientOptions.builder().token("t").tokenDetails(TokenDetails.ofToken("u")).build())
            .code());
  }

  @Test
  void anAuthUrlThatIsNotHttpIsRefusedWithoutShowingItsQuery() {
    AblyException e =
        assertThrows(
            AblyException.class, () -> ClientOptions.builder().authUrl("ftp://h.invalid/t?secret=s3cr3t").build());
    assertEquals(40003, e.code());
    assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
  }

  @Test
  void aWildcardClientIdIsRefusedRSA7c() {
    assertEquals(
        40012,
        assertThrows(AblyException.class, () -> ClientOptions.builder().authUrl("http://127.0.0.1/t").clientId("*").build())
            .code());
  }

  @Test
  void toStringShowsNoTokenUrlQueryHeaderOrParamValue() {
    ClientOptions o =
        ClientOptions.builder()
            .key("app.key:keysecret")
            .tokenDetails(TokenDetails.ofToken("tokensecret"))
            .authUrl("https://user:pw@auth.invalid/t?sig=urlsecret#frag")
            .authHeader("Authorization", "headersecret")
            .authParam("p", "paramsecret")
            .defaultTokenParams(TokenParams.empty().withTtl(Duration.ofSeconds(5)))
            .build();
    String s = o.toString();
    for (String secret : new String[] {"keysecret", "tokensecret", "urlsecret", "headersecret", "paramsecret", "pw@"}) {
      assertFalse(s.contains(secret), s);
    }
    assertTrue(s.contains("auth.invalid/t"), s);
  }

  @Test
  void toBuilderKeepsTheTokenAuthOptions() {
    ClientOptions o =
        ClientOptions.builder().authUrl("http://127.0.0.1/t").authMethod(AuthMethod.POST).authParam("a", "b")
            .queryTime(true).build();
    ClientOptions copy = o.toBuilder().build();
    assertEquals(AuthMethod.POST, copy.authMethod());
    assertEquals(o.authParams(), copy.authParams());
    assertTrue(copy.queryTime());
  }
}
