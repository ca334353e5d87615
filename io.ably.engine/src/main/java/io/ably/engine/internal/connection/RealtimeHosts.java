package io.ably.engine.internal.connection;

import io.ably.api.ClientOptions;
import io.ably.api.internal.Checks;
import java.util.List;
import java.util.Objects;

/**
 * Where a realtime client connects: the primary domain (REC1), the fallback domains (REC2) and the
 * port (TO3k4, TO3k5). Pure: computed from the options alone.
 *
 * @param primary the primary domain, tried first on every new connection (RTN17i)
 * @param fallbacks the fallback domains, possibly none (RTN17g)
 * @param port the port: {@code tlsPort} with TLS, else {@code port}
 */
public record RealtimeHosts(String primary, List<String> fallbacks, int port) {

  private static final List<String> LETTERS = List.of("a", "b", "c", "d", "e");
  private static final String NONPROD_PREFIX = "nonprod:";

  /** Checks and copies the arguments. */
  public RealtimeHosts {
    Objects.requireNonNull(primary, "primary");
    fallbacks = List.copyOf(fallbacks);
    if (port <= 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1-65535: " + port);
    }
  }

  /**
   * Resolves the hosts and port of the options.
   *
   * @param options the options; {@link ClientOptions.Builder#build()} already rejected the invalid
   *     combinations (REC1b1, REC1c1)
   * @return the hosts
   */
  public static RealtimeHosts from(ClientOptions options) {
    String primary;
    List<String> implicitFallbacks;
    String endpoint = options.endpoint();
    if (endpoint != null) {
      if (endpoint.contains(".") || endpoint.contains("::") || endpoint.equals("localhost")) {
        // REC1b2: a host name; REC2c2: no fallbacks
        primary = endpoint;
        implicitFallbacks = List.of();
      } else if (endpoint.startsWith(NONPROD_PREFIX)) {
        // REC1b3, REC2c3: a non-production routing policy id
        String id = endpoint.substring(NONPROD_PREFIX.length());
        Checks.check(!id.isEmpty(), "endpoint \"" + endpoint + "\" names no routing policy id");
        primary = id + ".realtime.ably-nonprod.net";
        implicitFallbacks = fallbacks(id, "fallback.ably-realtime-nonprod.com");
      } else {
        // REC1b4, REC2c4: a production routing policy id
        primary = endpoint + ".realtime.ably.net";
        implicitFallbacks = fallbacks(endpoint, "fallback.ably-realtime.com");
      }
    } else if (options.environment() != null) {
      // REC1c2, REC2c5: the deprecated environment is a production routing policy id
      primary = options.environment() + ".realtime.ably.net";
      implicitFallbacks = fallbacks(options.environment(), "fallback.ably-realtime.com");
    } else if (options.host() != null) {
      // REC1d, REC2c6: an explicit host has no fallbacks
      primary = options.host();
      implicitFallbacks = List.of();
    } else {
      // REC1a, REC2c1: the defaults
      primary = ClientOptions.DEFAULT_ENDPOINT_HOST;
      implicitFallbacks = fallbacks("main", "fallback.ably-realtime.com");
    }
    // REC2a2: explicit fallback hosts win over the implicit ones
    List<String> fallbacks =
        options.fallbackHosts() != null ? options.fallbackHosts() : implicitFallbacks;
    int port = options.tls() ? options.tlsPort() : options.port();
    return new RealtimeHosts(primary, fallbacks, port);
  }

  private static List<String> fallbacks(String id, String domain) {
    return LETTERS.stream().map(letter -> id + "." + letter + "." + domain).toList();
  }
}
