package io.ably.api.filter;

/**
 * A comparison operator of a {@link Filter.Compare}. The ordering operators ({@link #LT}, {@link
 * #LE}, {@link #GT}, {@link #GE}) compare numbers only, as JMESPath does: a value that is not a
 * number never satisfies them.
 *
 * @since 0.2
 */
public enum Op {
  /** Equal: same type and value (numbers compared as IEEE doubles, as JMESPath does). */
  EQ("==", "="),
  /** Not equal: the negation of {@link #EQ}, so a missing header is not equal to anything. */
  NE("!=", "<>"),
  /** Less than, numbers only. */
  LT("<", "<"),
  /** Less than or equal, numbers only. */
  LE("<=", "<="),
  /** Greater than, numbers only. */
  GT(">", ">"),
  /** Greater than or equal, numbers only. */
  GE(">=", ">=");

  private final String jmesPath;
  private final String sql;

  Op(String jmesPath, String sql) {
    this.jmesPath = jmesPath;
    this.sql = sql;
  }

  /**
   * Returns the operator as JMESPath writes it.
   *
   * @return for example {@code "=="}
   */
  public String jmesPath() {
    return jmesPath;
  }

  /**
   * Returns the operator as the SQL-like text writes it.
   *
   * @return for example {@code "="} or {@code "<>"}
   */
  public String sql() {
    return sql;
  }

  /**
   * Tells whether this operator orders values, so accepts numbers only.
   *
   * @return {@code true} for {@code <, <=, >, >=}
   */
  public boolean isOrdering() {
    return this != EQ && this != NE;
  }
}
