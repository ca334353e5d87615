package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BiConsumer;

/**
 * How REST requests authenticate (RSA1–RSA4): the {@code Authorization} header of the next
 * request. Loop-confined. Token renewal (RSA4b) plugs in here: {@link RestCore} asks for a renewed
 * header once when a request fails with 401 and a code from 40140 to 40149, if {@link #canRenew()}.
 */
interface RestCredentials {
  /**
   * Gives the header value for the next request, possibly later (a token being fetched).
   *
   * @param renew whether the current token was refused and a new one is needed
   * @param then called on the loop with the header value, or with the error that prevents one
   */
  void authorization(boolean renew, BiConsumer<String, AblyException> then);

  /**
   * Tells whether a refused token can be replaced by a new one (RSA4a, RSA4b).
   *
   * @return {@code true} when {@link #authorization} with {@code renew} can succeed
   */
  boolean canRenew();

  /**
   * Tells whether this is basic authentication with the key itself (RSA1: needs TLS).
   *
   * @return {@code true} for basic auth
   */
  boolean basic();

  /**
   * The credentials of the options as they are today: a key (basic) or a static token.
   *
   * @param options the options
   * @return the credentials, or {@code null} when the options have neither
   */
  static RestCredentials of(ClientOptions options) {
    if (options.token() != null) {
      String header =
          "Bearer " + Base64.getEncoder().encodeToString(options.token().getBytes(StandardCharsets.UTF_8));
      return new Fixed(header, false); // RSA3b
    }
    if (options.key() != null) {
      String header =
          "Basic " + Base64.getEncoder().encodeToString(options.key().getBytes(StandardCharsets.UTF_8));
      return new Fixed(header, true); // RSA2, RSA11
    }
    return null;
  }

  /** A header that never changes: a key, or a token with no means of renewal (RSA4a). */
  final class Fixed implements RestCredentials {
    private final String header;
    private final boolean basic;

    Fixed(String header, boolean basic) {
      this.header = header;
      this.basic = basic;
    }

    @Override
    public void authorization(boolean renew, BiConsumer<String, AblyException> then) {
      if (renew) {
        then.accept(
            null,
            AblyException.of(
                ErrorCode.TOKEN_NOT_RENEWABLE,
                "the token was refused and the client has no means to renew it (RSA4a)"));
      } else {
        then.accept(header, null);
      }
    }

    @Override
    public boolean canRenew() {
      return false;
    }

    @Override
    public boolean basic() {
      return basic;
    }

    @Override
    public String toString() {
      return basic ? "Basic[***]" : "Bearer[***]";
    }
  }
}
