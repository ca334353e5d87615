package io.ably.engine.internal.connection;

import io.ably.api.ClientOptions;
import java.util.Objects;

/**
 * The fixed settings of a {@link ConnectionStateMachine}.
 *
 * @param hosts the primary and fallback hosts and the port (REC1, REC2)
 * @param disconnectedRetryTimeoutNanos base delay of DISCONNECTED retries (TO3l1, RTB1)
 * @param suspendedRetryTimeoutNanos delay of SUSPENDED retries (TO3l2, RTN14e)
 * @param realtimeRequestTimeoutNanos bound on a connection attempt (RTN14c), on CLOSED after CLOSE
 *     (RTN12b), added to maxIdleInterval for idle detection (RTN23a) (TO3l11)
 * @param connectionStateTtlNanos connectionStateTtl until a CONNECTED gives another (DF1a)
 * @param tokenRenewable whether the client can get a new token (a key, authCallback or authUrl),
 *     which decides between renewing and failing on a token error (RTN14b, RTN15h, RSA4a)
 * @param queueMessages whether messages survive DISCONNECTED; when {@code false}, pending ones are
 *     failed on entering it (TO3g, RTN7d)
 */
public record ConnectionConfig(
    RealtimeHosts hosts,
    long disconnectedRetryTimeoutNanos,
    long suspendedRetryTimeoutNanos,
    long realtimeRequestTimeoutNanos,
    long connectionStateTtlNanos,
    boolean tokenRenewable,
    boolean queueMessages) {

  /** Checks that the hosts are given and every duration is positive. */
  public ConnectionConfig {
    Objects.requireNonNull(hosts, "hosts");
    positive("disconnectedRetryTimeoutNanos", disconnectedRetryTimeoutNanos);
    positive("suspendedRetryTimeoutNanos", suspendedRetryTimeoutNanos);
    positive("realtimeRequestTimeoutNanos", realtimeRequestTimeoutNanos);
    positive("connectionStateTtlNanos", connectionStateTtlNanos);
  }

  /**
   * Derives the settings from client options. The token is renewable when the options hold a key,
   * an authCallback or an authUrl (RSA4a).
   *
   * @param options the options
   * @return the settings
   */
  public static ConnectionConfig from(ClientOptions options) {
    return new ConnectionConfig(
        RealtimeHosts.from(options),
        options.disconnectedRetryTimeout().toNanos(),
        options.suspendedRetryTimeout().toNanos(),
        options.realtimeRequestTimeout().toNanos(),
        ClientOptions.DEFAULT_CONNECTION_STATE_TTL.toNanos(),
        options.canRenewToken(), // RSA4a: a key, an authCallback or an authUrl
        options.queueMessages());
  }

  private static void positive(String name, long nanos) {
    if (nanos <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + nanos);
    }
  }
}
