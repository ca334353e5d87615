package io.ably.itest.server;

import io.ably.api.ErrorInfo;
import io.ably.wire.WireFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A REST response built on the state loop and written by Netty: status, body, content type and
 * extra header lines (a name may repeat, one {@code Link} line per relation). Not thread-safe;
 * handed over once.
 */
final class RestResponse {
  final int status;
  final String contentType;
  final byte[] body;
  /** Extra headers as name and value pairs, in order; a name may appear more than once. */
  final List<Map.Entry<String, String>> headers = new ArrayList<>();

  RestResponse(int status, String contentType, byte[] body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  /** A body in a format: a value tree (see {@link RestFormat}). */
  static RestResponse of(int status, WireFormat format, Object value) {
    return new RestResponse(status, format.mimeType(), RestFormat.write(format, value));
  }

  /** A body already encoded in a format. */
  static RestResponse encoded(int status, WireFormat format, byte[] body) {
    return new RestResponse(status, format.mimeType(), body);
  }

  /** No body. */
  static RestResponse empty(int status) {
    return new RestResponse(status, null, new byte[0]);
  }

  /**
   * An error (PROTOCOL.md §8.4): {@code {"error":{message, code, statusCode, href}}} in the format,
   * HTTP status = statusCode, the {@code X-Ably-Errorcode} and {@code X-Ably-Errormessage} headers
   * (HP6, HP7), and for a token error a {@code WWW-Authenticate} challenge that ably-java's REST
   * client renews on (§7.7).
   */
  static RestResponse error(WireFormat format, ErrorInfo error) {
    int status = error.statusCode() == 0 ? 500 : error.statusCode();
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("message", error.message());
    inner.put("code", error.code());
    inner.put("statusCode", status);
    inner.put("href", "https://help.ably.io/error/" + error.code());
    RestResponse res = of(status, format, Map.of("error", inner));
    res.header("X-Ably-Errorcode", Integer.toString(error.code()));
    res.header("X-Ably-Errormessage", headerSafe(error.message()));
    if (status == 401 && error.code() >= 40140 && error.code() < 40150) {
      res.header("WWW-Authenticate", "x-ably-token realm=\"ably\", stale=\"true\"");
    }
    return res;
  }

  RestResponse header(String name, String value) {
    headers.add(Map.entry(name, value));
    return this;
  }

  /** A header value keeps printable ASCII only: messages may quote user input. */
  private static String headerSafe(String message) {
    StringBuilder b = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
