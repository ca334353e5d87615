package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.auth.AuthCallback;
import io.ably.api.auth.AuthOptions;
import io.ably.api.auth.AuthResult;
import io.ably.api.auth.TokenDetails;
import io.ably.api.auth.TokenParams;
import io.ably.api.auth.TokenRequest;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.PublishedAuth;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The tokens of one client (RSA4, RSA8, RSA9, RSA10), on its event loop: keeps the current token,
 * obtains a new one when asked or when the current one expired, by the first means available (an
 * {@link AuthCallback}, run on the callback executor and never waited for; an {@code authUrl}
 * fetched through the client's HTTP layer; or a TokenRequest signed with the key and exchanged
 * with the service), with one request in flight at a time however many ask. Publishes the token
 * and clientId through {@link PublishedAuth}. Also the REST credentials of a token-auth client.
 */
@EventLoopConfined
public final class TokenSource implements RestCredentials {
  private final RestCore core;
  private final ClientOptions options;
  private final PublishedAuth published;
  private final AuthUrlClient urls;
  private final LongSupplier wallClockMillis;
  private final SecureRandom random = new SecureRandom();
  /** The token in use, or null. */
  private TokenDetails current;
  /** The parameters of renewals: the options' defaults, or those of the last authorize (RSA10g). */
  private TokenParams params;
  /** The means of renewals given to the last authorize (RSA10j), or none. */
  private AuthOptions authOptions = AuthOptions.none();
  /** Who waits for the token being obtained, or null when none is being obtained. */
  private List<BiConsumer<TokenDetails, AblyException>> waiting;
  /** The clientId the connection confirmed (RSA7b3), or null. */
  private String connectedClientId;

  TokenSource(RestCore core, ClientOptions options, PublishedAuth published, LongSupplier wallClockMillis) {
    this.core = core;
    this.options = options;
    this.published = published;
    this.wallClockMillis = wallClockMillis;
    this.urls = new AuthUrlClient(core);
    this.params = options.defaultTokenParams();
    this.current =
        options.tokenDetails() != null
            ? options.tokenDetails()
            : options.token() != null ? TokenDetails.ofToken(options.token()) : null;
  }

  /**
   * The token in use. Event loop only.
   *
   * @return the token, or {@code null} before the first
   */
  public TokenDetails current() {
    return current;
  }

  /** The published token and clientId; any thread. */
  public PublishedAuth published() {
    return published;
  }

  /**
   * Gives the token to use now: the current one unless {@code renew} or it expired, else a new one.
   * Event loop only.
   *
   * @param renew whether the current token was refused (a token error) and must be replaced
   * @param then called on the loop with the token or with the error (40171 when it cannot be
   *     renewed, RSA4a; 80019 when a callback or URL failed, RSA4c; 403 family, RSA4d)
   */
  public void token(boolean renew, BiConsumer<TokenDetails, AblyException> then) {
    assert core.loop.inEventLoop();
    if (!renew && current != null && !expired(current)) {
      then.accept(current, null);
      return;
    }
    if (!canRenew()) {
      if (!renew && current != null) {
        then.accept(current, null); // no means to know better: the service decides
      } else {
        then.accept(null, notRenewable());
      }
      return;
    }
    if (waiting != null) {
      waiting.add(then);
      return;
    }
    waiting = new ArrayList<>();
    waiting.add(then);
    obtain(null, null, this::obtained);
  }

  private void obtained(TokenDetails details, AblyException error) {
    List<BiConsumer<TokenDetails, AblyException>> w = waiting;
    waiting = null;
    if (details != null) {
      use(details);
    }
    for (BiConsumer<TokenDetails, AblyException> each : w) {
      each.accept(details, error);
    }
  }

  /** Makes a token the one in use and publishes it. Event loop only. */
  void use(TokenDetails details) {
    current = details;
    publish();
  }

  /**
   * Obtains a new token and uses it from now on, with these parameters and means for later
   * renewals (RSA10). Event loop only.
   */
  void authorize(TokenParams p, AuthOptions o, BiConsumer<TokenDetails, AblyException> then) {
    if (p != null) {
      params = p; // RSA10g
    }
    if (o != null) {
      authOptions = o; // RSA10j
    }
    obtain(null, null, (d, e) -> {
      if (d != null) {
        use(d);
      }
      then.accept(d, e);
    });
  }

  /**
   * Records the clientId the connection confirmed (RSA7b3, RTC4a). Event loop only.
   *
   * @param clientId the CONNECTED clientId, or {@code null}
   */
  public void identified(String clientId) {
    connectedClientId = clientId;
    publish();
  }

