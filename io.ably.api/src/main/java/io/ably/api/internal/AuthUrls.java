package io.ably.api.internal;

import java.net.URI;
import java.net.URISyntaxException;

/** Checks and redacts {@code authUrl}s for the API and the engine; stateless. Not API. */
public final class AuthUrls {
  private AuthUrls() {}

  /** Checks an absolute http or https URL with a host; null is allowed. */
  public static void check(String field, String url) {
    if (url == null) {
      return;
    }
    try {
      URI u = new URI(url);
      String scheme = u.getScheme();
      Checks.check(
          ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && u.getHost() != null,
          field + " must be an http or https URL with a host, was " + redacted(url));
    } catch (URISyntaxException e) {
      throw Checks.invalid(field + " is not a URL: " + redacted(url));
    }
  }

  /** The URL without its query, fragment or user info, which may hold secrets. */
  public static String redacted(String url) {
    if (url == null) {
      return null;
    }
    String s = url;
    int cut = s.length();
    int q = s.indexOf('?');
    int h = s.indexOf('#');
    if (q >= 0) {
      cut = Math.min(cut, q);
    }
    if (h >= 0) {
      cut = Math.min(cut, h);
    }
    s = s.substring(0, cut);
    int scheme = s.indexOf("://");
    int at = s.indexOf('@');
    if (scheme >= 0 && at > scheme) {
      s = s.substring(0, scheme + 3) + "***@" + s.substring(at + 1);
    }
    return cut < url.length() ? s + "?***" : s;
  }
}
