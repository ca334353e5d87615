package io.ably.api.auth;

/**
 * How an {@code authUrl} is requested (RSA8c).
 *
 * @since 0.3
 */
public enum AuthMethod {
  /** GET, with the token parameters and {@code authParams} in the query (RSA8c1a). */
  GET,
  /** POST, with the token parameters and {@code authParams} as a form-encoded body (RSA8c1b). */
  POST
}
