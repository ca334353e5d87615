package io.ably.wire;

import com.alibaba.fastjson2.JSONReader;
import com.alibaba.fastjson2.JSONWriter;
import io.ably.api.AblyException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Arbitrary JSON values inside messages ({@code data} and {@code extras}): copies them to their
 * canonical compact text, and parses JSON text given to an encoder. Stateless.
 *
 * <p>Canonical text is what both decoders produce for the same logical value, so that a JSON and a
 * MessagePack frame decode to equal models: no whitespace, keys in the order received, integers
 * that fit 64 bits as integers, other numbers as the shortest text of the nearest double (without
 * negative zero; a non-finite double becomes {@code null}).
 */
final class JsonValues {
  private JsonValues() {}

  /**
   * Reads one JSON value and returns its canonical text.
   *
   * @param r the reader, positioned at the value
   * @param field the field being read, for messages
   * @return the canonical text
   * @throws WireFormatException if the value is malformed or nested too deeply
   */
  static String canonical(JSONReader r, String field) {
    try (JSONWriter w = JSONWriter.of()) {
      copy(r, w, 0, field);
      return w.toString();
    }
  }

  /**
   * Copies one value from a reader to a writer in canonical form.
   *
   * @param r the reader, positioned at the value
   * @param w the writer, or {@code null} to validate only
   * @param depth the nesting depth of the value
   * @param field the field being read, for messages
   */
  static void copy(JSONReader r, JSONWriter w, int depth, String field) {
    if (depth > WireData.MAX_VALUE_DEPTH) {
      throw tooDeep(field);
    }
    if (r.nextIfObjectStart()) {
      if (w != null) {
        w.startObject();
      }
      while (!r.nextIfObjectEnd()) {
        String name = name(r, field);
        if (w != null) {
          w.writeName(name);
          w.writeColon();
        }
        copy(r, w, depth + 1, field);
      }
      if (w != null) {
        w.endObject();
      }
    } else if (r.nextIfArrayStart()) {
      if (w != null) {
        w.startArray();
      }
      boolean first = true;
      while (!r.nextIfArrayEnd()) {
        notAtEnd(r, field);
        if (w != null && !first) {
          w.writeComma();
        }
        first = false;
        copy(r, w, depth + 1, field);
      }
      if (w != null) {
        w.endArray();
      }
    } else if (r.isString()) {
      String s = r.readString();
      if (w != null) {
        w.writeString(s);
      }
    } else if (r.isNumber()) {
      Object n = canonicalNumber(r.readNumber(), r, field);
      if (w != null) {
        writeNumber(w, n);
      }
    } else if (r.isBool()) {
      boolean b = r.readBoolValue();
      if (w != null) {
        w.writeBool(b);
      }
    } else if (r.nextIfNull()) {
      if (w != null) {
        w.writeNull();
      }
    } else {
      throw unexpected(r, field);
    }
  }

  /**
   * Parses JSON text given to an encoder into a tree of {@code LinkedHashMap}, {@code ArrayList},
   * {@code Long}, {@code BigInteger}, {@code Double}, {@code String}, {@code Boolean} and
   * {@code null}.
   *
   * @param text the text
   * @param objectOnly whether only an object is allowed (extras), else an object or array
   * @param what the field, for messages
   * @return the tree
   * @throws io.ably.api.AblyException (40013) if the text is not such JSON
   */
  static Object parse(String text, boolean objectOnly, String what) {
    return onText(text, objectOnly, what, r -> tree(r, 0, what));
  }

  /**
   * Checks JSON text given to an encoder.
   *
   * @param text the text
   * @param objectOnly whether only an object is allowed (extras), else an object or array
   * @param what the field, for messages
   * @throws io.ably.api.AblyException (40013) if the text is not such JSON
   */
  static void validate(String text, boolean objectOnly, String what) {
    onText(
        text,
        objectOnly,
        what,
        r -> {
          copy(r, null, 0, what);
          return Boolean.TRUE;
        });
  }

