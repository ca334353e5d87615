package io.ably.api.filter;

/**
 * How a {@link Filter.Match} compares a text with a string field. A field that is missing or not a
 * string never matches.
 *
 * @since 0.2
 */
public enum MatchKind {
  /** The field contains the text ({@code contains} in JMESPath, {@code LIKE '%x%'}). */
  CONTAINS("contains"),
  /** The field starts with the text ({@code starts_with}, {@code LIKE 'x%'}). */
  STARTS_WITH("starts_with"),
  /** The field ends with the text ({@code ends_with}, {@code LIKE '%x'}). */
  ENDS_WITH("ends_with");

  private final String function;

  MatchKind(String function) {
    this.function = function;
  }

  /**
   * Returns the name of the JMESPath function, also accepted as a function in the SQL-like text.
   *
   * @return for example {@code "starts_with"}
   */
  public String function() {
    return function;
  }

  boolean matches(String value, String text) {
    return switch (this) {
      case CONTAINS -> value.contains(text);
      case STARTS_WITH -> value.startsWith(text);
      case ENDS_WITH -> value.endsWith(text);
    };
  }
}
