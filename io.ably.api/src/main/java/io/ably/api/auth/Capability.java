package io.ably.api.auth;

import io.ably.api.internal.Checks;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Capability JSON (RSA6, RSA9f, TC1): an object mapping resource patterns (a channel name,
 * {@code *}, or a namespace pattern such as {@code chat:*}) to lists of operations ({@code
 * publish}, {@code subscribe}, {@code presence}, {@code history}, {@code *}, ...). Tokens carry
 * their capability as such a JSON string.
 *
 * <p>{@link #canonical(String)} gives the canonical form that {@link Auth#createTokenRequest}
 * signs: resources sorted, each operation list sorted without duplicates, no spaces. Two
 * capabilities that grant the same operations on the same resources have the same canonical form.
 * Stateless; any thread.
 *
 * @since 0.3
 */
public final class Capability {
  /** Every operation on every channel: the capability of a key that allows everything. */
  public static final String ALL = "{\"*\":[\"*\"]}";

  private Capability() {}

  /**
   * Returns the canonical JSON of a capability given as resources to operations.
   *
   * @param grants resource pattern to operations; at least one resource, each with at least one
   *     operation
   * @return the canonical JSON text
   * @throws io.ably.api.AblyException (40003) if a resource or an operation is empty or missing
   */
  public static String of(Map<String, ? extends Collection<String>> grants) {
    Checks.notNull(grants, "capability");
    Checks.check(!grants.isEmpty(), "a capability needs at least one resource");
    TreeMap<String, TreeSet<String>> sorted = new TreeMap<>();
    for (Map.Entry<String, ? extends Collection<String>> e : grants.entrySet()) {
      String resource = e.getKey();
      Checks.check(resource != null && !resource.isEmpty(), "a capability resource must not be empty");
      Collection<String> ops = e.getValue();
      Checks.check(
          ops != null && !ops.isEmpty(), "the capability of " + resource + " needs at least one operation");
      TreeSet<String> set = new TreeSet<>();
      for (String op : ops) {
        Checks.check(
            op != null && !op.isEmpty(), "an operation of capability resource " + resource + " is empty");
        set.add(op);
      }
      sorted.put(resource, set);
    }
    StringBuilder sb = new StringBuilder().append('{');
    for (Map.Entry<String, TreeSet<String>> e : sorted.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      AuthJson.quote(sb, e.getKey()).append(":[");
      boolean first = true;
      for (String op : e.getValue()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        AuthJson.quote(sb, op);
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  /**
   * Returns the canonical form of capability JSON text.
   *
   * @param json a JSON object of resource patterns to arrays of operation names
   * @return the canonical JSON text
   * @throws io.ably.api.AblyException (40003) if the text is not such an object
   */
  public static String canonical(String json) {
    Map<String, Object> m = AuthJson.object(json, "capability");
    TreeMap<String, List<String>> grants = new TreeMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Checks.check(
          e.getValue() instanceof List<?>,
          "the capability of " + e.getKey() + " must be an array of operations");
      List<String> ops = new java.util.ArrayList<>();
      for (Object op : (List<?>) e.getValue()) {
        Checks.check(op instanceof String, "the operations of " + e.getKey() + " must be strings");
        ops.add((String) op);
      }
      grants.put(e.getKey(), ops);
    }
    return of(grants);
  }
}
