package io.ably.api.state;

import io.ably.api.ErrorInfo;
import io.ably.api.internal.Checks;

/**
 * A change of channel state (TH1–TH6). Immutable.
 *
 * @param previous the state before (TH2)
 * @param current the state after (TH1); equal to {@code previous} for {@link ChannelEvent#UPDATE}
 * @param event what happened (TH5)
 * @param reason why, or {@code null} (TH3)
 * @param resumed for ATTACHED and UPDATE: whether channel continuity was preserved, so no message
 *     was lost (TH4, RTL2f); {@code false} otherwise
 * @param hasBacklog for ATTACHED and UPDATE: whether a resume or rewind backlog follows (TH6,
 *     RTL2i); {@code false} otherwise
 * @since 0.1
 */
public record ChannelStateChange(
    ChannelState previous,
    ChannelState current,
    ChannelEvent event,
    ErrorInfo reason,
    boolean resumed,
    boolean hasBacklog) {

  /** Validates the fields: an UPDATE keeps the state; any other event enters its own state. */
  public ChannelStateChange {
    Checks.notNull(previous, "previous");
    Checks.notNull(current, "current");
    Checks.notNull(event, "event");
    if (event == ChannelEvent.UPDATE) {
      Checks.check(previous == current, "an UPDATE must not change the state");
    } else {
      Checks.check(
          event == ChannelEvent.entering(current),
          "event " + event + " does not match state " + current);
    }
  }
}
