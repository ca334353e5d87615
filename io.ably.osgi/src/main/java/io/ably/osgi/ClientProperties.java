package io.ably.osgi;

/**
 * The property names of a client's configuration: the Config Admin factory PID {@value
 * #FACTORY_PID} and {@link AblyClientFactory#create(java.util.Map)} read the same keys.
 *
 * <p>A Karaf file {@code etc/io.ably.client-prices.cfg}:
 *
 * <pre>
 * name = prices
 * key = appId.keyId:keySecret
 * clientId = desk-7
 * # endpoint = main     (or environment, or host + port + tls for a private or local server)
 * jmx = true
 * channels = quotes, trades
 * </pre>
 *
 * <p>Values are strings (as in a {@code .cfg} file) or, for numbers and flags, {@code Number} and
 * {@code Boolean}. A flag must be {@code true} or {@code false}. A wrong value fails the
 * configuration with a message that names the property, and never shows a {@link #KEY} or {@link
 * #TOKEN}; secrets are never logged.
 *
 * @since 0.1
 */
public final class ClientProperties {
  private ClientProperties() {}

  /** The Config Admin factory PID: each of its configurations is one client. */
  public static final String FACTORY_PID = "io.ably.client";

  /**
   * The client's name ({@link io.ably.api.ClientOptions.Builder#name}); also the {@code name}
   * property of its {@link io.ably.api.RealtimeClient} service and its JMX name. Default for a
   * configured client: the configuration's name ({@code prices} in {@code io.ably.client~prices}
   * or the Karaf file {@code io.ably.client-prices.cfg}), else a generated one.
   */
  public static final String NAME = "name";

  /** The API key, {@code appId.keyId:keySecret} (secret: never logged or shown). */
  public static final String KEY = "key";

  /** A static token, instead of a key (secret: never logged or shown). */
  public static final String TOKEN = "token";

  /** The client id. */
  public static final String CLIENT_ID = "clientId";

  /** The endpoint: a routing policy id, {@code nonprod:id} or a host name. */
  public static final String ENDPOINT = "endpoint";

  /** The environment (superseded by {@link #ENDPOINT}). */
  public static final String ENVIRONMENT = "environment";

  /** One host for REST and realtime, with no fallback hosts. */
  public static final String HOST = "host";

  /** The port: with TLS the TLS port, without TLS the plain port. */
  public static final String PORT = "port";

  /** {@code true} (default) or {@code false}. */
  public static final String TLS = "tls";

  /** {@code true} (default) for MessagePack, {@code false} for JSON. */
  public static final String USE_BINARY_PROTOCOL = "useBinaryProtocol";

  /** {@code true} (default) to receive the client's own messages. */
  public static final String ECHO_MESSAGES = "echoMessages";

  /** {@code true} (default) to connect as soon as the client is created. */
  public static final String AUTO_CONNECT = "autoConnect";

  /**
   * Configured clients only: {@code true} (default) registers the client's MXBean, {@code
   * io.ably:type=RealtimeClient,name=<name>}, with the platform MBean server.
   */
  public static final String JMX = "jmx";

  /**
   * Configured clients only: channel names, comma-separated (or a string array), that the client
   * attaches when created; every message received on them is logged at {@code INFO} (channel,
   * message name, id and size, never the payload), a tap an operator can watch in the container's
   * log.
   */
  public static final String CHANNELS = "channels";
}
