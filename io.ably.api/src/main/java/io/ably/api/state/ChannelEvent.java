package io.ably.api.state;

/**
 * What a {@link ChannelStateChange} reports: entry into a state, or {@link #UPDATE} for a change
 * within ATTACHED, such as a re-attach that lost continuity (RTL2g, RTL12).
 *
 * @since 0.1
 */
public enum ChannelEvent {
  /** Entered {@link ChannelState#INITIALIZED}. */
  INITIALIZED,
  /** Entered {@link ChannelState#ATTACHING}. */
  ATTACHING,
  /** Entered {@link ChannelState#ATTACHED}. */
  ATTACHED,
  /** Entered {@link ChannelState#DETACHING}. */
  DETACHING,
  /** Entered {@link ChannelState#DETACHED}. */
  DETACHED,
  /** Entered {@link ChannelState#SUSPENDED}. */
  SUSPENDED,
  /** Entered {@link ChannelState#FAILED}. */
  FAILED,
  /** Stayed ATTACHED, with something changed: continuity lost, or an error reported (RTL12). */
  UPDATE;

  /**
   * Returns the event of entering a state.
   *
   * @param state the state entered
   * @return the matching event
   */
  public static ChannelEvent entering(ChannelState state) {
    return switch (state) {
      case INITIALIZED -> INITIALIZED;
      case ATTACHING -> ATTACHING;
      case ATTACHED -> ATTACHED;
      case DETACHING -> DETACHING;
      case DETACHED -> DETACHED;
      case SUSPENDED -> SUSPENDED;
      case FAILED -> FAILED;
    };
  }
}
