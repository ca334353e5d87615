package io.ably.api.auth;

import java.util.concurrent.CompletionStage;

/**
 * The authentication of a client (RSA): {@code client.auth()} of a realtime or REST client.
 *
 * <h2>Threads and failures</h2>
 *
 * Methods may be called from any thread and never block: they return a {@link CompletionStage}
 * completed on the client's callback executor. A stage fails with an {@link
 * io.ably.api.AblyException}: 40106 when the client has no means to obtain a token, 40101–40105
 * or 40160 when the service refuses a TokenRequest, 80019 when an {@link AuthCallback} or {@code
 * authUrl} fails or times out (a REST request that needed the token fails with 40170, RSA4e), and
 * 80019 with status 403 when it refuses (RSA4d).
 *
 * @since 0.3
 */
public interface Auth {
  /**
   * Returns the clientId this client is identified as (RSA7, RSA12): the one the connection's
   * CONNECTED or the current token confirms, else the {@code clientId} option.
   *
   * @return the clientId, {@code *} for a wildcard token, or {@code null} for an anonymous client
   */
  String clientId();

  /**
   * Returns the token the client uses now (RSA16).
   *
   * @return the details, or {@code null} with basic authentication or before the first token
   */
  TokenDetails tokenDetails();

  /**
   * Creates a signed TokenRequest with the key (RSA9): a random nonce, the timestamp (the
   * service's with {@code queryTime}, RSA9d), the TTL, canonical capability JSON and clientId of
   * the parameters, signed with HMAC-SHA256. The key never leaves this process. Usually called
   * in a backend that hands the result to clients ({@link TokenRequest#toJson()}).
   *
   * @param params the token parameters; {@code null} for the client's {@code defaultTokenParams}
   * @param options a key to sign with instead of the client's, or {@code null}
   * @return a stage of the request; fails with 40106 (no key) or 40003 (bad capability)
   */
  CompletionStage<TokenRequest> createTokenRequest(TokenParams params, AuthOptions options);

  /**
   * Creates a signed TokenRequest with the client's key and default token parameters.
   *
   * @return a stage of the request
   * @see #createTokenRequest(TokenParams, AuthOptions)
   */
  default CompletionStage<TokenRequest> createTokenRequest() {
    return createTokenRequest(null, null);
  }

  /**
   * Obtains a new token (RSA8) by the first means available: the {@link AuthCallback}, the {@code
   * authUrl}, or a TokenRequest signed with the key and exchanged with the service. Does not
   * change the token the client uses (see {@link #authorize}).
   *
   * @param params the token parameters; {@code null} for the client's {@code defaultTokenParams}
   * @param options means to use instead of the client's, or {@code null}
   * @return a stage of the token
   */
  CompletionStage<TokenDetails> requestToken(TokenParams params, AuthOptions options);

  /**
   * Obtains a new token with the client's means and default parameters.
   *
   * @return a stage of the token
   * @see #requestToken(TokenParams, AuthOptions)
   */
  default CompletionStage<TokenDetails> requestToken() {
    return requestToken(null, null);
  }

  /**
   * Obtains a new token and makes the client use it from now on (RSA10); the parameters and
   * options given become the client's for later renewals (RSA10g, RSA10j). On a connected realtime
   * client the new token is sent in band with an AUTH message and the connection, its id and its
   * channels are kept (RTC8a); the stage completes when the service confirms it (RTC8a3). On a
   * connecting client the attempt restarts with the new token (RTC8b); on a disconnected,
   * suspended, failed or closed one the client connects with it (RTC8c).
   *
   * @param params the token parameters; {@code null} to keep the client's
   * @param options means to use instead of the client's, or {@code null}
   * @return a stage of the new token; fails as {@link #requestToken} does, or with the service's
   *     error when it refuses the token in band (RTC8a2)
   */
  CompletionStage<TokenDetails> authorize(TokenParams params, AuthOptions options);

  /**
   * Obtains a new token with the client's means and parameters and starts using it.
   *
   * @return a stage of the token
   * @see #authorize(TokenParams, AuthOptions)
   */
  default CompletionStage<TokenDetails> authorize() {
    return authorize(null, null);
  }
}
