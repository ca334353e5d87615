package io.ably.wire;

import java.util.Arrays;

/**
 * A strict RFC 8259 syntax check for the JSON payloads of messages. JSON parsers of other Ably
 * SDKs are strict ({@code JSON.parse}), and fastjson2 is not (it takes single quotes, comments,
 * leading zeros, {@code \x} escapes), so text that fastjson2 accepts could still be undecodable for
 * a subscriber. Iterative, so deep nesting cannot overflow the stack; allocates one small array
 * per check. Stateless.
 */
final class JsonSyntax {
  private JsonSyntax() {}

  /**
   * Tells whether JSON nests deeper than {@code limit} objects and arrays, by one iterative scan
   * that skips strings: the check that lets a recursive parser or skip run without any risk of
   * overflowing the stack, whatever the input.
   *
   * @param bytes the UTF-8 bytes
   * @param offset where the JSON starts
   * @param length how many bytes it has
   * @param limit the deepest nesting allowed
   * @return {@code true} if some value is nested deeper than {@code limit}
   */
  static boolean nestsDeeperThan(byte[] bytes, int offset, int length, int limit) {
    int depth = 0;
    boolean inString = false;
    for (int i = offset, end = offset + length; i < end; i++) {
      byte b = bytes[i];
      if (inString) {
        if (b == '\\') {
          i++; // the escaped byte cannot end the string
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > limit) {
          return true;
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return false;
  }

  /**
   * As {@link #nestsDeeperThan(byte[], int, int, int)}, for text.
   *
   * @param text the text
   * @param limit the deepest nesting allowed
   * @return {@code true} if some value is nested deeper than {@code limit}
   */
  static boolean nestsDeeperThan(String text, int limit) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0, end = text.length(); i < end; i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > limit) {
          return true;
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    return false;
  }

  /**
   * Tells whether the text is exactly one JSON object or array, with optional whitespace around.
   *
   * @param text the text
   * @return {@code true} if it is valid JSON and its top-level value is an object or array
   */
  static boolean isObjectOrArray(String text) {
    int i = skipWhitespace(text, 0);
    if (i == text.length() || (text.charAt(i) != '{' && text.charAt(i) != '[')) {
      return false;
    }
    int end = value(text, i);
    return end >= 0 && skipWhitespace(text, end) == text.length();
  }

  /** Returns the index after the value that starts at {@code start}, or -1 if it is invalid. */
  private static int value(String s, int start) {
    char[] open = new char[64]; // '{' or '[' per enclosing container
    int depth = 0;
    int i = start;
    for (;;) {
      // A value is expected at i.
      i = skipWhitespace(s, i);
      if (i == s.length()) {
        return -1;
      }
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        i = skipWhitespace(s, i + 1);
        if (i < s.length() && s.charAt(i) == close) {
          i++;
        } else {
          if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
          }
          open[depth++] = c;
          if (c == '{') {
            i = member(s, i);
            if (i < 0) {
              return -1;
            }
          }
          continue;
        }
      } else {
        i = scalar(s, i);
        if (i < 0) {
          return -1;
        }
      }
      // A value ended at i: close containers or move to the next element.
      for (;;) {
        if (depth == 0) {
          return i;
        }
        i = skipWhitespace(s, i);
        if (i == s.length()) {
          return -1;
        }
        char top = open[depth - 1];
        c = s.charAt(i);
        if (c == ',') {
          i++;
          if (top == '{') {
            i = member(s, skipWhitespace(s, i));
            if (i < 0) {
              return -1;
            }
          }
          break;
        }
        if (c != (top == '{' ? '}' : ']')) {
          return -1;
        }
        depth--;
        i++;
      }
    }
  }

  /** Reads {@code "key" :} at i; returns the index after the colon, or -1. */
  private static int member(String s, int i) {
    if (i == s.length() || s.charAt(i) != '"') {
      return -1;
    }
    i = string(s, i);
    if (i < 0) {
      return -1;
    }
    i = skipWhitespace(s, i);
    if (i == s.length() || s.charAt(i) != ':') {
      return -1;
    }
    return i + 1;
  }

  private static int scalar(String s, int i) {
    char c = s.charAt(i);
    if (c == '"') {
      return string(s, i);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number(s, i);
    }
    if (s.startsWith("true", i) || s.startsWith("null", i)) {
      return i + 4;
    }
    return s.startsWith("false", i) ? i + 5 : -1;
  }

  /** Reads a string whose opening quote is at i; returns the index after the closing quote. */
  private static int string(String s, int i) {
    i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c < 0x20) {
        return -1;
      }
      if (c != '\\') {
        i++;
        continue;
      }
      if (i + 1 == s.length()) {
        return -1;
      }
      char e = s.charAt(i + 1);
      if (e == 'u') {
        if (i + 6 > s.length()) {
          return -1;
        }
        for (int k = i + 2; k < i + 6; k++) {
          if (!isHexDigit(s.charAt(k))) {
            return -1;
          }
        }
        i += 6;
      } else if ("\"\\/bfnrt".indexOf(e) >= 0) {
        i += 2;
      } else {
        return -1;
      }
    }
    return -1;
  }

  /** Reads {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
  private static int number(String s, int i) {
    if (s.charAt(i) == '-') {
      i++;
    }
    if (i == s.length() || !isDigit(s.charAt(i))) {
      return -1;
    }
    i = s.charAt(i) == '0' ? i + 1 : digits(s, i);
    if (i < s.length() && s.charAt(i) == '.') {
      int after = digits(s, i + 1);
      if (after == i + 1) {
        return -1;
      }
      i = after;
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int after = digits(s, i);
      if (after == i) {
        return -1;
      }
      i = after;
    }
    return i;
  }

  private static int digits(String s, int i) {
    while (i < s.length() && isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int skipWhitespace(String s, int i) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      i++;
    }
    return i;
  }
}
