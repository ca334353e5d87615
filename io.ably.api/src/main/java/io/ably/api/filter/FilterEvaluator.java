package io.ably.api.filter;

import io.ably.api.message.Message;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a {@link Filter} against a message with JMESPath's semantics over {@code {name,
 * headers}}: typed equality, numbers compared as doubles, ordering of numbers only, JMESPath
 * truthiness. Stateless.
 */
final class FilterEvaluator {
  private FilterEvaluator() {}

  static boolean matches(Filter filter, Message message) {
    return eval(filter, message.name(), ExtrasJson.headers(message.extras()));
  }

  static boolean eval(Filter filter, String name, Map<String, Object> headers) {
    if (filter instanceof Filter.Compare c) {
      Object v = value(c.field(), name, headers);
      return compare(v, c.op(), c.value());
    } else if (filter instanceof Filter.Match m) {
      Object v = value(m.field(), name, headers);
      return v instanceof String s && m.kind().matches(s, m.text());
    } else if (filter instanceof Filter.Present p) {
      return value(p.field(), name, headers) != null;
    } else if (filter instanceof Filter.Truthy t) {
      return truthy(value(t.field(), name, headers));
    } else if (filter instanceof Filter.And a) {
      for (Filter f : a.operands()) {
        if (!eval(f, name, headers)) {
          return false;
        }
      }
      return true;
    } else if (filter instanceof Filter.Or o) {
      for (Filter f : o.operands()) {
        if (eval(f, name, headers)) {
          return true;
        }
      }
      return false;
    } else if (filter instanceof Filter.Not n) {
      return !eval(n.operand(), name, headers);
    }
    throw new AssertionError(filter);
  }

  private static Object value(Field field, String name, Map<String, Object> headers) {
    return field.isName() ? name : headers.get(field.header());
  }

  private static boolean compare(Object v, Op op, Literal literal) {
    if (op.isOrdering()) {
      if (!(v instanceof BigDecimal number) || !(literal instanceof Literal.Numeric n)) {
        return false; // JMESPath: ordering anything but two numbers gives null, which is false
      }
      int c = Double.compare(number.doubleValue(), n.value().doubleValue());
      return switch (op) {
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
        case EQ, NE -> throw new AssertionError(op);
      };
    }
    boolean equal = equal(v, literal);
    return op == Op.EQ ? equal : !equal;
  }

  private static boolean equal(Object v, Literal literal) {
    if (literal instanceof Literal.Text t) {
      return v instanceof String s && s.equals(t.value());
    } else if (literal instanceof Literal.Numeric n) {
      return v instanceof BigDecimal d
          && Double.compare(d.doubleValue(), n.value().doubleValue()) == 0;
    } else if (literal instanceof Literal.Bool b) {
      return v instanceof Boolean x && x == b.value();
    }
    throw new AssertionError(literal);
  }

  /** JMESPath truthiness: null, false, "", [] and {} are false; everything else, 0 too, true. */
  static boolean truthy(Object v) {
    if (v == null) {
      return false;
    } else if (v instanceof Boolean b) {
      return b;
    } else if (v instanceof String s) {
      return !s.isEmpty();
    } else if (v instanceof List<?> l) {
      return !l.isEmpty();
    } else if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true; // a number
  }
}
