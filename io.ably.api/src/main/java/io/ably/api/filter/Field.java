package io.ably.api.filter;

import io.ably.api.internal.Checks;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a filter looks at in a message: its {@code name}, or one member of its {@code
 * extras.headers}. The methods build the filters that test this field.
 *
 * @param header the header key, or {@code null} for the message name
 * @since 0.2
 */
public record Field(String header) {
  /** The message name. */
  public static final Field NAME = new Field(null);

  /** Validates the key. */
  public Field {
    Checks.check(header == null || !header.isEmpty(), "header key must not be empty");
  }

  /**
   * Returns the field for a header.
   *
   * @param key the key in {@code extras.headers}, not empty
   * @return the field
   */
  public static Field header(String key) {
    return new Field(Checks.notNull(key, "key"));
  }

  /**
   * Tells whether this is the message name.
   *
   * @return {@code true} for {@link #NAME}
   */
  public boolean isName() {
    return header == null;
  }

  /**
   * Returns the filter {@code this == value}.
   *
   * @param value the text
   * @return the filter
   */
  public Filter eq(String value) {
    return new Filter.Compare(this, Op.EQ, Literal.of(value));
  }

  /**
   * Returns the filter {@code this == value}.
   *
   * @param value the number
   * @return the filter
   */
  public Filter eq(long value) {
    return new Filter.Compare(this, Op.EQ, Literal.of(value));
  }

  /**
   * Returns the filter {@code this == value}.
   *
   * @param value the number
   * @return the filter
   */
  public Filter eq(BigDecimal value) {
    return new Filter.Compare(this, Op.EQ, Literal.of(value));
  }

  /**
   * Returns the filter {@code this == value}.
   *
   * @param value the boolean
   * @return the filter
   */
  public Filter eq(boolean value) {
    return new Filter.Compare(this, Op.EQ, Literal.of(value));
  }

  /**
   * Returns the filter {@code this != value}, true also when the field is missing.
   *
   * @param value the text
   * @return the filter
   */
  public Filter ne(String value) {
    return new Filter.Compare(this, Op.NE, Literal.of(value));
  }

  /**
   * Returns the filter {@code this != value}, true also when the field is missing.
   *
   * @param value the number
   * @return the filter
   */
  public Filter ne(long value) {
    return new Filter.Compare(this, Op.NE, Literal.of(value));
  }

  /**
   * Returns the filter {@code this != value}, true also when the field is missing.
   *
   * @param value the boolean
   * @return the filter
   */
  public Filter ne(boolean value) {
    return new Filter.Compare(this, Op.NE, Literal.of(value));
  }

  /**
   * Returns the filter {@code this < value}; a field that is not a number never matches.
   *
   * @param value the number
   * @return the filter
   */
  public Filter lt(long value) {
    return new Filter.Compare(this, Op.LT, Literal.of(value));
  }

  /**
   * Returns the filter {@code this <= value}; a field that is not a number never matches.
   *
   * @param value the number
   * @return the filter
   */
  public Filter le(long value) {
    return new Filter.Compare(this, Op.LE, Literal.of(value));
  }

  /**
   * Returns the filter {@code this > value}; a field that is not a number never matches.
   *
   * @param value the number
   * @return the filter
   */
  public Filter gt(long value) {
    return new Filter.Compare(this, Op.GT, Literal.of(value));
  }

  /**
   * Returns the filter {@code this >= value}; a field that is not a number never matches.
   *
   * @param value the number
   * @return the filter
   */
  public Filter ge(long value) {
    return new Filter.Compare(this, Op.GE, Literal.of(value));
  }

  /**
   * Returns the filter {@code this op value} for any operator and number.
   *
   * @param op the operator
   * @param value the number
   * @return the filter
   */
  public Filter compare(Op op, BigDecimal value) {
    return new Filter.Compare(this, op, Literal.of(value));
  }

  /**
   * Returns the filter that matches when this field equals one of the texts (SQL {@code IN}): one
   * equality, or an {@link Filter.Or} of equalities.
   *
   * @param values the texts, at least one
   * @return the filter
   */
  public Filter in(String... values) {
    Checks.check(values.length > 0, "in(...) needs at least one value");
    List<Filter> operands = new ArrayList<>(values.length);
    for (String v : values) {
      operands.add(eq(v));
    }
    return operands.size() == 1 ? operands.get(0) : new Filter.Or(operands);
  }

  /**
   * Returns the filter that matches when this field is a string containing the text.
   *
   * @param text the text
   * @return the filter
   */
  public Filter contains(String text) {
    return new Filter.Match(this, MatchKind.CONTAINS, text);
  }

  /**
   * Returns the filter that matches when this field is a string starting with the text.
   *
   * @param text the text
   * @return the filter
   */
  public Filter startsWith(String text) {
    return new Filter.Match(this, MatchKind.STARTS_WITH, text);
  }

  /**
   * Returns the filter that matches when this field is a string ending with the text.
   *
   * @param text the text
   * @return the filter
   */
  public Filter endsWith(String text) {
    return new Filter.Match(this, MatchKind.ENDS_WITH, text);
  }

  /**
   * Returns the filter that matches when this field is present (not missing, not null).
   *
   * @return the filter
   */
  public Filter exists() {
    return new Filter.Present(this);
  }

  /**
   * Returns the filter that matches when this field is truthy in JMESPath's sense: present and
   * not {@code false}, not an empty string, not an empty list or object (a number, even 0, is
   * truthy).
   *
   * @return the filter
   */
  public Filter truthy() {
    return new Filter.Truthy(this);
  }
}
