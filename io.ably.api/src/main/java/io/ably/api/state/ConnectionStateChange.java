package io.ably.api.state;

import io.ably.api.ErrorInfo;
import io.ably.api.internal.Checks;
import java.time.Duration;

/**
 * A change of connection state (TA1–TA5). Immutable.
 *
 * @param previous the state before
 * @param current the state after; equal to {@code previous} for {@link ConnectionEvent#UPDATE}
 * @param event what happened
 * @param reason why, or {@code null}
 * @param retryIn when the client will next try to connect (DISCONNECTED, SUSPENDED), or
 *     {@code null}
 * @since 0.1
 */
public record ConnectionStateChange(
    ConnectionState previous,
    ConnectionState current,
    ConnectionEvent event,
    ErrorInfo reason,
    Duration retryIn) {

  /** Validates the fields: an UPDATE keeps the state; any other event enters its own state. */
  public ConnectionStateChange {
    Checks.notNull(previous, "previous");
    Checks.notNull(current, "current");
    Checks.notNull(event, "event");
    if (event == ConnectionEvent.UPDATE) {
      Checks.check(previous == current, "an UPDATE must not change the state");
    } else {
      Checks.check(
          event == ConnectionEvent.entering(current),
          "event " + event + " does not match state " + current);
    }
    Checks.check(retryIn == null || !retryIn.isNegative(), "retryIn must not be negative");
  }
}
