package io.ably.testsupport;

import io.ably.api.filter.Field;
import io.ably.api.filter.Filter;
import io.ably.api.filter.Literal;
import io.ably.api.filter.MatchKind;
import io.ably.api.filter.Op;
import io.ably.api.message.Message;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * Random filters and messages over a small vocabulary, so that filters often match: names, header
 * keys and values drawn from pools that include the awkward characters of every face (quotes,
 * backticks, backslashes, %, _, control characters, keys that are not identifiers). Shared by the
 * filter's own properties (io.ably.api) and the testkit's differential one (itest).
 */
public final class FilterGenerators {
  public static final String[] TEXTS = {
    "trade", "quote", "tra", "ade", "", "AAPL", "MSFT", "AB", "ABC%", "x_y", "a'b", "q`\"\\",
    "line\nbreak", "ü€", "100", "true", "%", "_",
  };
  public static final String[] KEYS = {"symbol", "qty", "test", "px", "my-key", "null", "a b", "ü", "a\"b"};
  public static final String[] NUMBERS = {"0", "1", "-1", "100", "99.5", "100.0", "1E+3", "1000", "0.1", "-7.25"};

  private FilterGenerators() {}

  public static int pick(RandomnessSource in, int lo, int hi) {
    return (int) in.next(Constraint.between(lo, hi));
  }

  public static <T> T oneOf(RandomnessSource in, T[] pool) {
    return pool[pick(in, 0, pool.length - 1)];
  }

  public static Field field(RandomnessSource in) {
    return pick(in, 0, 3) == 0 ? Field.NAME : Field.header(oneOf(in, KEYS));
  }

  public static Literal literal(RandomnessSource in) {
    switch (pick(in, 0, 4)) {
      case 0:
      case 1:
        return new Literal.Text(oneOf(in, TEXTS));
      case 2:
      case 3:
        return new Literal.Numeric(new BigDecimal(oneOf(in, NUMBERS)));
      default:
        return new Literal.Bool(pick(in, 0, 1) == 1);
    }
  }

  public static Filter atom(RandomnessSource in) {
    Field field = field(in);
    switch (pick(in, 0, 5)) {
      case 0:
      case 1:
        {
          Op op = Op.values()[pick(in, 0, Op.values().length - 1)];
          Literal value =
              op.isOrdering() ? new Literal.Numeric(new BigDecimal(oneOf(in, NUMBERS))) : literal(in);
          return new Filter.Compare(field, op, value);
        }
      case 2:
        return new Filter.Match(
            field, MatchKind.values()[pick(in, 0, 2)], oneOf(in, TEXTS));
      case 3:
        return new Filter.Present(field);
      default:
        return new Filter.Truthy(field);
    }
  }

  public static Filter filter(RandomnessSource in, int depth) {
    int kind = depth == 0 ? 0 : pick(in, 0, 5);
    switch (kind) {
      case 0:
      case 1:
      case 2:
        return atom(in);
      case 3:
        return new Filter.Not(filter(in, depth - 1));
      default:
        {
          int n = pick(in, 2, 3);
          List<Filter> operands = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            operands.add(filter(in, depth - 1));
          }
          return kind == 4 ? new Filter.And(operands) : new Filter.Or(operands);
        }
    }
  }

  public static Gen<Filter> filters() {
    Gen<Filter> gen = in -> filter(in, 3);
    return gen.describedAs(f -> f.toSql() + "   [" + f + "]");
  }

  public static String jsonString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  public static String headerValue(RandomnessSource in) {
    switch (pick(in, 0, 9)) {
      case 0:
      case 1:
      case 2:
        return jsonString(oneOf(in, TEXTS));
      case 3:
      case 4:
      case 5:
        return oneOf(in, NUMBERS);
      case 6:
        return pick(in, 0, 1) == 1 ? "true" : "false";
      case 7:
        return "null";
      case 8:
        return pick(in, 0, 1) == 1 ? "{}" : "{\"k\":1}";
      default:
        return pick(in, 0, 1) == 1 ? "[]" : "[1]";
    }
  }

  /** Extras JSON: none, no headers, headers of the wrong type, or a flat-ish headers object. */
  public static String extras(RandomnessSource in) {
    switch (pick(in, 0, 7)) {
      case 0:
        return null;
      case 1:
        return "{}";
      case 2:
        return "{\"headers\":\"not an object\",\"push\":{\"a\":1}}";
      default:
        {
          StringBuilder out = new StringBuilder("{\"ref\":{\"type\":\"x\"},\"headers\":{");
          int n = pick(in, 0, 5);
          List<String> used = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            String key = oneOf(in, KEYS);
            if (used.contains(key)) {
              continue;
            }
            if (!used.isEmpty()) {
              out.append(',');
            }
            used.add(key);
            out.append(jsonString(key)).append(':').append(headerValue(in));
          }
          return out.append("}}").toString();
        }
    }
  }

  public static Message message(RandomnessSource in) {
    String name = pick(in, 0, 5) == 0 ? null : oneOf(in, TEXTS);
    return Message.builder().name(name).extras(extras(in)).build();
  }

  public static Gen<Message> messages() {
    Gen<Message> gen = FilterGenerators::message;
    return gen.describedAs(m -> "name=" + m.name() + " extras=" + m.extras());
  }

  /** A filter and a message to test it on. */
  public record Case(Filter filter, Message message) {}

  /** Random filters, each with a random message. */
  public static Gen<Case> cases() {
    return filters().zip(messages(), Case::new);
  }
}
