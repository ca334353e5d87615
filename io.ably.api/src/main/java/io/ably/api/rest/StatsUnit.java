package io.ably.api.rest;

/**
 * The interval of application statistics (RSC6b4, TS12c).
 *
 * @since 0.2
 */
public enum StatsUnit {
  /** One minute: the default. */
  MINUTE,
  /** One hour. */
  HOUR,
  /** One day. */
  DAY,
  /** One month. */
  MONTH;

  /**
   * Returns the query parameter value.
   *
   * @return {@code minute}, {@code hour}, {@code day} or {@code month}
   */
  public String paramValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Returns the unit of a parameter value.
   *
   * @param value {@code minute}, {@code hour}, {@code day} or {@code month}
   * @return the unit, or {@code null} if the value is none of them
   */
  public static StatsUnit fromParam(String value) {
    for (StatsUnit u : values()) {
      if (u.paramValue().equals(value)) {
        return u;
      }
    }
    return null;
  }
}
