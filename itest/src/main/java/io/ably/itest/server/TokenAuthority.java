package io.ably.itest.server;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Issues and looks up tokens. Confined to the server's state loop. */
final class TokenAuthority {
  private final SecureRandom random = new SecureRandom();
  /** Issued tokens by token string. */
  private final Map<String, IssuedToken> tokens = new HashMap<>();

  IssuedToken issue(
      String keyName, String clientId, Capability capability, long ttlMillis, long nowMillis) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String appId = keyName.substring(0, keyName.indexOf('.'));
    String token = appId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    IssuedToken issued =
        new IssuedToken(token, keyName, nowMillis, nowMillis + ttlMillis, capability, clientId);
    tokens.put(token, issued);
    return issued;
  }

  /** Returns the token, or {@code null} if this server never issued it (or forgot it). */
  IssuedToken find(String token) {
    return tokens.get(token);
  }

  /** Makes every token expire now (fault injection). */
  void expireAll(long nowMillis) {
    tokens.replaceAll(
        (k, t) ->
            new IssuedToken(
                t.token(), t.keyName(), t.issuedMillis(), nowMillis - 1, t.capability(), t.clientId()));
  }

  void clear() {
    tokens.clear();
  }
}
