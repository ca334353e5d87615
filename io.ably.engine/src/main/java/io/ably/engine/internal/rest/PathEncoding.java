package io.ably.engine.internal.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of path segments and query components, as {@code encodeURIComponent} does. */
final class PathEncoding {
  private PathEncoding() {}

  /**
   * Encodes a path segment or query component: everything but unreserved characters.
   *
   * @param s the text
   * @return the encoded text
   */
  static String component(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }
}
