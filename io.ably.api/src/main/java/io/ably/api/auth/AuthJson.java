package io.ably.api.auth;

import io.ably.api.internal.Checks;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and string writer for the auth values (this module has no JSON
 * library): objects read as maps, arrays as lists, numbers as {@link BigDecimal}. Each call has
 * its own reader.
 */
final class AuthJson {
  /** Deepest nesting read; the auth values are at most two levels deep. */
  private static final int MAX_DEPTH = 16;

  private final String text;
  private int pos;
  private int depth;

  private AuthJson(String text) {
    this.text = text;
  }

  /**
   * Reads a JSON object.
   *
   * @throws io.ably.api.AblyException (40003) naming {@code what} if the text is not a JSON object
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String json, String what) {
    Checks.notNull(json, what);
    try {
      AuthJson r = new AuthJson(json);
      Object v = r.value();
      r.skipSpace();
      if (r.pos != json.length() || !(v instanceof Map)) {
        throw new IllegalArgumentException("not one JSON object");
      }
      return (Map<String, Object>) v;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw Checks.invalid(what + " must be a JSON object: " + e.getMessage());
    }
  }

  /** Appends a JSON string literal. */
  static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }

  private Object value() {
    skipSpace();
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> {
        literal("true");
        yield true;
      }
      case 'f' -> {
        literal("false");
        yield false;
      }
      case 'n' -> {
        literal("null");
        yield null;
      }
      default -> number();
    };
  }

  private Map<String, Object> object() {
    enter();
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    skipSpace();
    if (text.charAt(pos) == '}') {
      pos++;
      depth--;
      return m;
    }
    while (true) {
      skipSpace();
      if (text.charAt(pos) != '"') {
        throw new IllegalArgumentException("a member name expected at " + pos);
      }
      String name = string();
      skipSpace();
      expect(':');
      Object v = value();
      if (m.containsKey(name)) {
        throw new IllegalArgumentException("duplicate member " + name);
      }
      m.put(name, v);
      skipSpace();
      char c = text.charAt(pos++);
      if (c == '}') {
        depth--;
        return m;
      }
      if (c != ',') {
        throw new IllegalArgumentException("',' or '}' expected at " + (pos - 1));
      }
    }
  }

  private List<Object> array() {
    enter();
    pos++;
    List<Object> l = new ArrayList<>();
    skipSpace();
    if (text.charAt(pos) == ']') {
      pos++;
      depth--;
      return l;
    }
    while (true) {
      l.add(value());
      skipSpace();
      char c = text.charAt(pos++);
      if (c == ']') {
        depth--;
        return l;
      }
      if (c != ',') {
        throw new IllegalArgumentException("',' or ']' expected at " + (pos - 1));
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
    }
  }

  private String string() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new IllegalArgumentException("a control character in a string at " + (pos - 1));
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw new IllegalArgumentException("a bad escape at " + (pos - 1));
      }
    }
  }

  private BigDecimal number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("a value expected at " + pos);
    }
    return new BigDecimal(text.substring(start, pos));
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw new IllegalArgumentException(word + " expected at " + pos);
    }
    pos += word.length();
  }

  private void expect(char c) {
    if (text.charAt(pos++) != c) {
      throw new IllegalArgumentException("'" + c + "' expected at " + (pos - 1));
    }
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
