package io.ably.engine.internal.connection;

import io.ably.api.ErrorInfo;
import io.ably.wire.ConnectionDetails;

/**
 * An input to the {@link ConnectionStateMachine}. Every signal carries the conductor's clock
 * reading ({@code System.nanoTime()} scale) at which it happened; the machine never reads a clock.
 *
 * <p>Signals that come from a transport, a connectivity check or a timer carry the id the machine
 * gave that transport, check or timer in its effect. A signal whose id is not the current one is
 * stale (say, a late CLOSED from a transport the machine already abandoned, RTN11b) and is ignored.
 */
public sealed interface ConnectionSignal {

  /**
   * Returns when the signal happened.
   *
   * @return the conductor's clock reading, in nanoseconds
   */
  long nowNanos();

  /** About one transport, named by the id from its {@link ConnectionEffect.OpenTransport}. */
  sealed interface TransportSignal extends ConnectionSignal {
    /**
     * Returns the transport the signal is about.
     *
     * @return the id from {@link ConnectionEffect.OpenTransport#transportId()}
     */
    long transportId();
  }

  /**
   * The user called {@code connect()}, or the client was created with {@code autoConnect} (RTN3,
   * RTN11).
   *
   * @param nowNanos when
   */
  record Connect(long nowNanos) implements ConnectionSignal {}

  /**
   * A new token is ready for the connection: {@code auth().authorize()} obtained it (RTC8), or the
   * service asked for one (RTN22). In band when CONNECTED (RTC8a), a new attempt with it when
   * CONNECTING (RTC8b), a connect otherwise (RTC8c).
   *
   * @param nowNanos when
   */
  record Reauthorize(long nowNanos) implements ConnectionSignal {}

  /**
   * The user called {@code close()} (RTN12).
   *
   * @param nowNanos when
   */
  record Close(long nowNanos) implements ConnectionSignal {}

  /**
   * A timer the machine started has expired.
   *
   * @param kind the kind, from {@link ConnectionEffect.StartTimer#kind()}
   * @param timerId the id, from {@link ConnectionEffect.StartTimer#timerId()}
   * @param nowNanos when
   */
  record TimerFired(TimerKind kind, long timerId, long nowNanos) implements ConnectionSignal {}

  /**
   * The answer to a {@link ConnectionEffect.CheckConnectivity} (RTN17j).
   *
   * @param checkId the id from the effect
   * @param online whether the connectivity check URL answered with a body containing "yes"
   * @param nowNanos when
   */
  record ConnectivityChecked(long checkId, boolean online, long nowNanos)
      implements ConnectionSignal {}

  /**
   * A CONNECTED protocol message arrived (RTN6, RTN15c, RTN24).
   *
   * @param transportId the transport it arrived on
   * @param connectionId the connection id
   * @param connectionKey the key from {@code connectionDetails.connectionKey} (else the message's
   *     own {@code connectionKey}); {@code null} if the server sent none
   * @param details the connection details, or {@code null} if absent (defaults apply)
   * @param error the {@code error} of the message, or {@code null} (RTN15c7, RTN24)
   * @param nowNanos when
   */
  record ConnectedReceived(
      long transportId,
      String connectionId,
      String connectionKey,
      ConnectionDetails details,
      ErrorInfo error,
      long nowNanos)
      implements TransportSignal {}

  /**
   * A DISCONNECTED protocol message arrived; the server will close the transport (RTN15h).
   *
   * @param transportId the transport it arrived on
   * @param error its error, or {@code null}
   * @param nowNanos when
   */
  record DisconnectedReceived(long transportId, ErrorInfo error, long nowNanos)
      implements TransportSignal {}

  /**
   * An ERROR protocol message without a {@code channel} arrived: a connection-level error (RTN14b,
   * RTN14g, RTN15j). Channel-scoped errors never reach this machine.
   *
   * @param transportId the transport it arrived on
   * @param error its error, or {@code null}
   * @param nowNanos when
   */
  record ErrorReceived(long transportId, ErrorInfo error, long nowNanos)
      implements TransportSignal {}

  /**
   * A CLOSED protocol message arrived (RTN12a).
   *
   * @param transportId the transport it arrived on
   * @param error its error, or {@code null}
   * @param nowNanos when
   */
  record ClosedReceived(long transportId, ErrorInfo error, long nowNanos)
      implements TransportSignal {}

  /**
   * The transport could not be opened, or closed without a DISCONNECTED, ERROR or CLOSED message
   * (RTN14d, RTN15a, RTN12c).
   *
   * @param transportId the transport
   * @param error what went wrong, or {@code null}
   * @param qualifiesForFallback whether the failure is one that justifies a fallback host (RTN17f,
   *     RSC15l): host unresolvable or unreachable, timeout, HTTP 500-504 on the upgrade
   * @param nowNanos when
   */
  record TransportFailed(
      long transportId, ErrorInfo error, boolean qualifiesForFallback, long nowNanos)
      implements TransportSignal {}

  /**
   * Getting a token for the transport failed (RSA4c, RSA4d): an authCallback or authUrl error, or a
   * timeout. Sent instead of opening the transport, or after a failed re-authentication while
   * connected.
   *
   * @param transportId the transport the token was for
   * @param cause the underlying error
   * @param nowNanos when
   */
  record AuthFailed(long transportId, ErrorInfo cause, long nowNanos) implements TransportSignal {}
}
