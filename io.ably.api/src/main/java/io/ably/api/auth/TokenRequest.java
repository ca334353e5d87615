package io.ably.api.auth;

import io.ably.api.internal.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A signed request for a token (TE1–TE6, RSA9): made by a holder of the key with {@link
 * Auth#createTokenRequest}, typically in a backend, handed to a client (as {@link #toJson()} from
 * an {@code authUrl}, or from an {@link AuthCallback}), and exchanged by that client for a token
 * without it ever seeing the key (RSA8a). It can be used once (its nonce) and only within about
 * ten minutes of its timestamp.
 *
 * @param keyName the name of the key that signed it, {@code appId.keyId}
 * @param ttl the lifetime asked for, or {@code null} for the service's default
 * @param capability the capability JSON asked for, or {@code null} for the key's
 * @param clientId the clientId asked for, {@code *}, or {@code null}
 * @param timestamp when it was made
 * @param nonce a random string of at least 16 characters
 * @param mac the HMAC-SHA256 signature, base64 (RSA9g); never shown by {@link #toString()}
 * @since 0.3
 */
public record TokenRequest(
    String keyName, Duration ttl, String capability, String clientId, Instant timestamp, String nonce,
    String mac) implements AuthResult {
  /** Checks the fields. */
  public TokenRequest {
    Checks.notNull(keyName, "keyName");
    Checks.check(!keyName.isEmpty() && keyName.indexOf(':') < 0, "keyName must be appId.keyId");
    Checks.notNull(timestamp, "timestamp");
    Checks.notNull(nonce, "nonce");
    Checks.notNull(mac, "mac");
    if (ttl != null) {
      Checks.check(ttl.toMillis() > 0, "ttl must be at least one millisecond, was " + ttl);
    }
  }

  /**
   * Returns the TokenRequest JSON a client posts to {@code /keys/{keyName}/requestToken} and an
   * {@code authUrl} answers with ({@code ttl} and {@code timestamp} in milliseconds; absent fields
   * omitted).
   *
   * @return the JSON text
   */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\"keyName\":");
    AuthJson.quote(sb, keyName);
    if (ttl != null) {
      sb.append(",\"ttl\":").append(ttl.toMillis());
    }
    if (capability != null) {
      AuthJson.quote(sb.append(",\"capability\":"), capability);
    }
    if (clientId != null) {
      AuthJson.quote(sb.append(",\"clientId\":"), clientId);
    }
    sb.append(",\"timestamp\":").append(timestamp.toEpochMilli());
    AuthJson.quote(sb.append(",\"nonce\":"), nonce);
    AuthJson.quote(sb.append(",\"mac\":"), mac);
    return sb.append('}').toString();
  }

  /**
   * Reads TokenRequest JSON, as {@link #toJson()} and other Ably SDKs write it.
   *
   * @param json the JSON text
   * @return the request
   * @throws io.ably.api.AblyException (40003) if it is not TokenRequest JSON
   */
  public static TokenRequest fromJson(String json) {
    Map<String, Object> m = AuthJson.object(json, "TokenRequest");
    Checks.check(m.get("keyName") instanceof String, "TokenRequest JSON needs a string keyName");
    Object ttl = m.get("ttl");
    Duration d = null;
    if (ttl != null) {
      Checks.check(ttl instanceof BigDecimal, "ttl must be a number of milliseconds");
      long ms = ((BigDecimal) ttl).longValue();
      d = ms > 0 ? Duration.ofMillis(ms) : null; // 0 means the default, as ably-java writes it
    }
    Object nonce = m.get("nonce");
    Object mac = m.get("mac");
    Checks.check(nonce instanceof String && mac instanceof String, "TokenRequest JSON needs nonce and mac");
    Instant timestamp = TokenDetails.instant(m.get("timestamp"), "timestamp");
    Checks.check(timestamp != null, "TokenRequest JSON needs a timestamp");
    return new TokenRequest(
        (String) m.get("keyName"), d, TokenDetails.text(m.get("capability"), "capability"),
        TokenDetails.text(m.get("clientId"), "clientId"), timestamp, (String) nonce, (String) mac);
  }

  /** Shows every field but the MAC. */
  @Override
  public String toString() {
    return "TokenRequest[keyName=" + keyName + ", ttl=" + ttl + ", capability=" + capability
        + ", clientId=" + clientId + ", timestamp=" + timestamp + ", nonce=" + nonce + ", mac=***]";
  }
}
