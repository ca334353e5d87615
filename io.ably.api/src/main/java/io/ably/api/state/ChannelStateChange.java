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
 * @param gap on a continuity loss of a channel with the {@link io.ably.api.ContinuityPolicy#BACKFILL}
 *     policy, what the backfill recovered and what it could not; {@code null} otherwise (since 0.3)
 * @since 0.1
 */
public record ChannelStateChange(
    ChannelState previous,
    ChannelState current,
    ChannelEvent event,
    ErrorInfo reason,
    boolean resumed,
    boolean hasBacklog,
    ContinuityGap gap) {

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

  /**
   * Creates a change without a {@link ContinuityGap}, as every change but a reported backfill is.
   *
   * @param previous the state before
   * @param current the state after
   * @param event what happened
   * @param reason why, or {@code null}
   * @param resumed whether continuity was preserved
   * @param hasBacklog whether a backlog follows
   */
  public ChannelStateChange(
      ChannelState previous,
      ChannelState current,
      ChannelEvent event,
      ErrorInfo reason,
      boolean resumed,
      boolean hasBacklog) {
    this(previous, current, event, reason, resumed, hasBacklog, null);
  }

  /**
   * Returns this change with a gap report.
   *
   * @param value the report
   * @return a copy carrying {@code value}
   * @since 0.3
   */
  public ChannelStateChange withGap(ContinuityGap value) {
    return new ChannelStateChange(previous, current, event, reason, resumed, hasBacklog, value);
  }

  /**
   * Returns this change with another reason.
   *
   * @param value the reason
   * @return a copy carrying {@code value}
   * @since 0.3
   */
  public ChannelStateChange withReason(ErrorInfo value) {
    return new ChannelStateChange(previous, current, event, value, resumed, hasBacklog, gap);
  }
}
