package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.auth.AuthMethod;
import io.ably.api.auth.AuthOptions;
import io.ably.api.auth.AuthResult;
import io.ably.api.auth.TokenDetails;
import io.ably.api.auth.TokenParams;
import io.ably.api.auth.TokenRequest;
import io.ably.api.internal.AuthUrls;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.transport.ClientTls;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Fetches tokens from an {@code authUrl} (RSA8c) through the client's HTTP layer, on its event
 * loop: GET with the token parameters and {@code authParams} in the query, or POST with them
 * form-encoded; {@code authHeaders} as headers. The response is a token string ({@code text/plain},
 * {@code application/jwt}), TokenDetails JSON or TokenRequest JSON, told apart by content type and
 * shape (RSA8c, RSA4f). One HTTP layer per origin, kept for the client's life. The URL's query is
 * never put in an error message or log.
 */
@EventLoopConfined
final class AuthUrlClient {
  /** The largest token response read (RSA4f). */
  static final int MAX_TOKEN_BYTES = 128 * 1024;

  private final RestCore core;
  /** The HTTP layer of each origin ({@code scheme://host:port}). */
  private final Map<String, RestHttp> byOrigin = new HashMap<>();

  AuthUrlClient(RestCore core) {
    this.core = core;
  }

  /**
   * Fetches a token.
   *
   * @param url the authUrl
   * @param o the AuthOptions it comes from (their method, headers and params), or {@code null} for
   *     the client's options
   * @param params the token parameters
   * @param done called on the loop with the result or the error (80019, or 80019/403 for a 403)
   */
  void fetch(String url, AuthOptions o, TokenParams params, BiConsumer<AuthResult, AblyException> done) {
    assert core.loop.inEventLoop();
    ClientOptions options = core.options;
    AuthMethod method =
        o != null && o.authMethod() != null ? o.authMethod() : options.authMethod();
    Map<String, String> headers = o != null ? o.authHeaders() : options.authHeaders();
    Map<String, String> authParams = o != null ? o.authParams() : options.authParams();
    URI u = URI.create(url);
    boolean https = "https".equalsIgnoreCase(u.getScheme());
    int port = u.getPort() > 0 ? u.getPort() : https ? 443 : 80;
    RestHttp http;
    try {
      http = byOrigin.computeIfAbsent(
          (https ? "https://" : "http://") + u.getHost() + ":" + port, k -> layer(u.getHost(), port, https));
    } catch (AblyException e) {
      done.accept(null, failed(ErrorCode.AUTH_REQUEST_FAILED, "the authUrl cannot be reached: " + e.getMessage(), e));
      return;
    }
    Map<String, String> fields = new LinkedHashMap<>(authParams); // RSA8c3: token params win
    if (params.ttl() != null) {
      fields.put("ttl", Long.toString(params.ttl().toMillis()));
    }
    if (params.capability() != null) {
      fields.put("capability", params.capability());
    }
    if (params.clientId() != null) {
      fields.put("clientId", params.clientId());
    }
    if (params.timestamp() != null) {
      fields.put("timestamp", Long.toString(params.timestamp().toEpochMilli()));
    }
    Map<String, String> query = new LinkedHashMap<>(queryOf(u)); // RSA8c2: the URL's query kept
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("Accept", "application/json, application/jwt, text/plain");
    byte[] body = null;
    if (method == AuthMethod.GET) {
      query.putAll(fields);
    } else {
      body = form(fields).getBytes(StandardCharsets.UTF_8);
      h.put("Content-Type", "application/x-www-form-urlencoded");
    }
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String shown = AuthUrls.redacted(url);
    http.send(
        new HttpCall(method.name(), path, query, h, body),
        (result, error) -> {
          if (error != null) {
            done.accept(null, failed(ErrorCode.AUTH_REQUEST_FAILED, "the authUrl " + shown + " failed: " + error.getMessage(), error));
            return;
          }
          AuthResult r;
          try {
            r = readResult(result, shown);
          } catch (AblyException e) {
            done.accept(null, e);
            return;
          }
          done.accept(r, null);
        });
  }

  /** The result of a response; throws the error of one that gives no token. */
  private static AuthResult readResult(HttpResult result, String shown) {
    if (result.status() >= 400) {
      ErrorInfo cause = RestCore.errorOf(result, null);
      ErrorCode code = result.status() == 403 ? ErrorCode.AUTH_REQUEST_FORBIDDEN : ErrorCode.AUTH_REQUEST_FAILED;
      throw new AblyException(
          ErrorInfo.of(code, "the authUrl " + shown + " answered HTTP " + result.status() + " (RSA4c, RSA4d)", cause));
    }
    byte[] body = result.body();
    if (body.length > MAX_TOKEN_BYTES) {
      throw AblyException.of(ErrorCode.AUTH_REQUEST_FAILED, "the authUrl's response is larger than 128 KiB (RSA4f)");
    }
    String type = result.header("content-type");
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      switch (media) {
        case "text/plain", "application/jwt" -> {
          return AuthResult.token(text.strip());
        }
        case "application/json" -> {
          String t = text.strip();
          if (t.contains("\"keyName\"") && t.contains("\"mac\"")) {
            return TokenRequest.fromJson(t);
          }
          return TokenDetails.fromJson(t);
        }
        default -> throw AblyException.of(
            ErrorCode.AUTH_REQUEST_FAILED,
            "the authUrl answered with content type " + type + ", not a token, TokenDetails or TokenRequest (RSA4f)");
      }
    } catch (AblyException e) {
      if (e.code() == ErrorCode.AUTH_REQUEST_FAILED.code()) {
        throw e;
      }
      throw failed(ErrorCode.AUTH_REQUEST_FAILED, "the authUrl's response is not a token: " + e.getMessage(), e);
    }
  }

  private static AblyException failed(ErrorCode code, String message, AblyException cause) {
    return new AblyException(ErrorInfo.of(code, message, cause.errorInfo()), cause);
  }

  /** An HTTP layer for one origin: the client's options pointed at that host alone. */
  private RestHttp layer(String host, int port, boolean https) {
    ClientOptions.Builder b =
        core.options.toBuilder().endpoint(null).environment(null).host(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
            .fallbackHosts(List.of()).tls(https)
            .useTokenAuth(true); // the key is never sent there: no basic-auth TLS rule for this host
    if (https) {
      b.tlsPort(port);
    } else {
      b.port(port);
    }
    ClientOptions o = b.build();
    return new RestHttp(core.loop, o, https ? ClientTls.context(o) : null, core.resolver, core.nanoClock, core.counters);
  }

  private static Map<String, String> queryOf(URI u) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = u.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    int start = 0;
    while (start <= raw.length()) {
      int amp = raw.indexOf('&', start);
      int end = amp < 0 ? raw.length() : amp;
      String pair = raw.substring(start, end);
      start = end + 1;
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return q;
  }

  private static String form(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(PathEncoding.component(e.getKey())).append('=').append(PathEncoding.component(e.getValue()));
    }
    return sb.toString();
  }

  /** Closes every HTTP layer. Event loop only. */
  void close() {
    byOrigin.values().forEach(RestHttp::close);
    byOrigin.clear();
  }
}
