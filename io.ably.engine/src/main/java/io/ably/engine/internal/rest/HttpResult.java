package io.ably.engine.internal.rest;

import java.util.List;
import java.util.Map;

/** A complete HTTP response, copied off Netty's buffers. Immutable (the body is handed over). */
final class HttpResult {
  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String host;

  /**
   * Creates a result.
   *
   * @param status the HTTP status
   * @param headers the headers, names lower case, values in order, unmodifiable
   * @param body the body, possibly empty; not copied
   * @param host the host that answered
   */
  HttpResult(int status, Map<String, List<String>> headers, byte[] body, String host) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.host = host;
  }

  int status() {
    return status;
  }

  Map<String, List<String>> headers() {
    return headers;
  }

  /** The body; callers do not modify it. */
  byte[] body() {
    return body;
  }

  String host() {
    return host;
  }

  /**
   * Returns the first value of a header.
   *
   * @param name the name, lower case
   * @return the value, or {@code null}
   */
  String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
