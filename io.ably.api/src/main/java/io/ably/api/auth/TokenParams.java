package io.ably.api.auth;

import io.ably.api.internal.Checks;
import java.time.Duration;
import java.time.Instant;

/**
 * What a client asks of a token (TK2, RSA5, RSA6): its lifetime, capability and clientId. Every
 * field is optional; the service fills what is missing (a TTL of 60 minutes, the key's capability,
 * no clientId).
 *
 * @param ttl the token's lifetime (RSA5), or {@code null} for the service's default
 * @param capability capability JSON (see {@link Capability}), or {@code null} for the key's
 * @param clientId the clientId the token is for, {@code *} for any (a wildcard token), or {@code
 *     null} for an anonymous token (TK2c)
 * @param timestamp the time of the request, or {@code null} for now (or the service's time with
 *     {@code queryTime})
 * @since 0.3
 */
public record TokenParams(Duration ttl, String capability, String clientId, Instant timestamp) {
  private static final TokenParams EMPTY = new TokenParams(null, null, null, null);

  /** Checks the fields. */
  public TokenParams {
    if (ttl != null) {
      Checks.check(!ttl.isNegative() && !ttl.isZero(), "ttl must be positive, was " + ttl);
      Checks.check(ttl.toMillis() > 0, "ttl must be at least one millisecond, was " + ttl);
    }
    if (capability != null) {
      Checks.check(!capability.isBlank(), "capability must not be blank");
    }
    if (clientId != null) {
      Checks.check(!clientId.isEmpty(), "clientId must not be empty");
    }
  }

  /**
   * Returns parameters with every field left to the service.
   *
   * @return the empty parameters
   */
  public static TokenParams empty() {
    return EMPTY;
  }

  /**
   * Returns these parameters with another TTL.
   *
   * @param value the lifetime, or {@code null}
   * @return new parameters
   */
  public TokenParams withTtl(Duration value) {
    return new TokenParams(value, capability, clientId, timestamp);
  }

  /**
   * Returns these parameters with another capability.
   *
   * @param value capability JSON, or {@code null}
   * @return new parameters
   */
  public TokenParams withCapability(String value) {
    return new TokenParams(ttl, value, clientId, timestamp);
  }

  /**
   * Returns these parameters with another clientId.
   *
   * @param value the clientId, {@code *}, or {@code null}
   * @return new parameters
   */
  public TokenParams withClientId(String value) {
    return new TokenParams(ttl, capability, value, timestamp);
  }

  /**
   * Returns these parameters with another timestamp.
   *
   * @param value the timestamp, or {@code null}
   * @return new parameters
   */
  public TokenParams withTimestamp(Instant value) {
    return new TokenParams(ttl, capability, clientId, value);
  }
}
