package io.ably.engine.internal.connection;

import io.ably.api.ErrorInfo;
import java.util.Map;
import java.util.Objects;

/**
 * Client-scope connection data that outlives states and transports: what the next attempt needs to
 * resume or recover, the latest error, and the timers the machine believes are armed. Immutable.
 *
 * @param connectionId the id from the latest CONNECTED, or {@code null}; compared with the next
 *     CONNECTED to tell a resume from a new connection (RTN15c6, RTN15c7)
 * @param connectionKey the key from the latest CONNECTED, sent as {@code resume} (RTN15b1), or
 *     {@code null}
 * @param recoverKey the connection key of the recover option, sent as {@code recover} until the
 *     first CONNECTED (RTN16k), or {@code null}
 * @param errorReason the connection's errorReason (RTN25), or {@code null}
 * @param connectionStateTtlNanos connectionStateTtl: from the latest CONNECTED's details, else the
 *     default (DF1a, CD2f)
 * @param timers the armed timers: kind to timer id
 * @param lastId the last id given to a transport, connectivity check or timer
 */
public record ConnectionSession(
    String connectionId,
    String connectionKey,
    String recoverKey,
    ErrorInfo errorReason,
    long connectionStateTtlNanos,
    Map<TimerKind, Long> timers,
    long lastId) {

  /** Copies the timers. */
  public ConnectionSession {
    timers = Map.copyOf(Objects.requireNonNull(timers, "timers"));
    if (connectionStateTtlNanos <= 0) {
      throw new IllegalArgumentException(
          "connectionStateTtlNanos must be positive: " + connectionStateTtlNanos);
    }
  }

  /**
   * Tells whether a timer is armed.
   *
   * @param kind the kind
   * @param timerId the id
   * @return {@code true} if the armed timer of that kind has that id
   */
  public boolean isArmed(TimerKind kind, long timerId) {
    Long armed = timers.get(kind);
    return armed != null && armed == timerId;
  }
}
