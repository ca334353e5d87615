package io.ably.api.auth;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Obtains a token for the client (RSA8d), typically by asking the application's backend for a
 * signed {@link TokenRequest}. Called whenever the client needs a token: at connect, when a token
 * expires or is refused (RSA4b, RTN14b, RTN15h2), on {@link Auth#authorize} and when the service
 * asks for re-authentication (RTN22).
 *
 * <h2>Threads</h2>
 *
 * The client calls it on its callback executor (never on the event-loop thread unless the client
 * was built with inline callbacks), and never waits for the returned stage: the stage may complete
 * on any thread, later. A stage that fails, a callback that throws, or a stage that does not
 * complete within {@link io.ably.api.ClientOptions#realtimeRequestTimeout()} fails the token
 * request with 80019 (a REST request that needed the token with 40170, RSA4e); an {@link
 * io.ably.api.AblyException} with status 403 fails the realtime connection with 80019/403 (RSA4d).
 *
 * @since 0.3
 */
@FunctionalInterface
public interface AuthCallback {
  /**
   * Returns a stage of a token string, {@link TokenDetails} or {@link TokenRequest}.
   *
   * @param params the token parameters the client asks for: the defaults of the options, with the
   *     client's clientId (RSA7d); may be empty
   * @return a stage of the token (of any {@link AuthResult} type, so a {@code
   *     CompletionStage<TokenRequest>} will do), never {@code null}
   */
  CompletionStage<? extends AuthResult> getToken(TokenParams params);

  /**
   * Adapts a callback that returns a token string (an Ably token or a JWT).
   *
   * @param callback returns a stage of the token string
   * @return the callback
   */
  static AuthCallback ofTokenString(
      Function<TokenParams, CompletionStage<String>> callback) {
    Objects.requireNonNull(callback, "callback");
    return params -> callback.apply(params).thenApply(AuthResult::token);
  }
}
