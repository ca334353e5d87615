package io.ably.engine.internal.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Link} header of a paginated response (TG, PROTOCOL.md §8.3): relative links
 * {@code <./word?query>; rel="name"}, one per header line or several joined with commas. Pure.
 */
final class LinkHeader {
  private static final Pattern LINK = Pattern.compile("<\\./([^>?]*)\\?([^>]*)>\\s*;\\s*rel=\"?(\\w+)\"?");

  private LinkHeader() {}

  /**
   * A link: the path it points to and its decoded query.
   *
   * @param path the path, resolved against the request's path
   * @param query the query parameters, decoded, in order
   */
  record Link(String path, Map<String, String> query) {}

  /**
   * Parses the links of a response.
   *
   * @param values the values of its {@code Link} headers, or {@code null}
   * @param requestPath the path of the request that got the response
   * @return the links by relation ({@code first}, {@code current}, {@code next})
   */
  static Map<String, Link> parse(List<String> values, String requestPath) {
    Map<String, Link> links = new LinkedHashMap<>();
    if (values == null) {
      return links;
    }
    String dir = requestPath.substring(0, requestPath.lastIndexOf('/') + 1);
    for (String value : values) {
      Matcher m = LINK.matcher(value);
      while (m.find()) {
        String word = m.group(1);
        links.put(m.group(3), new Link(word.isEmpty() ? requestPath : dir + word, query(m.group(2))));
      }
    }
    return links;
  }

  private static Map<String, String> query(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : q.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}
