package io.ably.itest.server;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jcf.JcfRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter of a derived channel (RTS5): the name {@code [filter=<base64 JMESPath>?params]base}
 * parsed, its expression compiled with a real JMESPath (jmespath-core over plain maps), and
 * messages selected as the service does: the expression sees only {@code name} and {@code
 * headers} (the message's {@code extras.headers}, or an empty object), and a message passes when
 * the result is truthy; an evaluation error is a non-match. Immutable; any thread.
 *
 * @param name the full derived channel name
 * @param base the channel it derives from
 * @param expression the JMESPath text
 * @param params the params in the qualifier after {@code ?} (for example {@code rewind})
 * @param compiled the compiled expression
 */
record DerivedFilter(
    String name, String base, String expression, Map<String, String> params,
    Expression<Object> compiled) {
  private static final String PREFIX = "[filter=";
  private static final JcfRuntime JMESPATH = new JcfRuntime();

  /** A derived channel name the service refuses, with the error it answers. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    final transient ErrorInfo error;

    Invalid(String message) {
      super(message);
      this.error = ErrorInfo.of(ErrorCode.INVALID_CHANNEL_NAME, message);
    }
  }

  /** Tells whether a channel name is a derived (filtered) one. */
  static boolean isDerived(String name) {
    return name != null && name.startsWith(PREFIX);
  }

  /**
   * Parses and compiles a derived channel name.
   *
   * @return the filter, or {@code null} when the name is not a derived one
   * @throws Invalid with 40010 when the qualifier, its base64 or its expression is malformed
   */
  static DerivedFilter parse(String name) throws Invalid {
    if (!isDerived(name)) {
      return null;
    }
    int close = name.indexOf(']');
    if (close < 0 || close == name.length() - 1) {
      throw new Invalid("invalid derived channel name (expected [filter=<base64>]name): " + name);
    }
    String qualifier = name.substring(PREFIX.length(), close);
    String base = name.substring(close + 1);
    int q = qualifier.indexOf('?');
    String encoded = q < 0 ? qualifier : qualifier.substring(0, q);
    Map<String, String> params = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : qualifier.substring(q + 1).split("&", -1)) {
        int eq = pair.indexOf('=');
        if (!pair.isEmpty()) {
          params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
      }
    }
    String expression;
    try {
      expression = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Invalid("invalid derived channel filter: not base64: " + encoded);
    }
    return new DerivedFilter(name, base, expression, Map.copyOf(params), compile(expression));
  }

  /** Compiles a JMESPath filter expression as the service would, or refuses it with 40010. */
  static Expression<Object> compile(String expression) throws Invalid {
    try {
      return JMESPATH.compile(expression);
    } catch (JmesPathException e) {
      throw new Invalid("invalid derived channel filter expression '" + expression + "': "
          + e.getMessage());
    }
  }

  /** Whether the message passes the filter. */
  boolean matches(Message message) {
    return matches(compiled, message);
  }

  /** Whether the message passes a compiled filter expression. */
  static boolean matches(Expression<Object> compiled, Message message) {
    try {
      return JMESPATH.isTruthy(compiled.search(input(message)));
    } catch (JmesPathException e) {
      return false; // an expression that fails on this message (a type error) selects nothing
    }
  }

  /**
   * The object a filter expression sees: {@code name} (absent when null) and {@code headers}, the
   * message's {@code extras.headers} as plain maps, lists, strings, numbers and booleans, or an
   * empty object when there are none or they are not an object.
   */
  static Map<String, Object> input(Message message) {
    Map<String, Object> in = new LinkedHashMap<>();
    if (message.name() != null) {
      in.put("name", message.name());
    }
    Object headers = null;
    if (message.extras() != null) {
      try {
        Object extras = JSON.parse(message.extras());
        if (extras instanceof Map<?, ?> map) {
          headers = map.get("headers");
        }
      } catch (JSONException e) {
        headers = null;
      }
    }
    in.put("headers", headers instanceof Map<?, ?> ? headers : Map.of());
    return in;
  }

  /**
   * The messages of a MESSAGE that pass, each with an explicit id ({@code <pm id>:<index>} in the
   * original, TM2a) so that dropping some does not renumber the others.
   */
  List<Message> select(String protocolMessageId, List<Message> messages) {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (matches(m)) {
        out.add(m.id() == null && protocolMessageId != null
            ? m.toBuilder().id(protocolMessageId + ":" + i).build()
            : m);
      }
    }
    return out;
  }
}
