package io.ably.wire;

import io.ably.api.internal.Checks;

/**
 * The credentials of an AUTH message (AD1, AD2).
 *
 * @param accessToken the new token
 */
public record AuthDetails(String accessToken) {
  /** Validates the token. */
  public AuthDetails {
    Checks.notNull(accessToken, "accessToken");
  }
}
