package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.auth.Auth;
import io.ably.api.auth.AuthOptions;
import io.ably.api.auth.TokenDetails;
import io.ably.api.auth.TokenParams;
import io.ably.api.auth.TokenRequest;
import io.ably.api.internal.AuthUrls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * {@code client.auth()} (RSA8–RSA10, RSA7): hands each operation to the client's {@link
 * TokenSource} on its event loop and completes the stage on the callback thread; the getters read
 * the published token and clientId. Any thread.
 */
public final class RealAuth implements Auth {
  /** What a realtime client does with a token {@link #authorize} obtained (RTC8). */
  @FunctionalInterface
  public interface Reauthorizer {
    /**
     * Puts a new token to use on the connection. Event loop only.
     *
     * @param details the token
     * @param done called on the loop when the connection took it, or with its error
     */
    void reauthorize(TokenDetails details, BiConsumer<TokenDetails, AblyException> done);
  }

  private final RestCore core;
  /** Set once by a realtime client before it is handed out; read on the loop. */
  private Reauthorizer reauthorizer = (d, done) -> done.accept(d, null);

  RealAuth(RestCore core) {
    this.core = core;
  }

  /**
   * Makes {@link #authorize} put each new token to use on the connection too. Called once, on the
   * creating thread, before the client is handed out.
   *
   * @param value the connection's reauthorization
   */
  public void reauthorizeWith(Reauthorizer value) {
    reauthorizer = value;
  }

  @Override
  public String clientId() {
    return core.tokens().published().get().clientId();
  }

  @Override
  public TokenDetails tokenDetails() {
    return core.tokens().published().get().tokenDetails();
  }

  @Override
  public CompletionStage<TokenRequest> createTokenRequest(TokenParams params, AuthOptions options) {
    return core.submit(
        "createTokenRequest",
        done -> {
          TokenSource tokens = core.tokens();
          String key = (options != null && options.key() != null) ? options.key() : core.options.key();
          boolean queryTime =
              (options != null && options.queryTime() != null) ? options.queryTime() : core.options.queryTime();
          tokens.createTokenRequest(key, tokens.effectiveParams(params), queryTime, bridge(done));
        });
  }

  @Override
  public CompletionStage<TokenDetails> requestToken(TokenParams params, AuthOptions options) {
    return core.submit("requestToken", done -> core.tokens().obtain(params, options, bridge(done)));
  }

  @Override
  public CompletionStage<TokenDetails> authorize(TokenParams params, AuthOptions options) {
    return core.submit(
        "authorize",
        done ->
            core.tokens()
                .authorize(
                    params, options,
                    (d, e) -> {
                      if (e != null) {
                        done.completeExceptionally(e);
                        return;
                      }
                      core.useTokens(); // RSA10a: token auth from now on
                      reauthorizer.reauthorize(d, bridge(done));
                    }));
  }

  private static <T> BiConsumer<T, AblyException> bridge(CompletableFuture<T> done) {
    return (v, e) -> {
      if (e != null) {
        done.completeExceptionally(e);
      } else {
        done.complete(v);
      }
    };
  }

  /** Never shows a secret. */
  @Override
  public String toString() {
    return "Auth[clientId=" + clientId() + ", authUrl=" + AuthUrls.redacted(core.options.authUrl()) + "]";
  }
}
