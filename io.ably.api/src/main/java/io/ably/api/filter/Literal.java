package io.ably.api.filter;

import io.ably.api.internal.Checks;
import java.math.BigDecimal;

/**
 * A constant a field is compared with: a string, a number or a boolean, the JSON scalar types a
 * message header may hold.
 *
 * @since 0.2
 */
public sealed interface Literal permits Literal.Text, Literal.Numeric, Literal.Bool {

  /**
   * A string constant.
   *
   * @param value the text, not null
   */
  record Text(String value) implements Literal {
    /** Validates the value. */
    public Text {
      Checks.notNull(value, "value");
    }
  }

  /**
   * A number constant. Equality of records is that of {@link BigDecimal} (scale counts), so that
   * a parsed text gives back exactly the filter it was written from; matching compares the values
   * as IEEE doubles, as JMESPath does, so {@code 100} and {@code 100.0} match the same messages.
   *
   * @param value the number, not null
   */
  record Numeric(BigDecimal value) implements Literal {
    /** Validates the value. */
    public Numeric {
      Checks.notNull(value, "value");
    }
  }

  /**
   * A boolean constant.
   *
   * @param value the value
   */
  record Bool(boolean value) implements Literal {}

  /**
   * Returns a string constant.
   *
   * @param value the text
   * @return the literal
   */
  static Literal of(String value) {
    return new Text(value);
  }

  /**
   * Returns a number constant.
   *
   * @param value the number
   * @return the literal
   */
  static Literal of(long value) {
    return new Numeric(BigDecimal.valueOf(value));
  }

  /**
   * Returns a number constant.
   *
   * @param value the number
   * @return the literal
   */
  static Literal of(BigDecimal value) {
    return new Numeric(value);
  }

  /**
   * Returns a boolean constant.
   *
   * @param value the value
   * @return the literal
   */
  static Literal of(boolean value) {
    return new Bool(value);
  }
}
