package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.rest.PaginatedResult;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.PublishedAuth;
import io.ably.engine.internal.RestCounters;
import io.ably.engine.internal.transport.ClientTls;
import io.ably.engine.internal.transport.ConnectionUrl;
import io.ably.wire.RestBodies;
import io.ably.wire.WireFormat;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The REST request path of one client, on its event loop: builds each request's headers (auth,
 * version, agent, format, request id), sends it through {@link RestHttp}, turns error responses
 * into {@link AblyException}s with the service's code and status (RSC8, HP6, HP7), retries once
 * with renewed credentials after a token error when the credentials can renew (RSA4b), reads the
 * body, counts and times every operation, and completes the user's stage on the callback thread.
 *
 * <p>Loop-confined except {@link #submit}, which user threads call.
 */
@EventLoopConfined
public final class RestCore {
  /** The size limit of a publish when the service has not said otherwise (TO3l8). */
  static final int MAX_MESSAGE_SIZE = 65_536;

  final EventLoop loop;
  final ClientOptions options;
  final WireFormat format;
  final ClientLog log;
  final RestCounters counters;
  private final CallbackDispatcher callbacks;
  private final RestHttp http;
  /** How requests authenticate: basic, or the token source (after authorize, RSA10). */
  private RestCredentials credentials;
  /** The client's tokens (RSA4, RSA8–RSA10). */
  private final TokenSource tokens;
  final AddressResolverGroup<InetSocketAddress> resolver;
  final LongSupplier nanoClock;
  private final String agent;
  /** Random bytes for idempotent message ids (RSL1k1) and request ids (RSC7c). */
  private final SecureRandom random = new SecureRandom();

  /** Reads a successful response body. */
  @FunctionalInterface
  interface Reader<T> {
    /**
     * Reads the body.
     *
     * @param result the response
     * @param format the body's format (from its Content-Type)
     * @return the value
     * @throws AblyException (or its subclass {@code WireFormatException}) if it cannot be read
     */
    T read(HttpResult result, WireFormat format);
  }

  /**
   * Creates the REST path of a client. Any thread; used on {@code loop}.
   *
   * @param loop the client's event loop
   * @param options the client's options
   * @param ssl the TLS context, or {@code null} to build one from the options when TLS is on
   * @param resolver the host name resolver (must not block the loop)
   * @param callbacks the client's callback dispatcher
   * @param log the client's log
   * @param counters where REST requests are counted
   * @param nanoClock the clock
   */
  public RestCore(
      EventLoop loop, ClientOptions options, SslContext ssl, AddressResolverGroup<InetSocketAddress> resolver,
      CallbackDispatcher callbacks, ClientLog log, RestCounters counters, LongSupplier nanoClock) {
    this(loop, options, ssl, resolver, callbacks, log, counters, nanoClock, null, null);
  }

  /** As the public constructor, with the credentials given (a renewing kind, in tests). */
  RestCore(
      EventLoop loop, ClientOptions options, SslContext ssl, AddressResolverGroup<InetSocketAddress> resolver,
      CallbackDispatcher callbacks, ClientLog log, RestCounters counters, LongSupplier nanoClock,
      RestCredentials credentials, PublishedAuth auth) {
    this.loop = loop;
    this.resolver = resolver;
    this.options = options;
    this.format = options.useBinaryProtocol() ? WireFormat.MSGPACK : WireFormat.JSON;
    this.log = log;
    this.counters = counters;
    this.callbacks = callbacks;
    this.nanoClock = nanoClock;
    PublishedAuth published =
        auth != null ? auth : new PublishedAuth(new PublishedAuth.Snapshot(options.tokenDetails(), options.clientId()));
    this.tokens = new TokenSource(this, options, published, System::currentTimeMillis);
    this.credentials =
        credentials != null ? credentials : options.usesTokenAuth() ? tokens : RestCredentials.of(options);
    this.agent = ConnectionUrl.agent(options);
    SslContext context = ssl != null || !options.tls() ? ssl : ClientTls.context(options);
    this.http = new RestHttp(loop, options, context, resolver, nanoClock, counters);
  }

  /**
   * Runs an operation on the loop and returns its stage, completed on the callback thread. Any
   * thread. A closed loop fails the stage with 80017.
   *
   * @param <T> the result type
   * @param what what the operation is, for the log
   * @param op run on the loop with the future to complete (on the loop)
   * @return the stage
   */
  <T> CompletionStage<T> submit(String what, Consumer<CompletableFuture<T>> op) {
    CompletableFuture<T> stage = new CompletableFuture<>();
    CompletableFuture<T> inner = new CompletableFuture<>();
    inner.whenComplete(
        (v, e) ->
            callbacks.dispatch(
                what,
                () -> {
                  if (e != null) {
                    stage.completeExceptionally(e);
                  } else {
                    stage.complete(v);
                  }
                }));
    try {
      loop.execute(
          () -> {
            try {
              op.accept(inner);
            } catch (AblyException e) {
              inner.completeExceptionally(e);
            } catch (RuntimeException e) {
              log.log(Level.WARNING, () -> what + " failed", e);
              inner.completeExceptionally(
                  new AblyException(ErrorInfo.of(ErrorCode.INTERNAL_ERROR, what + " failed: " + e), e));
            }
          });
    } catch (RejectedExecutionException e) {
      stage.completeExceptionally(
          new AblyException(ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "the client is closed"), e));
    }
    return stage.minimalCompletionStage();
  }

  /**
   * The client's tokens. Event loop only, except {@link TokenSource#published()}.
   *
   * @return the token source
   */
  public TokenSource tokens() {
    return tokens;
  }

  /** From now on requests authenticate with the token source (RSA10: authorize). */
  void useTokens() {
    credentials = tokens;
  }

  /**
   * Makes a request without credentials (RSA8a: a TokenRequest exchange; the time for RSA9d), on
   * the client's hosts. Event loop only.
   */
  <T> void executeAnonymous(
      String method, String path, Map<String, String> query, byte[] body,
      Map<String, String> extraHeaders, Reader<T> reader, CompletableFuture<T> done) {
    assert loop.inEventLoop();
    long startNanos = nanoClock.getAsLong();
    done.whenComplete(
        (v, e) -> {
          counters.latency(nanoClock.getAsLong() - startNanos);
          if (e != null) {
            counters.restFailure();
          }
        });
    Attempt<T> a =
        new Attempt<>(method, path, new LinkedHashMap<>(query), body, extraHeaders, false, reader, done, null);
    a.send(null);
  }

  /**
   * Makes a request and reads its response. Event loop only.
   *
   * @param <T> the result type
   * @param method the HTTP method
   * @param path the encoded path
   * @param query the query parameters
   * @param body the body in {@link #format}, or {@code null}
   * @param extraHeaders headers to add, possibly empty
   * @param errorsAreResults whether an error status is read as a result (raw requests, HP5)
   * @param reader reads the response
   * @param done completed on the loop with the value or the error
   */
  <T> void execute(
      String method, String path, Map<String, String> query, byte[] body,
      Map<String, String> extraHeaders, boolean errorsAreResults, Reader<T> reader,
      CompletableFuture<T> done) {
    assert loop.inEventLoop();
    long startNanos = nanoClock.getAsLong();
    done.whenComplete(
        (v, e) -> {
          counters.latency(nanoClock.getAsLong() - startNanos);
          if (e != null) {
            counters.restFailure();
          }
        });
    if (credentials == null) {
      done.completeExceptionally(
          AblyException.of(ErrorCode.NO_AUTH_METHOD, "no key or token to authenticate with (RSC1b)"));
      return;
    }
    if (credentials.basic() && !options.tls() && !ConnectionUrl.isLoopback(RestTls.primaryHost(options))) {
      done.completeExceptionally(
          AblyException.of(
              ErrorCode.INSECURE_BASIC_AUTH,
              "basic authentication with a key needs TLS (RSA1)"));
      return;
    }
    Map<String, String> q = new LinkedHashMap<>(query);
    String requestId = null;
    if (options.addRequestIds()) {
      requestId = randomBase64(12, true); // RSC7c: kept across fallback retries
      q.put("request_id", requestId);
    }
    Attempt<T> a =
        new Attempt<>(method, path, q, body, extraHeaders, errorsAreResults, reader, done, requestId);
    a.authorize(false);
  }

  /**
   * RSA4e: a REST request whose authCallback or authUrl failed fails with 40170 (the cause kept); a
   * refusal with 403 (RSA4d) and every other error are kept as they are.
   */
  static AblyException restAuthError(AblyException error) {
    ErrorInfo info = error.errorInfo();
    if (info.code() != ErrorCode.AUTH_REQUEST_FAILED.code() || info.statusCode() == 403) {
      return error;
    }
    return new AblyException(
        ErrorInfo.of(ErrorCode.AUTH_CALLBACK_FAILED, "could not get a token for the request (RSA4e)", info),
        error);
  }

  /** One operation's request, sent again once with renewed credentials after a token error. */
  private final class Attempt<T> {
    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final byte[] body;
    private final Map<String, String> extraHeaders;
    private final boolean errorsAreResults;
    private final Reader<T> reader;
    private final CompletableFuture<T> done;
    private final String requestId;
    private boolean renewed;

    Attempt(
        String method, String path, Map<String, String> query, byte[] body,
        Map<String, String> extraHeaders, boolean errorsAreResults, Reader<T> reader,
        CompletableFuture<T> done, String requestId) {
      this.method = method;
      this.path = path;
      this.query = query;
      this.body = body;
      this.extraHeaders = extraHeaders;
      this.errorsAreResults = errorsAreResults;
      this.reader = reader;
      this.done = done;
      this.requestId = requestId;
    }

    void authorize(boolean renew) {
      credentials.authorization(
          renew,
          (header, error) -> {
            if (error != null) {
              done.completeExceptionally(restAuthError(error));
            } else {
              send(header);
            }
          });
    }

    /** Whether this request carries no credentials (a token exchange), so never renews. */
    private boolean anonymous;

    private void send(String authorization) {
      anonymous = authorization == null;
      Map<String, String> h = new LinkedHashMap<>();
      h.put("X-Ably-Version", Integer.toString(ConnectionUrl.PROTOCOL_VERSION)); // RSC7e
      h.put("Ably-Agent", agent); // RSC7d2
      h.put(
          "Accept",
          format == WireFormat.MSGPACK
              ? WireFormat.MSGPACK.mimeType() + "," + WireFormat.JSON.mimeType()
              : WireFormat.JSON.mimeType()); // RSC8
      if (body != null) {
        h.put("Content-Type", format.mimeType());
      }
      if (authorization != null) {
        h.put("Authorization", authorization);
      }
      if (authorization != null && credentials.basic() && options.clientId() != null) {
        h.put(
            "X-Ably-ClientId",
            Base64.getEncoder().encodeToString(options.clientId().getBytes(StandardCharsets.UTF_8))); // RSA7e2
      }
      h.putAll(extraHeaders);
      http.send(new HttpCall(method, path, query, h, body), this::answered);
    }

    private void answered(HttpResult result, AblyException error) {
      if (error != null) {
        done.completeExceptionally(withRequestId(error));
        return;
      }
      if (result.status() >= 400) {
        ErrorInfo info = errorOf(result, requestId);
        if (result.status() == 401 && info.isTokenError() && !errorsAreResults && !anonymous) {
          if (credentials.canRenew() && !renewed) {
            renewed = true; // RSA4b: renew once and send again
            authorize(true);
            return;
          }
          if (!credentials.canRenew() && !credentials.basic()) {
            // RSA4a2: a token the client cannot renew was refused
            done.completeExceptionally(
                new AblyException(
                    ErrorInfo.of(
                        ErrorCode.TOKEN_NOT_RENEWABLE,
                        "the token was refused and the client has no means to renew it (RSA4a2)",
                        info)));
            return;
          }
        }
        if (!errorsAreResults) {
          done.completeExceptionally(new AblyException(info));
          return;
        }
      }
      T value;
      try {
        WireFormat f = responseFormat(result);
        value = reader.read(result, f);
      } catch (AblyException e) {
        done.completeExceptionally(withRequestId(e));
        return;
      } catch (RuntimeException e) {
        done.completeExceptionally(
            new AblyException(
                ErrorInfo.of(ErrorCode.INVALID_MESSAGE_DATA, "the response could not be read: " + e), e));
        return;
      }
      done.complete(value);
    }

    private AblyException withRequestId(AblyException e) {
      if (requestId == null) {
        return e;
      }
      ErrorInfo i = e.errorInfo();
      return new AblyException(
          new ErrorInfo(i.code(), i.statusCode(), i.message(), i.href(), i.cause(), i.detail(), requestId),
          e);
    }
  }

  /**
   * The format of a response body, from its Content-Type (RSC8d); no body reads as JSON.
   *
   * @throws AblyException (40013) for a body of an unsupported type (RSC8e)
   */
  static WireFormat responseFormat(HttpResult result) {
    String type = result.header("content-type");
    if (type == null) {
      if (result.body().length == 0) {
        return WireFormat.JSON;
      }
      throw AblyException.of(ErrorCode.INVALID_MESSAGE_DATA, "the response has a body without a Content-Type (RSC8e)");
    }
    int semi = type.indexOf(';');
    String media = (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    for (WireFormat f : WireFormat.values()) {
      if (f.mimeType().equals(media)) {
        return f;
      }
    }
    throw AblyException.of(
        ErrorCode.INVALID_MESSAGE_DATA, "the response's Content-Type " + type + " is not supported (RSC8e)");
  }

  /**
   * The error of an error response: from its body, else its {@code X-Ably-Errorcode} and {@code
   * X-Ably-Errormessage} headers, else the status alone; the HTTP status fills a missing status.
   */
  static ErrorInfo errorOf(HttpResult result, String requestId) {
    ErrorInfo fromBody = null;
    try {
      fromBody = RestBodies.error(responseFormat(result), result.body());
    } catch (AblyException e) {
      // an unreadable body: the headers say what they can
    }
    int code = fromBody != null ? fromBody.code() : 0;
    String message = fromBody != null ? fromBody.message() : null;
    String href = fromBody != null ? fromBody.href() : null;
    if (code == 0) {
      code = headerCode(result.header("x-ably-errorcode"));
    }
    if (message == null || message.isEmpty()) {
      message = result.header("x-ably-errormessage");
    }
    if (message == null || message.isEmpty()) {
      message = "HTTP " + result.status() + " from " + result.host();
    }
    int status = fromBody != null && fromBody.statusCode() != 0 ? fromBody.statusCode() : result.status();
    if (status < 100 || status > 599) {
      status = 0;
    }
    return new ErrorInfo(code, status, message, href, null, null, requestId);
  }

  private static int headerCode(String value) {
    if (value == null) {
      return 0;
    }
    try {
      int c = Integer.parseInt(value.strip());
      return c >= 10_000 && c <= 99_999 ? c : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Fetches one page of a paginated query. Event loop only.
   *
   * @param <T> the item type
   * @param path the encoded path
   * @param query the query
   * @param items reads a page's items
   * @param done completed on the loop with the page
   */
  <T> void page(
      String path, Map<String, String> query, Reader<List<T>> items,
      CompletableFuture<PaginatedResult<T>> done) {
    CompletableFuture<PaginatedResult<T>> inner = new CompletableFuture<>();
    execute(
        "GET", path, query, null, Map.of(), false,
        (r, f) -> new Page<>(this, items.read(r, f), LinkHeader.parse(r.headers().get("link"), path), items),
        inner);
    inner.whenComplete(
        (v, e) -> {
          if (e != null) {
            done.completeExceptionally(e);
          } else {
            done.complete(v);
          }
        });
  }

  /**
   * Returns random bytes as base64 (RSL1k1, RSC7c).
   *
   * @param bytes how many random bytes
   * @param urlSafe whether to use the URL-safe alphabet
   * @return the text
   */
  String randomBase64(int bytes, boolean urlSafe) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return (urlSafe ? Base64.getUrlEncoder().withoutPadding() : Base64.getEncoder()).encodeToString(b);
  }

  /**
   * Hands a callback to the client's callback thread. Event loop only.
   *
   * @param what a description for the log
   * @param callback the callback
   */
  void dispatch(String what, Runnable callback) {
    callbacks.dispatch(what, callback);
  }

  /** Closes the HTTP connections. Event loop only. */
  void close() {
    http.close();
    tokens.close();
  }
}
