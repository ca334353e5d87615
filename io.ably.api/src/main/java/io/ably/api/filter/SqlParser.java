package io.ably.api.filter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser of the SQL-like filter text (see {@link Filter#parse(String)}).
 * Precedence, loosest first: {@code OR}, {@code AND}, {@code NOT}, a condition. One instance per
 * text, used once.
 */
final class SqlParser {
  private static final Set<String> AGGREGATES =
      Set.of("count", "sum", "avg", "min", "max", "array_agg", "string_agg");
  private static final Set<String> CLAUSES =
      Set.of("group", "order", "having", "limit", "offset", "from", "join", "union", "select");
  private static final String FIELD =
      "a field: name or headers.<key> (a filter sees only the message name and extras.headers)";
  private static final String LITERAL = "a literal: a 'quoted string', a number, TRUE or FALSE";

  private enum Kind { WORD, QUOTED, STRING, NUMBER, OP, LPAREN, RPAREN, COMMA, DOT, STAR, END }

  private record Token(Kind kind, String text, int column) {
    boolean is(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    String describe() {
      return switch (kind) {
        case END -> "the end of the text";
        case STRING -> "the string '" + text.replace("'", "''") + "'";
        case QUOTED -> "the quoted name \"" + text + "\"";
        default -> "'" + text + "'";
      };
    }
  }

  private final List<Token> tokens;
  private int next;

  SqlParser(String source) {
    this.tokens = tokenize(source);
  }

  Filter parse() {
    Token first = peek();
    if (first.is("select")) {
      throw new FilterSyntaxException(first.column(),
          "projections (SELECT ...) are not supported: a filter chooses whole messages; write only"
              + " the condition, as after WHERE");
    }
    if (first.is("where")) {
      next++;
    }
    if (peek().kind() == Kind.END) {
      throw error(peek(), "a condition");
    }
    Filter f = or();
    Token t = peek();
    if (t.kind() != Kind.END) {
      if (t.kind() == Kind.WORD && CLAUSES.contains(t.text().toLowerCase(Locale.ROOT))) {
        throw new FilterSyntaxException(t.column(),
            t.text().toUpperCase(Locale.ROOT) + " is not supported: a filter selects messages one"
                + " by one, with no grouping, ordering or limits");
      }
      throw error(t, "AND, OR or the end of the filter");
    }
    return f;
  }

  private Filter or() {
    List<Filter> operands = new ArrayList<>();
    operands.add(and());
    while (peek().is("or")) {
      next++;
      operands.add(and());
    }
    return operands.size() == 1 ? operands.get(0) : new Filter.Or(operands);
  }

  private Filter and() {
    List<Filter> operands = new ArrayList<>();
    operands.add(not());
    while (peek().is("and")) {
      next++;
      operands.add(not());
    }
    return operands.size() == 1 ? operands.get(0) : new Filter.And(operands);
  }

  private Filter not() {
    if (peek().is("not")) {
      next++;
      return new Filter.Not(not());
    }
    return condition();
  }

  private Filter condition() {
    Token t = peek();
    if (t.kind() == Kind.LPAREN) {
      next++;
      Filter inner = or();
      expect(Kind.RPAREN, "')' to close the '(' at column " + t.column());
      return inner;
    }
    if (t.kind() == Kind.STAR) {
      throw new FilterSyntaxException(t.column(),
          "projections (*) are not supported: a filter chooses whole messages");
    }
    if (t.kind() == Kind.WORD && tokens.get(next + 1).kind() == Kind.LPAREN) {
      return function();
    }
    Field field = field();
    Token op = peek();
    if (op.kind() == Kind.OP) {
      next++;
      Op operator = operator(op);
      Token lt = peek();
      Literal literal = literal();
      if (operator.isOrdering() && !(literal instanceof Literal.Numeric)) {
        throw error(lt, "a number after " + op.text() + " (JMESPath orders numbers only)");
      }
      return new Filter.Compare(field, operator, literal);
    }
    if (op.is("not")) {
      next++;
      Token what = peek();
      if (what.is("in")) {
        next++;
        return new Filter.Not(in(field));
      }
      if (what.is("like")) {
        next++;
        return new Filter.Not(like(field));
      }
      throw error(what, "IN or LIKE after NOT");
    }
    if (op.is("in")) {
      next++;
      return in(field);
    }
    if (op.is("like")) {
      next++;
      return like(field);
    }
    if (op.is("is")) {
      next++;
      boolean negated = false;
      if (peek().is("not")) {
        next++;
        negated = true;
      }
      Token nul = peek();
      if (!nul.is("null")) {
        throw error(nul, negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
      }
      next++;
      Filter present = new Filter.Present(field);
      return negated ? present : new Filter.Not(present);
    }
    return new Filter.Truthy(field);
  }

  private Filter function() {
    Token name = tokens.get(next);
    String fn = name.text().toLowerCase(Locale.ROOT);
    if (AGGREGATES.contains(fn)) {
      throw new FilterSyntaxException(name.column(),
          "aggregate functions (" + name.text() + ") are not supported: a filter looks at one"
              + " message at a time");
    }
    MatchKind kind = null;
    for (MatchKind k : MatchKind.values()) {
      if (k.function().equals(fn)) {
        kind = k;
      }
    }
    if (kind == null) {
      throw error(name, "a field, or one of the functions contains, starts_with, ends_with");
    }
    next += 2; // name (
    Field field = field();
    expect(Kind.COMMA, "',' after the field of " + fn);
    Token text = peek();
    if (text.kind() != Kind.STRING) {
      throw error(text, "a 'quoted string' as the second argument of " + fn);
    }
    next++;
    expect(Kind.RPAREN, "')' to close " + fn + "(");
    return new Filter.Match(field, kind, text.text());
  }

  private Filter in(Field field) {
    expect(Kind.LPAREN, "'(' to open the IN list");
    List<Filter> operands = new ArrayList<>();
    while (true) {
      operands.add(new Filter.Compare(field, Op.EQ, literal()));
      Token t = peek();
      if (t.kind() == Kind.RPAREN) {
        next++;
        break;
      }
      if (t.kind() != Kind.COMMA) {
        throw error(t, "',' or ')' in the IN list");
      }
      next++;
    }
    return operands.size() == 1 ? operands.get(0) : new Filter.Or(operands);
  }

  private Filter like(Field field) {
    Token pattern = peek();
    if (pattern.kind() != Kind.STRING) {
      throw error(pattern, "a 'quoted pattern' after LIKE");
    }
    next++;
    String p = pattern.text();
    int underscore = p.indexOf('_');
    if (underscore >= 0) {
      throw new FilterSyntaxException(pattern.column() + 1 + underscore,
          "the one-character wildcard _ is not supported in LIKE; use % at the start or end, or"
              + " contains/starts_with/ends_with('...') for a text with _ or %");
    }
    boolean lead = p.startsWith("%");
    boolean trail = p.length() > 1 && p.endsWith("%");
    String inner = p.substring(lead ? 1 : 0, p.length() - (trail ? 1 : 0));
    int percent = inner.indexOf('%');
    if (percent >= 0) {
      throw new FilterSyntaxException(pattern.column() + 1 + (lead ? 1 : 0) + percent,
          "% is supported only at the start or the end of a LIKE pattern");
    }
    if (lead && trail) {
      return new Filter.Match(field, MatchKind.CONTAINS, inner);
    } else if (trail) {
      return new Filter.Match(field, MatchKind.STARTS_WITH, inner);
    } else if (lead) {
      return new Filter.Match(field, MatchKind.ENDS_WITH, inner);
    }
    return new Filter.Compare(field, Op.EQ, new Literal.Text(p));
  }

  private Field field() {
    Token t = peek();
    if (t.kind() == Kind.WORD && t.text().equalsIgnoreCase("name")) {
      next++;
      return Field.NAME;
    }
    if (t.kind() == Kind.WORD && t.text().equalsIgnoreCase("headers")) {
      next++;
      expect(Kind.DOT, "'.' and a header key after headers");
      Token key = peek();
      if (key.kind() != Kind.WORD && key.kind() != Kind.QUOTED) {
        throw error(key, "a header key (an identifier, or a \"quoted key\")");
      }
      if (key.kind() == Kind.QUOTED && key.text().isEmpty()) {
        throw error(key, "a non-empty header key");
      }
      next++;
      return Field.header(key.text());
    }
    if (t.kind() == Kind.STRING || t.kind() == Kind.NUMBER || t.is("true") || t.is("false")) {
      throw error(t, FIELD + " on the left of the comparison");
    }
    throw error(t, FIELD);
  }

  private Literal literal() {
    Token t = peek();
    if (t.kind() == Kind.STRING) {
      next++;
      return new Literal.Text(t.text());
    }
    if (t.kind() == Kind.NUMBER) {
      next++;
      return new Literal.Numeric(new BigDecimal(t.text()));
    }
    if (t.is("true") || t.is("false")) {
      next++;
      return new Literal.Bool(t.is("true"));
    }
    if (t.is("null")) {
      throw new FilterSyntaxException(t.column(),
          "comparing with NULL is never true in SQL; use IS NULL or IS NOT NULL");
    }
    throw error(t, LITERAL);
  }

  private static Op operator(Token t) {
    return switch (t.text()) {
      case "=", "==" -> Op.EQ;
      case "<>", "!=" -> Op.NE;
      case "<" -> Op.LT;
      case "<=" -> Op.LE;
      case ">" -> Op.GT;
      case ">=" -> Op.GE;
      default -> throw new AssertionError(t);
    };
  }

  private void expect(Kind kind, String what) {
    Token t = peek();
    if (t.kind() != kind) {
      throw error(t, what);
    }
    next++;
  }

  private Token peek() {
    return tokens.get(next);
  }

  private static FilterSyntaxException error(Token found, String expected) {
    return new FilterSyntaxException(found.column(), expected, found.describe());
  }

  // ---------------------------------------------------------------- tokens

  private static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      int column = i + 1;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        out.add(new Token(Kind.WORD, s.substring(start, i), column));
      } else if (isDigit(c)
          || (c == '-' && i + 1 < n && isDigit(s.charAt(i + 1)))) {
        int start = i;
        i = number(s, i);
        out.add(new Token(Kind.NUMBER, s.substring(start, i), column));
      } else if (c == '\'' || c == '"') {
        StringBuilder text = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new FilterSyntaxException(n + 1,
                "a closing " + c + " for the " + (c == '\'' ? "string" : "quoted name")
                    + " opened at column " + column, "the end of the text");
          }
          char d = s.charAt(i);
          if (d == c) {
            if (i + 1 < n && s.charAt(i + 1) == c) {
              text.append(c);
              i += 2;
              continue;
            }
            i++;
            break;
          }
          text.append(d);
          i++;
        }
        out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED, text.toString(), column));
      } else if (c == '=' || c == '<' || c == '>' || c == '!') {
        String two = i + 1 < n ? s.substring(i, i + 2) : "";
        if (two.equals("==") || two.equals("<=") || two.equals(">=") || two.equals("<>")
            || two.equals("!=")) {
          out.add(new Token(Kind.OP, two, column));
          i += 2;
        } else if (c == '!') {
          throw new FilterSyntaxException(column, "'!=' or NOT", "'!'");
        } else {
          out.add(new Token(Kind.OP, String.valueOf(c), column));
          i++;
        }
      } else {
        Kind kind = switch (c) {
          case '(' -> Kind.LPAREN;
          case ')' -> Kind.RPAREN;
          case ',' -> Kind.COMMA;
          case '.' -> Kind.DOT;
          case '*' -> Kind.STAR;
          default -> throw new FilterSyntaxException(column,
              "a field, a literal, an operator or a parenthesis",
              "the character '" + new String(Character.toChars(s.codePointAt(i))) + "'");
        };
        out.add(new Token(kind, String.valueOf(c), column));
        i++;
      }
    }
    out.add(new Token(Kind.END, "", n + 1));
    out.add(new Token(Kind.END, "", n + 1)); // lookahead of two never runs off the end
    return out;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The end of a number: -?digits(.digits)?([eE][+-]?digits)?. */
  private static int number(String s, int i) {
    int n = s.length();
    if (s.charAt(i) == '-') {
      i++;
    }
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    if (i + 1 < n && s.charAt(i) == '.' && isDigit(s.charAt(i + 1))) {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
        j++;
      }
      if (j < n && isDigit(s.charAt(j))) {
        i = j;
        while (i < n && isDigit(s.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }
}