  private void publish() {
    String id = connectedClientId;
    if (id == null && current != null) {
      id = current.clientId();
    }
    if (id == null) {
      id = options.clientId();
    }
    published.set(new PublishedAuth.Snapshot(current, id));
  }

  private static boolean expiredAt(TokenDetails d, long nowMillis) {
    Instant expires = d.expires();
    return expires != null && expires.toEpochMilli() <= nowMillis;
  }

  private boolean expired(TokenDetails d) {
    return expiredAt(d, wallClockMillis.getAsLong());
  }

  @Override
  public void authorization(boolean renew, BiConsumer<String, AblyException> then) {
    token(
        renew,
        (d, e) -> {
          if (e != null) {
            then.accept(null, e);
          } else {
            // RSA3b: the token, base64-encoded
            then.accept(
                "Bearer " + Base64.getEncoder().encodeToString(d.token().getBytes(StandardCharsets.UTF_8)), null);
          }
        });
  }

  @Override
  public boolean canRenew() {
    return authOptions.key() != null || authOptions.authCallback() != null || authOptions.authUrl() != null
        || options.canRenewToken();
  }

  @Override
  public boolean basic() {
    return false;
  }

  private static AblyException notRenewable() {
    return AblyException.of(
        ErrorCode.TOKEN_NOT_RENEWABLE,
        "the token expired or was refused and the client has no key, authCallback or authUrl to renew it"
            + " (RSA4a)");
  }

  // ---------------------------------------------------------------------------------------
  // Obtaining a token (RSA8)
  // ---------------------------------------------------------------------------------------

  /** The parameters of a request: given, else the stored ones, with the client's clientId (RSA7d). */
  TokenParams effectiveParams(TokenParams given) {
    TokenParams p = given != null ? given : params;
    if (p.clientId() == null && options.clientId() != null) {
      p = p.withClientId(options.clientId());
    }
    return p;
  }

  /**
   * Obtains a new token without using it (RSA8): the callback, else the URL, else a TokenRequest
   * signed with the key. Means given in {@code o} replace the client's. Event loop only.
   */
  void obtain(TokenParams given, AuthOptions given0, BiConsumer<TokenDetails, AblyException> done) {
    AuthOptions o = given0 != null && hasMeans(given0) ? given0 : authOptions;
    TokenParams p = effectiveParams(given);
    AuthCallback callback;
    String url;
    String key;
    if (hasMeans(o)) {
      callback = o.authCallback();
      url = o.authUrl();
      key = o.key();
    } else {
      callback = options.authCallback();
      url = options.authUrl();
      key = options.key();
    }
    if (callback != null) {
      runCallback(callback, p, done);
    } else if (url != null) {
      urls.fetch(url, o.authUrl() != null ? o : null, p, (r, e) -> {
        if (e != null) {
          done.accept(null, e);
        } else {
          fromResult(r, done);
        }
      });
    } else if (key != null) {
      boolean queryTime = o.queryTime() != null ? o.queryTime() : options.queryTime();
      createTokenRequest(key, p, queryTime, (r, e) -> {
        if (e != null) {
          done.accept(null, e);
        } else {
          exchange(r, done);
        }
      });
    } else {
      done.accept(
          null,
          AblyException.of(
              ErrorCode.NO_AUTH_METHOD, "no key, authCallback or authUrl to obtain a token with (RSA14)"));
    }
  }

  private static boolean hasMeans(AuthOptions o) {
    return o.key() != null || o.authCallback() != null || o.authUrl() != null;
  }

  /**
   * Signs a TokenRequest with the key (RSA9), with the service's time when {@code queryTime}
   * (RSA9d). Event loop only.
   */
  void createTokenRequest(
      String key, TokenParams p, boolean queryTime, BiConsumer<TokenRequest, AblyException> done) {
    if (key == null) {
      done.accept(null, AblyException.of(ErrorCode.NO_AUTH_METHOD, "no key to sign a TokenRequest with (RSA9)"));
      return;
    }
    if (!queryTime) {
      signNow(key, p, p.timestamp() != null ? p.timestamp() : Instant.ofEpochMilli(wallClockMillis.getAsLong()), done);
      return;
    }
    CompletableFuture<Instant> time = new CompletableFuture<>();
    time.whenComplete((t, e) -> {
      if (e != null) {
        done.accept(null, asAbly(e));
      } else {
        signNow(key, p, t, done);
      }
    });
    core.executeAnonymous("GET", "/time", Map.of(), null, Map.of(), RestReaders::time, time);
  }

