package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.auth.Capability;
import io.ably.api.auth.TokenParams;
import io.ably.api.auth.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs TokenRequests with a key (RSA9, PROTOCOL.md §7.3): the six fields each followed by a line
 * feed, HMAC-SHA256 with the key secret, base64. Stateless apart from its random source; any
 * thread.
 */
final class TokenSigner {
  private TokenSigner() {}

  /**
   * Signs a TokenRequest.
   *
   * @param key {@code appId.keyId:keySecret}
   * @param params the token parameters (the capability is put in canonical form, RSA9f)
   * @param timestamp the timestamp
   * @param nonce the nonce, at least 16 characters (RSA9c)
   * @return the signed request
   * @throws AblyException 40005 for a malformed key, 40003 for a malformed capability
   */
  static TokenRequest sign(String key, TokenParams params, Instant timestamp, String nonce) {
    int colon = key.indexOf(':');
    if (colon <= 0) {
      throw AblyException.of(ErrorCode.INVALID_CREDENTIAL, "the key must be appId.keyId:keySecret");
    }
    String keyName = key.substring(0, colon);
    String secret = key.substring(colon + 1);
    String capability = params.capability() == null ? null : Capability.canonical(params.capability());
    String ttl = params.ttl() == null ? "" : Long.toString(params.ttl().toMillis());
    String text =
        keyName + '\n' + ttl + '\n' + (capability == null ? "" : capability) + '\n'
            + (params.clientId() == null ? "" : params.clientId()) + '\n' + timestamp.toEpochMilli()
            + '\n' + nonce + '\n';
    return new TokenRequest(
        keyName, params.ttl(), capability, params.clientId(), timestamp, nonce, mac(secret, text));
  }

  /** base64(HMAC-SHA256(secret, text)) (RSA9g). */
  static String mac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /** A 16-digit decimal nonce, as the official SDKs make (RSA9c). */
  static String nonce(SecureRandom random) {
    StringBuilder sb = new StringBuilder(16);
    for (int i = 0; i < 16; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }
}
