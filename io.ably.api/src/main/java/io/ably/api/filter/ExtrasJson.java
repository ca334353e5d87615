package io.ably.api.filter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code headers} object out of a message's {@code extras} JSON text: a small strict JSON
 * reader (objects as maps, arrays as lists, numbers as {@link BigDecimal}), since this module has
 * no JSON library. Anything that is not a JSON object with an object {@code headers} member gives
 * an empty object, as the service filters a message without headers. Not thread-confined: each
 * call has its own reader.
 */
final class ExtrasJson {
  private final String text;
  private int pos;

  private ExtrasJson(String text) {
    this.text = text;
  }

  /** The headers of the extras, or an empty map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> headers(String extras) {
    if (extras == null || (extras.indexOf("\"headers\"") < 0 && extras.indexOf("\\u") < 0)) {
      return Map.of();
    }
    try {
      ExtrasJson reader = new ExtrasJson(extras);
      Object root = reader.value();
      reader.skipSpace();
      if (reader.pos != extras.length() || !(root instanceof Map)) {
        return Map.of();
      }
      Object headers = ((Map<String, Object>) root).get("headers");
      return headers instanceof Map ? (Map<String, Object>) headers : Map.of();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Map.of();
    }
  }

  private Object value() {
    skipSpace();
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> word("true", true);
      case 'f' -> word("false", false);
      case 'n' -> word("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (text.charAt(pos) == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipSpace();
      if (text.charAt(pos) != '"') {
        throw new IllegalArgumentException("key expected at " + pos);
      }
      String key = string();
      skipSpace();
      expect(':');
      map.put(key, value());
      skipSpace();
      char c = text.charAt(pos++);
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw new IllegalArgumentException(", or } expected at " + pos);
      }
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    pos++;
    skipSpace();
    if (text.charAt(pos) == ']') {
      pos++;
      return list;
    }
    while (true) {
      list.add(value());
      skipSpace();
      char c = text.charAt(pos++);
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw new IllegalArgumentException(", or ] expected at " + pos);
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw new IllegalArgumentException("bad escape at " + pos);
      }
    }
  }

  private Object word(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw new IllegalArgumentException(word + " expected at " + pos);
    }
    pos += word.length();
    return value;
  }

  private BigDecimal number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    return new BigDecimal(text.substring(start, pos)); // NumberFormatException is an IAE
  }

  private void expect(char c) {
    if (text.charAt(pos) != c) {
      throw new IllegalArgumentException(c + " expected at " + pos);
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
