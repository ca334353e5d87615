package io.ably.api.rest;

import io.ably.api.internal.Checks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a history query (RSL2b, RSP4b, RTL10a): a time window, a direction and a page
 * size, and for a realtime channel {@code untilAttach} (RTL10b). Immutable; each {@code with}-style
 * method returns a copy.
 *
 * <pre>{@code
 * HistoryParams.defaults().direction(Direction.FORWARDS).limit(50).start(Instant.now().minusSeconds(60))
 * }</pre>
 *
 * @param start the earliest time, inclusive, or {@code null} for none
 * @param end the latest time, inclusive, or {@code null} for now
 * @param direction the order, {@link Direction#BACKWARDS} by default
 * @param limit the page size, 1 to 1,000 ({@link #DEFAULT_LIMIT} by default)
 * @param untilAttach for a realtime channel only: only messages published before the channel
 *     attached (RTL10b); the channel must be attached
 * @since 0.2
 */
public record HistoryParams(
    Instant start, Instant end, Direction direction, int limit, boolean untilAttach) {
  /** The default page size (RSL2b3). */
  public static final int DEFAULT_LIMIT = 100;
  /** The largest page size the service allows (RSL2b3). */
  public static final int MAX_LIMIT = 1_000;

  private static final HistoryParams DEFAULTS =
      new HistoryParams(null, null, Direction.BACKWARDS, DEFAULT_LIMIT, false);

  /**
   * Checks the values.
   *
   * @throws io.ably.api.AblyException (40003) if the limit is out of range, the direction is
   *     {@code null} or {@code start} is after {@code end}
   */
  public HistoryParams {
    Checks.notNull(direction, "direction");
    Checks.check(limit >= 1 && limit <= MAX_LIMIT, "limit must be 1-1000, was " + limit);
    Checks.check(
        start == null || end == null || !start.isAfter(end),
        "start " + start + " is after end " + end);
  }

  /**
   * Returns the defaults: no window, backwards, 100 a page.
   *
   * @return the defaults
   */
  public static HistoryParams defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy with a start.
   *
   * @param value the earliest time, or {@code null}
   * @return the copy
   */
  public HistoryParams start(Instant value) {
    return new HistoryParams(value, end, direction, limit, untilAttach);
  }

  /**
   * Returns a copy with an end.
   *
   * @param value the latest time, or {@code null}
   * @return the copy
   */
  public HistoryParams end(Instant value) {
    return new HistoryParams(start, value, direction, limit, untilAttach);
  }

  /**
   * Returns a copy with a direction.
   *
   * @param value the direction
   * @return the copy
   */
  public HistoryParams direction(Direction value) {
    return new HistoryParams(start, end, value, limit, untilAttach);
  }

  /**
   * Returns a copy with a page size.
   *
   * @param value 1 to 1,000
   * @return the copy
   */
  public HistoryParams limit(int value) {
    return new HistoryParams(start, end, direction, value, untilAttach);
  }

  /**
   * Returns a copy with {@code untilAttach} (realtime channels only, RTL10b).
   *
   * @param value whether to stop at the attach point
   * @return the copy
   */
  public HistoryParams untilAttach(boolean value) {
    return new HistoryParams(start, end, direction, limit, value);
  }

  /**
   * Returns the query parameters, without {@code untilAttach} (which the client turns into the
   * attach serial).
   *
   * @return an ordered map
   */
  public Map<String, String> toQuery() {
    Map<String, String> q = new LinkedHashMap<>();
    if (start != null) {
      q.put("start", Long.toString(start.toEpochMilli()));
    }
    if (end != null) {
      q.put("end", Long.toString(end.toEpochMilli()));
    }
    q.put("direction", direction.paramValue());
    q.put("limit", Integer.toString(limit));
    return q;
  }
}
