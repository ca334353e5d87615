package io.ably.itest.server;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONException;
import com.alibaba.fastjson2.JSONObject;
import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Ably capability (RSA6, TC1): resource patterns mapped to allowed operations.
 *
 * <p>Resource patterns: {@code *} matches every plain channel name; {@code [*]*} matches every name,
 * qualified ones too; {@code ns:*} matches {@code ns:} followed by anything; a {@code *} between
 * colons matches one segment; anything else matches literally. Operation {@code *} allows all.
 * Immutable.
 */
public final class Capability {
  /** All operations on all channels: the default of a key created without a capability. */
  public static final String ALL_JSON = "{\"*\":[\"*\"]}";

  private final String json;
  private final Map<String, Set<String>> rules;

  private Capability(String json, Map<String, Set<String>> rules) {
    this.json = json;
    this.rules = rules;
  }

  /**
   * Parses capability JSON.
   *
   * @param json a JSON object of resource to operation list
   * @return the capability
   * @throws AblyException 40000 if the JSON is not a capability
   */
  public static Capability parse(String json) {
    JSONObject object;
    try {
      object = JSON.parseObject(json);
    } catch (JSONException e) {
      throw AblyException.of(ErrorCode.BAD_REQUEST, "invalid capability JSON: " + e.getMessage());
    }
    if (object == null) {
      throw AblyException.of(ErrorCode.BAD_REQUEST, "capability must be a JSON object");
    }
    Map<String, Set<String>> rules = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object.entrySet()) {
      if (!(e.getValue() instanceof JSONArray ops)) {
        throw AblyException.of(
            ErrorCode.BAD_REQUEST, "capability for " + e.getKey() + " must be a list of operations");
      }
      rules.put(e.getKey(), Set.copyOf(ops.toJavaList(String.class)));
    }
    return new Capability(json, Map.copyOf(rules));
  }

  /**
   * Returns the JSON this capability was parsed from.
   *
   * @return the JSON text
   */
  public String json() {
    return json;
  }

  /**
   * Tells whether an operation is allowed on a channel.
   *
   * @param channel the channel name
   * @param operation an operation such as {@code publish}
   * @return {@code true} if some matching resource allows it
   */
  public boolean allows(String channel, String operation) {
    for (Map.Entry<String, Set<String>> rule : rules.entrySet()) {
      if (matches(rule.getKey(), channel)
          && (rule.getValue().contains("*") || rule.getValue().contains(operation))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether any operation at all is allowed on a channel (needed to attach).
   *
   * @param channel the channel name
   * @return {@code true} if some matching resource has an operation
   */
  public boolean allowsAny(String channel) {
    for (Map.Entry<String, Set<String>> rule : rules.entrySet()) {
      if (matches(rule.getKey(), channel) && !rule.getValue().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether some resource allows an operation, for operations that concern no single
   * channel (such as {@code stats}).
   *
   * @param operation the operation
   * @return {@code true} if a rule lists it or {@code *}
   */
  public boolean allowsAnywhere(String operation) {
    for (Set<String> ops : rules.values()) {
      if (ops.contains("*") || ops.contains(operation)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether every operation this capability allows is also allowed by another, checked
   * resource by resource (a token's capability must not exceed its key's).
   *
   * @param outer the wider capability
   * @return {@code true} if this is a subset of {@code outer}
   */
  public boolean isSubsetOf(Capability outer) {
    for (Map.Entry<String, Set<String>> rule : rules.entrySet()) {
      String resource = rule.getKey();
      for (String op : rule.getValue()) {
        if (!outer.coversResource(resource, op)) {
          return false;
        }
      }
    }
    return true;
  }

  private boolean coversResource(String resource, String op) {
    for (Map.Entry<String, Set<String>> rule : rules.entrySet()) {
      boolean resourceCovered =
          rule.getKey().equals(resource)
              || rule.getKey().equals("[*]*")
              || (rule.getKey().equals("*") && !resource.startsWith("["))
              || (!resource.contains("*") && matches(rule.getKey(), resource));
      boolean opCovered = rule.getValue().contains("*") || rule.getValue().contains(op);
      if (resourceCovered && opCovered) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether a resource pattern matches a channel name.
   *
   * @param pattern the pattern
   * @param channel the channel name
   * @return {@code true} on a match
   */
  static boolean matches(String pattern, String channel) {
    if (pattern.equals("[*]*")) {
      return true;
    }
    if (pattern.equals("*")) {
      return !channel.startsWith("[");
    }
    if (pattern.equals(channel)) {
      return true;
    }
    List<String> p = List.of(pattern.split(":", -1));
    List<String> c = List.of(channel.split(":", -1));
    for (int i = 0; i < p.size(); i++) {
      String segment = p.get(i);
      boolean last = i == p.size() - 1;
      if (last && segment.equals("*")) {
        return c.size() > i;
      }
      if (i >= c.size()) {
        return false;
      }
      if (!segment.equals("*") && !segment.equals(c.get(i))) {
        return false;
      }
    }
    return p.size() == c.size();
  }

  @Override
  public String toString() {
    return json;
  }
}
