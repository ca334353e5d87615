package io.ably.itest.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One REST request, copied out of Netty's request on the I/O thread so that the state loop can
 * serve it after Netty has released the original. Immutable (the body is never modified).
 */
final class RestRequest {
  private final String method;
  private final List<String> segments;
  private final Map<String, List<String>> query;
  private final String accept;
  private final String contentType;
  private final String authorization;
  private final String clientIdHeader;
  private final String host;
  private final int port;
  private final byte[] body;
  private final boolean keepAlive;

  /**
   * @param method the HTTP method, upper case
   * @param segments the path's segments, percent-decoded ({@code /channels/a%2Fb/messages} gives
   *     {@code channels}, {@code a/b}, {@code messages})
   * @param query the query parameters, decoded
   * @param accept the {@code Accept} header, or {@code null}
   * @param contentType the {@code Content-Type} header, or {@code null}
   * @param authorization the {@code Authorization} header, or {@code null}
   * @param clientIdHeader the {@code X-Ably-ClientId} header (base64), or {@code null}
   * @param host the host name the client addressed (from {@code Host}), or the bound address
   * @param port the port the request arrived on
   * @param body the body, empty when there is none; owned by this request
   * @param keepAlive whether the connection stays open after the response
   */
  RestRequest(
      String method, List<String> segments, Map<String, List<String>> query, String accept,
      String contentType, String authorization, String clientIdHeader, String host, int port,
      byte[] body, boolean keepAlive) {
    this.method = method;
    this.segments = segments;
    this.query = query;
    this.accept = accept;
    this.contentType = contentType;
    this.authorization = authorization;
    this.clientIdHeader = clientIdHeader;
    this.host = host;
    this.port = port;
    this.body = body;
    this.keepAlive = keepAlive;
  }

  String method() {
    return method;
  }

  List<String> segments() {
    return segments;
  }

  String accept() {
    return accept;
  }

  String contentType() {
    return contentType;
  }

  String authorization() {
    return authorization;
  }

  String clientIdHeader() {
    return clientIdHeader;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** The body; callers must not modify it. */
  byte[] body() {
    return body;
  }

  boolean keepAlive() {
    return keepAlive;
  }

  /** The header carrying a basic-auth client's clientId, base64 (RSA7e2). */
  static final String CLIENT_ID_HEADER = "X-Ably-ClientId";

  /**
   * Copies a Netty request.
   *
   * @param req the request, valid only during the call
   * @param local the address the request arrived on
   * @return the copy
   * @throws IllegalArgumentException if the URI has a malformed escape
   */
  static RestRequest of(FullHttpRequest req, SocketAddress local) {
    QueryStringDecoder decoder = new QueryStringDecoder(req.uri());
    List<String> segments = new ArrayList<>();
    for (String raw : decoder.rawPath().split("/", -1)) {
      if (!raw.isEmpty()) {
        // Netty's decoder reads '+' as a space, which is right for queries only.
        segments.add(QueryStringDecoder.decodeComponent(raw.replace("+", "%2B")));
      }
    }
    HttpHeaders h = req.headers();
    int port = local instanceof InetSocketAddress a ? a.getPort() : 0;
    String boundHost = local instanceof InetSocketAddress a ? a.getHostString() : "localhost";
    return new RestRequest(
        req.method().name(),
        List.copyOf(segments),
        Map.copyOf(decoder.parameters()),
        h.get(HttpHeaderNames.ACCEPT),
        h.get(HttpHeaderNames.CONTENT_TYPE),
        h.get(HttpHeaderNames.AUTHORIZATION),
        h.get(CLIENT_ID_HEADER),
        hostName(h.get(HttpHeaderNames.HOST), boundHost),
        port,
        ByteBufUtil.getBytes(req.content()),
        HttpUtil.isKeepAlive(req));
  }

  /** The host part of a {@code Host} header ({@code [::1]:80}, {@code a:80}, {@code a}). */
  private static String hostName(String hostHeader, String fallback) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return fallback;
    }
    String h = hostHeader.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? fallback : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /** The first value of a query parameter, or {@code null}. */
  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The path, as the request gave it, for messages. */
  String path() {
    return "/" + String.join("/", segments);
  }
}
