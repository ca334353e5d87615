package io.ably.api.auth;

import io.ably.api.internal.Checks;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A token and what it allows (TD2–TD6): the result of {@link Auth#requestToken} and {@link
 * Auth#authorize}, and one of the {@link AuthResult}s an {@link AuthCallback} may return.
 *
 * @param token the token string; never shown by {@link #toString()}
 * @param issued when it was issued, or {@code null} if unknown
 * @param expires when it expires, or {@code null} if unknown
 * @param capability its capability JSON, or {@code null} if unknown
 * @param clientId the clientId it is for, {@code *} for any, or {@code null}
 * @since 0.3
 */
public record TokenDetails(String token, Instant issued, Instant expires, String capability, String clientId)
    implements AuthResult {
  /** Checks that the token is present and not blank. */
  public TokenDetails {
    Checks.notNull(token, "token");
    Checks.check(!token.isBlank(), "a token must not be blank");
  }

  /**
   * Returns details of a token string alone, as for a static token or a JWT.
   *
   * @param token the token
   * @return the details, with every other field unknown
   */
  public static TokenDetails ofToken(String token) {
    return new TokenDetails(token, null, null, null, null);
  }

  /**
   * Returns the TokenDetails JSON the service and an {@code authUrl} use ({@code token}, {@code
   * issued}, {@code expires} in milliseconds since the epoch, {@code capability}, {@code
   * clientId}). It contains the token: send it only to the client it is for.
   *
   * @return the JSON text
   */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\"token\":");
    AuthJson.quote(sb, token);
    if (issued != null) {
      sb.append(",\"issued\":").append(issued.toEpochMilli());
    }
    if (expires != null) {
      sb.append(",\"expires\":").append(expires.toEpochMilli());
    }
    if (capability != null) {
      AuthJson.quote(sb.append(",\"capability\":"), capability);
    }
    if (clientId != null) {
      AuthJson.quote(sb.append(",\"clientId\":"), clientId);
    }
    return sb.append('}').toString();
  }

  /**
   * Reads TokenDetails JSON, as {@link #toJson()} writes and the service answers.
   *
   * @param json the JSON text
   * @return the details
   * @throws io.ably.api.AblyException (40003) if it is not TokenDetails JSON
   */
  public static TokenDetails fromJson(String json) {
    Map<String, Object> m = AuthJson.object(json, "TokenDetails");
    Checks.check(m.get("token") instanceof String, "TokenDetails JSON needs a string token");
    return new TokenDetails(
        (String) m.get("token"),
        instant(m.get("issued"), "issued"),
        instant(m.get("expires"), "expires"),
        text(m.get("capability"), "capability"),
        text(m.get("clientId"), "clientId"));
  }

  static Instant instant(Object v, String field) {
    if (v == null) {
      return null;
    }
    Checks.check(v instanceof BigDecimal, field + " must be a number of milliseconds");
    try {
      return Instant.ofEpochMilli(((BigDecimal) v).longValueExact());
    } catch (ArithmeticException e) {
      throw Checks.invalid(field + " must be a whole number of milliseconds, was " + v);
    }
  }

  static String text(Object v, String field) {
    if (v == null) {
      return null;
    }
    if (v instanceof Map || v instanceof java.util.List) {
      Checks.check(field.equals("capability"), field + " must be a string");
      throw Checks.invalid("capability must be a JSON string, not an object");
    }
    Checks.check(v instanceof String, field + " must be a string");
    return (String) v;
  }

  /** Shows every field but the token. */
  @Override
  public String toString() {
    return "TokenDetails[token=***, issued=" + issued + ", expires=" + expires + ", capability="
        + capability + ", clientId=" + clientId + "]";
  }
}
