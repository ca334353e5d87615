package io.ably.api.filter;

import io.ably.api.internal.Checks;
import io.ably.api.message.Message;
import java.util.List;
import java.util.function.Predicate;

/**
 * A message filter: one immutable value with three faces that agree.
 *
 * <ul>
 *   <li>{@link #toJmesPath()}: the JMESPath expression the Ably service evaluates for a derived
 *       channel ({@code channels().getDerived(name, DeriveOptions.filter(f))}, RTS5), so messages
 *       that do not match never cross the network;
 *   <li>{@link #predicate()} / {@link #test(Message)}: the same meaning on the client, for
 *       {@code channel.subscribe(filter.predicate(), listener)} on any channel (RTL22-style);
 *   <li>{@link #parse(String)} / {@link #toSql()}: a SQL {@code WHERE}-like text, for example
 *       {@code name = 'trade' AND headers.symbol IN ('AAPL','MSFT') AND headers.qty >= 100 AND NOT
 *       headers.test}.
 * </ul>
 *
 * <p>A filter sees the message {@code name} and the members of {@code extras.headers}; a message
 * without headers is filtered against an empty object, so every header test sees a missing value.
 * Build one with {@link Field#NAME} and {@link Field#header(String)}, then {@link #and}, {@link #or}
 * and {@link #negate}; or parse one.
 *
 * <p>Values are immutable and thread-safe; records compare by value.
 *
 * @since 0.2
 */
