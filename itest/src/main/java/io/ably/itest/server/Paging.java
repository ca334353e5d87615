package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.itest.server.ServerConductor.RefusedException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Paginated results (TG1–TG7) and their {@code Link} headers (PROTOCOL.md §8.3). Items have a
 * {@link Position}, increasing from oldest to newest; a page's cursor is the position of its last
 * item, and the next page holds the items strictly beyond it in the query's direction, so pages
 * stay consistent while new items are added. Stateless.
 */
final class Paging {
  /** The query parameter that carries the opaque cursor. */
  static final String CURSOR = "cursor";

  /** Largest {@code limit} (RSL2b3). */
  static final int MAX_LIMIT = 1000;

  /** {@code limit} when none is given. */
  static final int DEFAULT_LIMIT = 100;

  private Paging() {}

  /**
   * Where an item sits in its sequence: for history the channel serial and the index in its
   * ProtocolMessage.
   *
   * @param major the primary order
   * @param minor the order within equal {@code major}
   */
  record Position(long major, long minor) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = Long.compare(major, o.major);
      return c != 0 ? c : Long.compare(minor, o.minor);
    }
  }

  /**
   * One page.
   *
   * @param items the items, in the query's direction
   * @param next the cursor for the next page, or {@code null} on the last page
   */
  record Page<T>(List<T> items, String next) {}

  /**
   * Takes a page from items ordered oldest first.
   *
   * @param ascending all matching items, oldest first
   * @param position each item's position
   * @param backwards newest first when {@code true}
   * @param limit the page size
   * @param after the cursor of the previous page, or {@code null} for the first page
   * @param tag what a valid cursor starts with (the server epoch, so that cursors from before a
   *     restart are refused)
   * @throws RefusedException 40011 if the cursor is not one this server made
   */
  static <T> Page<T> page(
      List<T> ascending, Function<T, Position> position, boolean backwards, int limit,
      String after, String tag) throws RefusedException {
    Position from = after == null ? null : parseCursor(after, tag);
    List<T> out = new ArrayList<>(Math.min(limit, ascending.size()));
    int n = ascending.size();
    boolean more = false;
    for (int k = 0; k < n; k++) {
      T item = ascending.get(backwards ? n - 1 - k : k);
      if (from != null) {
        int c = position.apply(item).compareTo(from);
        if (backwards ? c >= 0 : c <= 0) {
          continue;
        }
      }
      if (out.size() == limit) {
        more = true;
        break;
      }
      out.add(item);
    }
    String next = null;
    if (more) {
      Position last = position.apply(out.get(out.size() - 1));
      next = tag + "." + last.major() + "." + last.minor();
    }
    return new Page<>(out, next);
  }

  private static Position parseCursor(String cursor, String tag) throws RefusedException {
    String[] parts = cursor.split("\\.", -1);
    if (parts.length == 3 && parts[0].equals(tag)) {
      try {
        return new Position(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
      } catch (NumberFormatException e) {
        // refused below
      }
    }
    throw Credentials.refused(
        ErrorCode.INVALID_PAGINATION_CURSOR, "the pagination cursor is not valid (any more)");
  }

  /**
   * Adds the {@code Link} headers of a page, one line per relation: {@code first} and
   * {@code current} always, {@code next} only when there is a next page. Targets are relative,
   * {@code ./<word>?<query>}, which every SDK re-sends to the path it used (§8.3).
   *
   * @param word the last segment of the request path ({@code messages}, {@code history}, …)
   * @param params the query without the cursor, in a stable order; {@code null} values are left out
   * @param current the cursor of this page, or {@code null} for a first page
   */
  static void links(
      RestResponse res, String word, Map<String, String> params, String current, Page<?> page) {
    res.header("Link", link(word, params, null, "first"));
    res.header("Link", link(word, params, current, "current"));
    if (page.next() != null) {
      res.header("Link", link(word, params, page.next(), "next"));
    }
  }

  private static String link(String word, Map<String, String> params, String cursor, String rel) {
    Map<String, String> all = new LinkedHashMap<>(params);
    if (cursor != null) {
      all.put(CURSOR, cursor);
    }
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> e : all.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      if (q.length() > 0) {
        q.append('&');
      }
      q.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
    }
    return "<./" + word + "?" + q + ">; rel=\"" + rel + "\"";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Reads {@code limit}: default 100, at most 1000.
   *
   * @throws RefusedException 40003 if it is not a number from 1 to 1000
   */
  static int limit(RestRequest r) throws RefusedException {
    String value = r.param("limit");
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    long limit = number(value, "limit");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Credentials.refused(
          ErrorCode.INVALID_PARAMETER, "limit must be 1 to " + MAX_LIMIT + ", was " + value);
    }
    return (int) limit;
  }

  /**
   * Reads {@code direction}: {@code true} for {@code backwards}, the default.
   *
   * @throws RefusedException 40003 for another value
   */
  static boolean backwards(RestRequest r) throws RefusedException {
    String value = r.param("direction");
    if (value == null || value.equals("backwards")) {
      return true;
    }
    if (value.equals("forwards")) {
      return false;
    }
    throw Credentials.refused(
        ErrorCode.INVALID_PARAMETER, "direction must be backwards or forwards, was " + value);
  }

  /**
   * Reads a decimal parameter.
   *
   * @throws RefusedException 40003 if it is not a whole number
   */
  static long number(String value, String name) throws RefusedException {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw Credentials.refused(
          ErrorCode.INVALID_PARAMETER, name + " must be a whole number, was " + value);
    }
  }
}
