package io.ably.api.filter;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Renders a {@link Filter} as JMESPath and as the SQL-like text. Stateless. */
final class FilterWriter {
  /** A JMESPath unquoted identifier (and a bare SQL header key). */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private FilterWriter() {}

  // ---------------------------------------------------------------- JMESPath

  static String jmesPath(Filter filter) {
    StringBuilder out = new StringBuilder();
    jmes(filter, out);
    return out.toString();
  }

  private static void jmes(Filter filter, StringBuilder out) {
    if (filter instanceof Filter.Compare c) {
      jmesField(c.field(), out);
      out.append(' ').append(c.op().jmesPath()).append(' ');
      jmesLiteral(c.value(), out);
    } else if (filter instanceof Filter.Match m) {
      // contains/starts_with/ends_with reject a null or number argument with an error: the type
      // test first makes a missing or non-string field a plain non-match (&& short-circuits).
      out.append("type(");
      jmesField(m.field(), out);
      out.append(") == 'string' && ").append(m.kind().function()).append('(');
      jmesField(m.field(), out);
      out.append(", ");
      jmesString(m.text(), out);
      out.append(')');
    } else if (filter instanceof Filter.Present p) {
      jmesField(p.field(), out);
      out.append(" != `null`");
    } else if (filter instanceof Filter.Truthy t) {
      jmesField(t.field(), out);
    } else if (filter instanceof Filter.And a) {
      jmesJoin(a.operands(), " && ", out);
    } else if (filter instanceof Filter.Or o) {
      jmesJoin(o.operands(), " || ", out);
    } else if (filter instanceof Filter.Not n) {
      // '!' binds tighter than a comparison in JMESPath: parenthesise all but a bare field.
      if (n.operand() instanceof Filter.Truthy t) {
        out.append('!');
        jmesField(t.field(), out);
      } else {
        out.append("!(");
        jmes(n.operand(), out);
        out.append(')');
      }
    } else {
      throw new AssertionError(filter);
    }
  }

  private static void jmesJoin(List<Filter> operands, String operator, StringBuilder out) {
    for (int i = 0; i < operands.size(); i++) {
      if (i > 0) {
        out.append(operator);
      }
      Filter f = operands.get(i);
      boolean compound =
          f instanceof Filter.And || f instanceof Filter.Or || f instanceof Filter.Match;
      if (compound) {
        out.append('(');
      }
      jmes(f, out);
      if (compound) {
        out.append(')');
      }
    }
  }

  private static void jmesField(Field field, StringBuilder out) {
    if (field.isName()) {
      out.append("name");
      return;
    }
    out.append("headers.");
    String key = field.header();
    if (IDENTIFIER.matcher(key).matches()
        && !key.equals("true") && !key.equals("false") && !key.equals("null")) {
      out.append(key);
    } else {
      jsonString(key, out, false); // a quoted identifier: JSON string escapes
    }
  }

  private static void jmesLiteral(Literal literal, StringBuilder out) {
    if (literal instanceof Literal.Text t) {
      jmesString(t.value(), out);
    } else if (literal instanceof Literal.Numeric n) {
      out.append('`').append(n.value().toString()).append('`');
    } else if (literal instanceof Literal.Bool b) {
      out.append('`').append(b.value()).append('`');
    } else {
      throw new AssertionError(literal);
    }
  }

  /**
   * A string as a JSON literal in backticks; a backtick inside is written as the JSON unicode
   * escape of 0x60, so no JMESPath backtick escaping is needed.
   */
  private static void jmesString(String value, StringBuilder out) {
    out.append('`');
    jsonString(value, out, true);
    out.append('`');
  }

  private static void jsonString(String value, StringBuilder out, boolean escapeBacktick) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || (escapeBacktick && c == '`')) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  // ---------------------------------------------------------------- SQL

  static String sql(Filter filter) {
    StringBuilder out = new StringBuilder();
    sql(filter, out);
    return out.toString();
  }

  private static void sql(Filter filter, StringBuilder out) {
    if (filter instanceof Filter.Compare c) {
      sqlField(c.field(), out);
      out.append(' ').append(c.op().sql()).append(' ');
      sqlLiteral(c.value(), out);
    } else if (filter instanceof Filter.Match m) {
      String text = m.text();
      if (text.isEmpty() || text.indexOf('%') >= 0 || text.indexOf('_') >= 0) {
        out.append(m.kind().function()).append('(');
        sqlField(m.field(), out);
        out.append(", ");
        sqlString(text, out);
        out.append(')');
      } else {
        sqlField(m.field(), out);
        out.append(" LIKE ");
        String pattern = switch (m.kind()) {
          case CONTAINS -> '%' + text + '%';
          case STARTS_WITH -> text + '%';
          case ENDS_WITH -> '%' + text;
        };
        sqlString(pattern, out);
      }
    } else if (filter instanceof Filter.Present p) {
      sqlField(p.field(), out);
      out.append(" IS NOT NULL");
    } else if (filter instanceof Filter.Truthy t) {
      sqlField(t.field(), out);
    } else if (filter instanceof Filter.And a) {
      sqlJoin(a.operands(), " AND ", out);
    } else if (filter instanceof Filter.Or o) {
      sqlJoin(o.operands(), " OR ", out);
    } else if (filter instanceof Filter.Not n) {
      Filter operand = n.operand();
      if (operand instanceof Filter.Present p) {
        sqlField(p.field(), out);
        out.append(" IS NULL");
      } else if (operand instanceof Filter.And || operand instanceof Filter.Or) {
        out.append("NOT (");
        sql(operand, out);
        out.append(')');
      } else {
        out.append("NOT ");
        sql(operand, out);
      }
    } else {
      throw new AssertionError(filter);
    }
  }

  private static void sqlJoin(List<Filter> operands, String operator, StringBuilder out) {
    for (int i = 0; i < operands.size(); i++) {
      if (i > 0) {
        out.append(operator);
      }
      Filter f = operands.get(i);
      boolean compound = f instanceof Filter.And || f instanceof Filter.Or;
      if (compound) {
        out.append('(');
      }
      sql(f, out);
      if (compound) {
        out.append(')');
      }
    }
  }

  private static void sqlField(Field field, StringBuilder out) {
    if (field.isName()) {
      out.append("name");
      return;
    }
    out.append("headers.");
    String key = field.header();
    if (IDENTIFIER.matcher(key).matches()) {
      out.append(key);
    } else {
      out.append('"').append(key.replace("\"", "\"\"")).append('"');
    }
  }

  private static void sqlLiteral(Literal literal, StringBuilder out) {
    if (literal instanceof Literal.Text t) {
      sqlString(t.value(), out);
    } else if (literal instanceof Literal.Numeric n) {
      out.append(n.value().toString());
    } else if (literal instanceof Literal.Bool b) {
      out.append(b.value() ? "TRUE" : "FALSE");
    } else {
      throw new AssertionError(literal);
    }
  }

  private static void sqlString(String value, StringBuilder out) {
    out.append('\'').append(value.replace("'", "''")).append('\'');
  }
}