public sealed interface Filter
    permits Filter.Compare,
        Filter.Match,
        Filter.Present,
        Filter.Truthy,
        Filter.And,
        Filter.Or,
        Filter.Not {

  /**
   * {@code field op value}. Equality is typed: the string {@code "100"} does not equal the number
   * {@code 100}. The ordering operators take a number only.
   *
   * @param field the field
   * @param op the operator
   * @param value the constant
   */
  record Compare(Field field, Op op, Literal value) implements Filter {
    /** Validates: an ordering operator needs a number. */
    public Compare {
      Checks.notNull(field, "field");
      Checks.notNull(op, "op");
      Checks.notNull(value, "value");
      Checks.check(
          !op.isOrdering() || value instanceof Literal.Numeric,
          "operator " + op.sql() + " compares numbers only (JMESPath orders nothing else), was "
              + value);
    }
  }

  /**
   * The field is a string that contains, starts with or ends with a text.
   *
   * @param field the field
   * @param kind how to match
   * @param text the text, not null
   */
  record Match(Field field, MatchKind kind, String text) implements Filter {
    /** Validates the parts. */
    public Match {
      Checks.notNull(field, "field");
      Checks.notNull(kind, "kind");
      Checks.notNull(text, "text");
    }
  }

  /**
   * The field is present (SQL {@code IS NOT NULL}).
   *
   * @param field the field
   */
  record Present(Field field) implements Filter {
    /** Validates the field. */
    public Present {
      Checks.notNull(field, "field");
    }
  }

  /**
   * The field, used as a condition by itself ({@code headers.test}): present and not {@code
   * false}, {@code ""}, {@code []} or <code>{}</code>.
   *
   * @param field the field
   */
  record Truthy(Field field) implements Filter {
    /** Validates the field. */
    public Truthy {
      Checks.notNull(field, "field");
    }
  }

  /**
   * All operands match.
   *
   * @param operands two or more filters, copied
   */
  record And(List<Filter> operands) implements Filter {
    /** Validates and copies. */
    public And {
      operands = List.copyOf(Checks.notNull(operands, "operands"));
      Checks.check(operands.size() >= 2, "And needs two or more operands, had " + operands.size());
    }
  }

  /**
   * At least one operand matches.
   *
   * @param operands two or more filters, copied
   */
  record Or(List<Filter> operands) implements Filter {
    /** Validates and copies. */
    public Or {
      operands = List.copyOf(Checks.notNull(operands, "operands"));
      Checks.check(operands.size() >= 2, "Or needs two or more operands, had " + operands.size());
    }
  }

  /**
   * The operand does not match.
   *
   * @param operand the filter
   */
  record Not(Filter operand) implements Filter {
    /** Validates the operand. */
    public Not {
      Checks.notNull(operand, "operand");
    }
  }

  /**
   * Parses a SQL {@code WHERE}-like condition (an optional leading {@code WHERE} is allowed).
   *
   * <p>Fields: {@code name}, {@code headers.key} ({@code headers."odd key"} for keys that are not
   * identifiers). Literals: {@code 'text'} (a quote doubled inside), numbers, {@code TRUE}, {@code
   * FALSE}. Conditions: {@code = == <> != < <= > >=}, {@code IN (...)}, {@code NOT IN (...)},
   * {@code LIKE} and {@code NOT LIKE} with {@code %} at the start, the end or both, {@code IS [NOT]
   * NULL}, the functions {@code contains}, {@code starts_with} and {@code ends_with}, a field by
   * itself, {@code AND}, {@code OR}, {@code NOT} and parentheses. Keywords are case-insensitive.
   * Projections, aggregates and grouping are refused: a filter selects messages one by one.
   *
   * @param text the condition
   * @return the filter
   * @throws FilterSyntaxException with code 40003 and the 1-based column of the problem, saying
   *     what was expected
   */
  static Filter parse(String text) {
    return new SqlParser(Checks.notNull(text, "text")).parse();
  }

  /**
   * Returns the JMESPath expression the service evaluates against {@code {name, headers}}: string
   * and other constants as backtick JSON literals, header keys quoted when they are not
   * identifiers, string matches guarded by a type test so a missing or non-string header is a
   * plain non-match.
   *
   * @return the expression
   */
  default String toJmesPath() {
    return FilterWriter.jmesPath(this);
  }

  /**
   * Returns the SQL-like text of this filter; {@link #parse(String)} of it gives back an equal
   * filter.
   *
   * @return the text
   */
  default String toSql() {
    return FilterWriter.sql(this);
  }

  /**
   * Tells whether a message matches, with exactly the meaning the service gives {@link
   * #toJmesPath()}.
   *
   * @param message the message
   * @return whether it matches
   */
  default boolean test(Message message) {
    return FilterEvaluator.matches(this, Checks.notNull(message, "message"));
  }

  /**
   * Returns this filter as a predicate, for {@code channel.subscribe(predicate, listener)}.
   *
   * @return a thread-safe predicate
   */
  default Predicate<Message> predicate() {
    return this::test;
  }

  /**
   * Returns the filter matching when this one and the other match.
   *
   * @param other the other filter
   * @return the conjunction
   */
  default Filter and(Filter other) {
    return new And(List.of(this, Checks.notNull(other, "other")));
  }

  /**
   * Returns the filter matching when this one or the other matches.
   *
   * @param other the other filter
   * @return the disjunction
   */
  default Filter or(Filter other) {
    return new Or(List.of(this, Checks.notNull(other, "other")));
  }

  /**
   * Returns the filter matching when this one does not.
   *
   * @return the negation
   */
  default Filter negate() {
    return new Not(this);
  }

  /**
   * Returns the filter matching when every one of the filters matches.
   *
   * @param filters one or more filters
   * @return the filter itself if there is one, else an {@link And}
   */
  static Filter allOf(Filter... filters) {
    Checks.check(filters.length > 0, "allOf needs at least one filter");
    return filters.length == 1 ? filters[0] : new And(List.of(filters));
  }

  /**
   * Returns the filter matching when any of the filters matches.
   *
   * @param filters one or more filters
   * @return the filter itself if there is one, else an {@link Or}
   */
  static Filter anyOf(Filter... filters) {
    Checks.check(filters.length > 0, "anyOf needs at least one filter");
    return filters.length == 1 ? filters[0] : new Or(List.of(filters));
  }
}
