package io.ably.api.rest;

import java.util.Map;

/**
 * Application statistics for one interval (TS12, RSC6): the interval, and the counters the service
 * keeps, each named by its dotted path (for example {@code messages.all.all.count} or
 * {@code apiRequests.all.succeeded}). Fields this client does not know are kept, as JSON text, in
 * {@link #otherFields()}. Immutable.
 *
 * @param intervalId the interval, for example {@code 2026-12-05:07:52} (TS12a)
 * @param unit the interval's unit (TS12c)
 * @param schema the URL of the JSON schema of {@code entries} (TS12f), or {@code null}
 * @param appId the application id (TS12g), or {@code null}
 * @param inProgress for an interval still open, how far it has been counted (TS12h), or
 *     {@code null}
 * @param entries the counters (TS12r): name to value, unmodifiable
 * @param otherFields fields not named above: name to compact JSON text, unmodifiable
 * @since 0.2
 */
public record Stats(
    String intervalId,
    StatsUnit unit,
    String schema,
    String appId,
    String inProgress,
    Map<String, Number> entries,
    Map<String, String> otherFields) {
  /** Copies the maps. */
  public Stats {
    entries = entries == null ? Map.of() : Map.copyOf(entries);
    otherFields = otherFields == null ? Map.of() : Map.copyOf(otherFields);
  }

  /**
   * Returns a counter as a whole number.
   *
   * @param name the counter's dotted name
   * @return its value, {@code 0} when the service reported none
   */
  public long count(String name) {
    Number n = entries.get(name);
    return n == null ? 0 : n.longValue();
  }
}
