package io.ably.api.auth;

import io.ably.api.internal.Checks;

/**
 * What an {@link AuthCallback} or an {@code authUrl} gives the client (RSA8d, RSA8c): a token
 * string (an Ably token or a JWT), {@link TokenDetails}, or a signed {@link TokenRequest} that the
 * client then exchanges for a token (RSA8a). A sealed type, so a callback cannot return anything
 * else.
 *
 * @since 0.3
 */
public sealed interface AuthResult permits AuthResult.Token, TokenDetails, TokenRequest {
  /**
   * A token string: an Ably token or a JWT (TN3, RSA8g).
   *
   * @param value the token; never shown by {@link #toString()}
   */
  record Token(String value) implements AuthResult {
    /** Checks that the token is present and not blank. */
    public Token {
      Checks.notNull(value, "token");
      Checks.check(!value.isBlank(), "a token must not be blank");
    }

    /** Shows the length of the token, never the token. */
    @Override
    public String toString() {
      return "Token[" + value.length() + " characters]";
    }
  }

  /**
   * A token string, an Ably token or a JWT.
   *
   * @param token the token
   * @return the result
   * @throws io.ably.api.AblyException (40003) if the token is null or blank
   */
  static AuthResult token(String token) {
    return new Token(token);
  }
}
