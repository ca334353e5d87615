package io.ably.itest.packaging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for OSGi manifest headers such as {@code Export-Package} and {@code Import-Package}
 * (OSGi Core, "Common Header Syntax"):
 *
 * <pre>
 * header    ::= clause ( ',' clause ) *
 * clause    ::= path ( ';' path ) * ( ';' parameter ) *
 * parameter ::= directive | attribute
 * directive ::= extended ':=' argument
 * attribute ::= extended ( ':' type ) ? '=' argument
 * argument  ::= extended | quoted-string
 * </pre>
 *
 * <p>Commas and semicolons inside double quotes do not separate anything; a backslash inside
 * quotes escapes the next character. Typed attributes ({@code version:Version="1.0"}) are stored
 * under their name without the type. Anything else malformed is rejected, not guessed at.
 */
final class OsgiHeader {
  private OsgiHeader() {}

  /** One clause: one or more paths (package names) sharing the same attributes and directives. */
  static final class Clause {
    private final List<String> paths;
    private final Map<String, String> attributes;
    private final Map<String, String> directives;

    Clause(List<String> paths, Map<String, String> attributes, Map<String, String> directives) {
      this.paths = List.copyOf(paths);
      this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
      this.directives = Collections.unmodifiableMap(new LinkedHashMap<>(directives));
    }

    List<String> paths() {
      return paths;
    }

    /** Attributes ({@code name=value}), values unquoted. */
    Map<String, String> attributes() {
      return attributes;
    }

    /** Directives ({@code name:=value}), values unquoted. */
    Map<String, String> directives() {
      return directives;
    }

    @Override
    public String toString() {
      return String.join(";", paths) + " " + attributes + " " + directives;
    }
  }

  /** Parses a header value; an absent or blank header has no clauses. */
  static List<Clause> parse(String header) {
    List<Clause> clauses = new ArrayList<>();
    if (header == null || header.isBlank()) {
      return clauses;
    }
    for (String clause : split(header, ',')) {
      clauses.add(parseClause(clause, header));
    }
    return clauses;
  }

  /**
   * Splits a comma-separated list such as a {@code mandatory:=} or {@code uses:=} directive's
   * (already unquoted) value into trimmed, non-empty items.
   */
  static List<String> splitList(String value) {
    List<String> items = new ArrayList<>();
    for (String item : split(value, ',')) {
      if (item.isBlank()) {
        throw new IllegalArgumentException("empty item in list: " + value);
      }
      items.add(item.trim());
    }
    return items;
  }

  private static Clause parseClause(String clause, String header) {
    List<String> paths = new ArrayList<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    Map<String, String> directives = new LinkedHashMap<>();
    for (String part : split(clause, ';')) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("empty element in clause '" + clause + "' of " + header);
      }
      int equals = trimmed.indexOf('=');
      int quote = trimmed.indexOf('"');
      if (equals < 0 || (quote >= 0 && quote < equals)) {
        if (!attributes.isEmpty() || !directives.isEmpty()) {
          throw new IllegalArgumentException(
              "path '" + trimmed + "' after a parameter in clause '" + clause + "'");
        }
        paths.add(checkedToken(trimmed, clause));
        continue;
      }
      boolean directive = equals > 0 && trimmed.charAt(equals - 1) == ':';
      String key = trimmed.substring(0, directive ? equals - 1 : equals).trim();
      if (!directive && key.indexOf(':') >= 0) {
        key = key.substring(0, key.indexOf(':')).trim(); // typed attribute: drop the type
      }
      checkedToken(key, clause);
      String value = argument(trimmed.substring(equals + 1).trim(), clause);
      Map<String, String> target = directive ? directives : attributes;
      if (target.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("'" + key + "' given twice in clause '" + clause + "'");
      }
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("clause without a path: '" + clause + "' in " + header);
    }
    return new Clause(paths, attributes, directives);
  }

  private static String checkedToken(String token, String clause) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '*')) {
        throw new IllegalArgumentException(
            "illegal character '" + c + "' in '" + token + "' of clause '" + clause + "'");
      }
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException("empty name in clause '" + clause + "'");
    }
    return token;
  }

  private static String argument(String raw, String clause) {
    if (raw.isEmpty()) {
      throw new IllegalArgumentException("parameter without a value in clause '" + clause + "'");
    }
    if (raw.charAt(0) != '"') {
      if (raw.indexOf('"') >= 0 || raw.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("malformed value '" + raw + "' in '" + clause + "'");
      }
      return raw;
    }
    StringBuilder value = new StringBuilder();
    for (int i = 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        value.append(raw.charAt(++i));
      } else if (c == '"') {
        if (i != raw.length() - 1) {
          throw new IllegalArgumentException("text after closing quote in '" + clause + "'");
        }
        return value.toString();
      } else {
        value.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated quote in '" + clause + "'");
  }

  /** Splits at every separator outside double quotes; a backslash in quotes escapes a char. */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && c == '\\' && i + 1 < text.length()) {
        current.append(c).append(text.charAt(++i));
      } else if (c == '"') {
        quoted = !quoted;
        current.append(c);
      } else if (c == separator && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quote in: " + text);
    }
    parts.add(current.toString());
    return parts;
  }
}
