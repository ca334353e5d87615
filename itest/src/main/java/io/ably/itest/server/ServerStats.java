package io.ably.itest.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-app counters kept in one-minute buckets and served as v3+ Stats entries (TS12): only things
 * the server really counts (messages in and out by transport and type, connections opened, REST
 * requests, tokens issued). Confined to the server's state loop.
 */
final class ServerStats {
  /** The aggregation units of {@code GET /stats} (RSC6b4). */
  enum Unit {
    MINUTE("yyyy-MM-dd:HH:mm"),
    HOUR("yyyy-MM-dd:HH"),
    DAY("yyyy-MM-dd"),
    MONTH("yyyy-MM");

    private final DateTimeFormatter intervalFormat;

    Unit(String pattern) {
      this.intervalFormat = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
    }

    /** The lower-case name used on the wire. */
    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the {@code unit} parameter, or returns {@code null} if it names no unit. */
    static Unit parse(String value) {
      for (Unit u : values()) {
        if (u.wireName().equals(value)) {
          return u;
        }
      }
      return null;
    }

    /** The start of the interval holding a time, ms since the epoch (UTC). */
    long intervalStart(long millis) {
      ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
      ZonedDateTime start =
          switch (this) {
            case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
          };
      return start.toInstant().toEpochMilli();
    }

    String intervalId(long startMillis) {
      return intervalFormat.format(Instant.ofEpochMilli(startMillis));
    }
  }

  /**
   * One Stats entry.
   *
   * @param startMillis the interval's start
   * @param intervalId its id in the unit's format
   * @param entries counter name to value
   * @param inProgress the current second as {@code yyyy-MM-dd:HH:mm:ss} for the interval still
   *     running, else {@code null}
   */
  record Interval(long startMillis, String intervalId, Map<String, Long> entries, String inProgress) {}

  private static final long MINUTE_MILLIS = 60_000;
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd:HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** App id to minute start to counter name to value. */
  private final Map<String, TreeMap<Long, Map<String, Long>>> byApp = new HashMap<>();

  /** Adds to one counter of an app's current minute. */
  void add(String appId, String name, long delta, long nowMillis) {
    if (delta == 0) {
      return;
    }
    long minute = nowMillis - Math.floorMod(nowMillis, MINUTE_MILLIS);
    byApp
        .computeIfAbsent(appId, a -> new TreeMap<>())
        .computeIfAbsent(minute, m -> new LinkedHashMap<>())
        .merge(name, delta, Long::sum);
  }

  /**
   * Counts messages or presence messages received ({@code inbound}) or delivered, under every
   * aggregate they belong to: {@code messages.<dir>.<transport>.<type>.count} and the {@code all}
   * roll-ups of direction, transport and type.
   */
  void messages(
      String appId, boolean inbound, String transport, boolean presence, long count, long nowMillis) {
    String dir = inbound ? "inbound" : "outbound";
    String type = presence ? "presence" : "messages";
    add(appId, "messages." + dir + "." + transport + "." + type + ".count", count, nowMillis);
    add(appId, "messages." + dir + "." + transport + ".all.count", count, nowMillis);
    add(appId, "messages." + dir + ".all." + type + ".count", count, nowMillis);
    add(appId, "messages." + dir + ".all.all.count", count, nowMillis);
    add(appId, "messages.all." + type + ".count", count, nowMillis);
    add(appId, "messages.all.all.count", count, nowMillis);
  }

  /**
   * An app's intervals in a unit, oldest first, each starting within {@code [start, end]}.
   *
   * @param nowMillis marks the interval that is still in progress
   */
  List<Interval> intervals(String appId, Unit unit, long startMillis, long endMillis, long nowMillis) {
    TreeMap<Long, Map<String, Long>> minutes = byApp.get(appId);
    if (minutes == null) {
      return List.of();
    }
    TreeMap<Long, Map<String, Long>> merged = new TreeMap<>();
    for (Map.Entry<Long, Map<String, Long>> m : minutes.entrySet()) {
      long start = unit.intervalStart(m.getKey());
      if (start < startMillis || start > endMillis) {
        continue;
      }
      Map<String, Long> into = merged.computeIfAbsent(start, s -> new LinkedHashMap<>());
      m.getValue().forEach((name, value) -> into.merge(name, value, Long::sum));
    }
    long current = unit.intervalStart(nowMillis);
    List<Interval> out = new ArrayList<>(merged.size());
    for (Map.Entry<Long, Map<String, Long>> e : merged.entrySet()) {
      String inProgress =
          e.getKey() == current ? SECOND.format(Instant.ofEpochMilli(nowMillis)) : null;
      out.add(
          new Interval(
              e.getKey(),
              unit.intervalId(e.getKey()),
              Collections.unmodifiableMap(new TreeMap<>(e.getValue())),
              inProgress));
    }
    return out;
  }
}
