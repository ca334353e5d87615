package io.ably.api.rest;

import io.ably.api.internal.Checks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a stats query (RSC6b). Immutable; each {@code with}-style method returns a copy.
 *
 * @param start the earliest interval, inclusive, or {@code null}
 * @param end the latest interval, inclusive, or {@code null}
 * @param direction the order, {@link Direction#BACKWARDS} by default
 * @param limit the page size, 1 to 1,000 (100 by default)
 * @param unit the interval length, {@link StatsUnit#MINUTE} by default
 * @since 0.2
 */
public record StatsParams(
    Instant start, Instant end, Direction direction, int limit, StatsUnit unit) {
  private static final StatsParams DEFAULTS =
      new StatsParams(null, null, Direction.BACKWARDS, HistoryParams.DEFAULT_LIMIT, StatsUnit.MINUTE);

  /**
   * Checks the values.
   *
   * @throws io.ably.api.AblyException (40003) if a value is out of range or missing
   */
  public StatsParams {
    Checks.notNull(direction, "direction");
    Checks.notNull(unit, "unit");
    Checks.check(
        limit >= 1 && limit <= HistoryParams.MAX_LIMIT, "limit must be 1-1000, was " + limit);
    Checks.check(
        start == null || end == null || !start.isAfter(end),
        "start " + start + " is after end " + end);
  }

  /**
   * Returns the defaults: no window, backwards, 100 a page, by minute.
   *
   * @return the defaults
   */
  public static StatsParams defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy with a start.
   *
   * @param value the earliest interval, or {@code null}
   * @return the copy
   */
  public StatsParams start(Instant value) {
    return new StatsParams(value, end, direction, limit, unit);
  }

  /**
   * Returns a copy with an end.
   *
   * @param value the latest interval, or {@code null}
   * @return the copy
   */
  public StatsParams end(Instant value) {
    return new StatsParams(start, value, direction, limit, unit);
  }

  /**
   * Returns a copy with a direction.
   *
   * @param value the direction
   * @return the copy
   */
  public StatsParams direction(Direction value) {
    return new StatsParams(start, end, value, limit, unit);
  }

  /**
   * Returns a copy with a page size.
   *
   * @param value 1 to 1,000
   * @return the copy
   */
  public StatsParams limit(int value) {
    return new StatsParams(start, end, direction, value, unit);
  }

  /**
   * Returns a copy with an interval unit.
   *
   * @param value the unit
   * @return the copy
   */
  public StatsParams unit(StatsUnit value) {
    return new StatsParams(start, end, direction, limit, value);
  }

  /**
   * Returns the query parameters.
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
    q.put("unit", unit.paramValue());
    return q;
  }
}
