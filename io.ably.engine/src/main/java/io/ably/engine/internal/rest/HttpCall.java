package io.ably.engine.internal.rest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as the REST layer asks for it, before a host is chosen: the same call is sent
 * to each host tried. Immutable; the body is handed over, not copied.
 */
final class HttpCall {
  private final String method;
  private final String path;
  private final Map<String, String> query;
  private final Map<String, String> headers;
  private final byte[] body;

  /**
   * Creates a call.
   *
   * @param method the HTTP method, upper case
   * @param path the path, starting with {@code /}, already percent-encoded
   * @param query the query parameters, unencoded, in order ({@code null} values are left out)
   * @param headers the request headers (auth, version, agent, accept…)
   * @param body the body, or {@code null}
   */
  HttpCall(
      String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    this.query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body;
  }

  String method() {
    return method;
  }

  Map<String, String> headers() {
    return headers;
  }

  /** The body, or {@code null}; callers do not modify it. */
  byte[] body() {
    return body;
  }

  /**
   * Returns the request target: the path and the encoded query.
   *
   * @return for example {@code /channels/a/messages?limit=10}
   */
  String target() {
    StringBuilder sb = new StringBuilder(path);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      sb.append(sep)
          .append(PathEncoding.component(e.getKey()))
          .append('=')
          .append(PathEncoding.component(e.getValue()));
      sep = '&';
    }
    return sb.toString();
  }
}