  private void signNow(String key, TokenParams p, Instant timestamp, BiConsumer<TokenRequest, AblyException> done) {
    TokenRequest r;
    try {
      r = TokenSigner.sign(key, p, timestamp, TokenSigner.nonce(random));
    } catch (AblyException e) {
      done.accept(null, e);
      return;
    }
    done.accept(r, null);
  }

  /** Exchanges a TokenRequest for a token (RSA8a): JSON, without credentials. */
  void exchange(TokenRequest request, BiConsumer<TokenDetails, AblyException> done) {
    CompletableFuture<TokenDetails> f = new CompletableFuture<>();
    f.whenComplete((d, e) -> done.accept(d, e == null ? null : asAbly(e)));
    String json = "application/json";
    core.executeAnonymous(
        "POST", "/keys/" + PathEncoding.component(request.keyName()) + "/requestToken", Map.of(),
        request.toJson().getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", json, "Accept", json),
        (r, fmt) -> TokenDetails.fromJson(new String(r.body(), StandardCharsets.UTF_8)), f);
  }

  /** A callback's or URL's result as a token: a TokenRequest is exchanged (RSA8d). */
  void fromResult(AuthResult r, BiConsumer<TokenDetails, AblyException> done) {
    if (r instanceof AuthResult.Token t) {
      done.accept(TokenDetails.ofToken(t.value()), null);
    } else if (r instanceof TokenDetails d) {
      done.accept(d, null);
    } else if (r instanceof TokenRequest q) {
      exchange(q, done);
    } else {
      throw new AssertionError(r);
    }
  }

  /**
   * Runs the callback on the callback executor; its stage's result hops back to the loop, which
   * never waits for it, with {@code realtimeRequestTimeout} as the bound (RSA4c).
   */
  private void runCallback(AuthCallback callback, TokenParams p, BiConsumer<TokenDetails, AblyException> done) {
    boolean[] finished = {false};
    BiConsumer<TokenDetails, AblyException> once =
        (d, e) -> {
          if (!finished[0]) {
            finished[0] = true;
            done.accept(d, e);
          }
        };
    long timeoutNanos = options.realtimeRequestTimeout().toNanos();
    ScheduledFuture<?> timer =
        core.loop.schedule(
            () ->
                once.accept(
                    null,
                    AblyException.of(
                        ErrorCode.AUTH_REQUEST_FAILED,
                        "the authCallback did not give a token within " + options.realtimeRequestTimeout()
                            + " (RSA4c)")),
            timeoutNanos, TimeUnit.NANOSECONDS);
    BiConsumer<TokenDetails, AblyException> finish =
        (d, e) -> {
          timer.cancel(false);
          once.accept(d, e);
        };
    core.dispatch(
        "authCallback",
        () -> {
          CompletionStage<? extends AuthResult> stage;
          try {
            stage = callback.getToken(p);
            if (stage == null) {
              throw new NullPointerException("the authCallback returned a null stage");
            }
          } catch (RuntimeException e) {
            onLoop(() -> finish.accept(null, callbackFailed(e)));
            return;
          }
          stage.whenComplete(
              (r, e) ->
                  onLoop(
                      () -> {
                        if (finished[0]) {
                          return; // timed out already
                        }
                        if (e != null || r == null) {
                          finish.accept(
                              null, callbackFailed(e != null ? e : new NullPointerException("a null token")));
                        } else {
                          fromResult(r, finish);
                        }
                      }));
        });
  }

  private void onLoop(Runnable task) {
    try {
      core.loop.execute(task);
    } catch (RejectedExecutionException e) {
      // the client is closed: nobody waits for the token any more
    }
  }

  /** RSA4c: 80019 with the cause; RSA4d: a 403 keeps its status, so the connection fails. */
  static AblyException callbackFailed(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof AblyException a) {
      ErrorInfo info = a.errorInfo();
      ErrorCode code = info.statusCode() == 403 ? ErrorCode.AUTH_REQUEST_FORBIDDEN : ErrorCode.AUTH_REQUEST_FAILED;
      return new AblyException(ErrorInfo.of(code, "the authCallback failed: " + info.message(), info), a);
    }
    return new AblyException(
        ErrorInfo.of(ErrorCode.AUTH_REQUEST_FAILED, "the authCallback failed: " + c.getClass().getSimpleName()
            + (c.getMessage() == null ? "" : ": " + c.getMessage())),
        c);
  }

  static AblyException asAbly(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return c instanceof AblyException a
        ? a
        : new AblyException(ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "token request failed: " + c), c);
  }

  /** Closes the authUrl connections. Event loop only. */
  void close() {
    urls.close();
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "TokenSource[" + published.get() + "]";
  }
}
