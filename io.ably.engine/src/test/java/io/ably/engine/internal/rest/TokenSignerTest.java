package io.ably.engine.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.auth.TokenParams;
import io.ably.api.auth.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** TokenRequest signing, RSA9g, as PROTOCOL.md §7.3 spells it out. */
class TokenSignerTest {
  private static String hmac(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theWorkedExampleSignsTheSixFieldsEachFollowedByALineFeedRSA9g() throws Exception {
    TokenRequest r =
        TokenSigner.sign(
            "app1.k1:s3cret",
            new TokenParams(Duration.ofHours(1), "{\"*\":[\"*\"]}", "bob", null),
            Instant.ofEpochMilli(1_754_000_000_000L), "1234567890123456");
    assertEquals("app1.k1", r.keyName());
    assertEquals(
        hmac("s3cret", "app1.k1\n3600000\n{\"*\":[\"*\"]}\nbob\n1754000000000\n1234567890123456\n"), r.mac());
  }

  @Test
  void absentTtlCapabilityAndClientIdAreSignedAsEmptyLinesRSA9g() throws Exception {
    TokenRequest r =
        TokenSigner.sign("a.b:x", TokenParams.empty(), Instant.ofEpochMilli(5), "0000000000000000");
    assertEquals(hmac("x", "a.b\n\n\n\n5\n0000000000000000\n"), r.mac());
  }

  @Test
  void theCapabilityIsSignedInCanonicalFormRSA9f() throws Exception {
    TokenRequest r =
        TokenSigner.sign(
            "a.b:x", TokenParams.empty().withCapability("{\"z\":[\"subscribe\",\"publish\"],\"a\":[\"*\"]}"),
            Instant.ofEpochMilli(5), "0000000000000000");
    String canonical = "{\"a\":[\"*\"],\"z\":[\"publish\",\"subscribe\"]}";
    assertEquals(canonical, r.capability());
    assertEquals(hmac("x", "a.b\n\n" + canonical + "\n\n5\n0000000000000000\n"), r.mac());
  }

  @Test
  void noncesAreSixteenDecimalDigitsRSA9c() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 100; i++) {
      String n = TokenSigner.nonce(random);
      assertTrue(n.matches("[0-9]{16}"), n);
    }
  }
}