  private static <T> T onText(
      String text, boolean objectOnly, String what, Function<JSONReader, T> action) {
    char first = firstNonWhitespace(text);
    if (first != '{' && (objectOnly || first != '[')) {
      throw WireData.invalidData(
          what + " must be the text of a JSON " + (objectOnly ? "object" : "object or array"));
    }
    if (JsonSyntax.nestsDeeperThan(text, WireData.MAX_VALUE_DEPTH)) {
      throw WireData.invalidData(what + " is nested too deeply");
    }
    try (JSONReader r = JSONReader.of(text)) {
      T value = action.apply(r);
      if (!r.isEnd() || !endsWith(text, first == '{' ? '}' : ']')) {
        throw WireData.invalidData(what + ": unexpected text after the JSON value");
      }
      return value;
    } catch (WireFormatException e) {
      throw WireData.invalidData(what + " is not valid JSON: " + e.errorInfo().message());
    } catch (AblyException e) {
      throw e;
    } catch (RuntimeException e) {
      throw WireData.invalidData(what + " is not valid JSON: " + WireData.brief(e.getMessage()));
    }
  }

  private static Object tree(JSONReader r, int depth, String field) {
    if (depth > WireData.MAX_VALUE_DEPTH) {
      throw tooDeep(field);
    }
    if (r.nextIfObjectStart()) {
      Map<String, Object> map = new LinkedHashMap<>();
      while (!r.nextIfObjectEnd()) {
        String name = name(r, field);
        map.put(name, tree(r, depth + 1, field));
      }
      return map;
    }
    if (r.nextIfArrayStart()) {
      List<Object> list = new ArrayList<>();
      while (!r.nextIfArrayEnd()) {
        notAtEnd(r, field);
        list.add(tree(r, depth + 1, field));
      }
      return list;
    }
    if (r.isString()) {
      return r.readString();
    }
    if (r.isNumber()) {
      return canonicalNumber(r.readNumber(), r, field);
    }
    if (r.isBool()) {
      return r.readBoolValue();
    }
    if (r.nextIfNull()) {
      return null;
    }
    throw unexpected(r, field);
  }

  /**
   * Brings a number to its canonical type: {@code Long}, {@code BigInteger} beyond 64 bits, or
   * {@code Double}.
   */
  static Object canonicalNumber(Number n, JSONReader r, String field) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    if (n instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (n instanceof BigDecimal || n instanceof Double || n instanceof Float) {
      return WireData.canonicalDouble(n.doubleValue());
    }
    throw new WireFormatException(field + ": unreadable number at offset " + r.getOffset());
  }

  /** Writes a number already in canonical type. */
  static void writeNumber(JSONWriter w, Object n) {
    if (n instanceof Long l) {
      w.writeInt64(l.longValue());
    } else if (n instanceof BigInteger b) {
      w.writeBigInt(b);
    } else {
      double d = (Double) n;
      if (Double.isFinite(d)) {
        w.writeDouble(d);
      } else {
        w.writeNull();
      }
    }
  }

  /** Reads an object member's name, failing on end of input or a name that is not a string. */
  static String name(JSONReader r, String field) {
    notAtEnd(r, field);
    String name = r.readFieldName();
    if (name == null) {
      throw new WireFormatException(
          field + ": expected a member name at offset " + r.getOffset());
    }
    return name;
  }

  /** Fails if the input ended inside an object or array. */
  static void notAtEnd(JSONReader r, String field) {
    if (r.isEnd()) {
      throw new WireFormatException(field + ": input ends inside a value");
    }
  }

  private static WireFormatException unexpected(JSONReader r, String field) {
    return new WireFormatException(
        field + ": unexpected character '" + r.current() + "' at offset " + r.getOffset());
  }

  private static WireFormatException tooDeep(String field) {
    return new WireFormatException(
        field + ": nested deeper than " + WireData.MAX_VALUE_DEPTH + " levels");
  }

  private static char firstNonWhitespace(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c;
      }
    }
    return ' ';
  }

  /** Tells whether the last character that is not JSON whitespace is {@code last}. */
  static boolean endsWith(CharSequence text, char last) {
    for (int i = text.length() - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c == last;
      }
    }
    return false;
  }
}
