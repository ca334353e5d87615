package io.ably.api.state;

/**
 * What a {@link ConnectionStateChange} reports: entry into a state, or {@link #UPDATE} for a change
 * within CONNECTED, such as new connection details after re-authentication (RTN4a, RTN4h, RTN24).
 *
 * @since 0.1
 */
public enum ConnectionEvent {
  /** Entered {@link ConnectionState#INITIALIZED}. */
  INITIALIZED,
  /** Entered {@link ConnectionState#CONNECTING}. */
  CONNECTING,
  /** Entered {@link ConnectionState#CONNECTED}. */
  CONNECTED,
  /** Entered {@link ConnectionState#DISCONNECTED}. */
  DISCONNECTED,
  /** Entered {@link ConnectionState#SUSPENDED}. */
  SUSPENDED,
  /** Entered {@link ConnectionState#CLOSING}. */
  CLOSING,
  /** Entered {@link ConnectionState#CLOSED}. */
  CLOSED,
  /** Entered {@link ConnectionState#FAILED}. */
  FAILED,
  /** Stayed CONNECTED, with something changed: details, or an error reported (RTN24). */
  UPDATE;

  /**
   * Returns the event of entering a state.
   *
   * @param state the state entered
   * @return the matching event
   */
  public static ConnectionEvent entering(ConnectionState state) {
    return switch (state) {
      case INITIALIZED -> INITIALIZED;
      case CONNECTING -> CONNECTING;
      case CONNECTED -> CONNECTED;
      case DISCONNECTED -> DISCONNECTED;
      case SUSPENDED -> SUSPENDED;
      case CLOSING -> CLOSING;
      case CLOSED -> CLOSED;
      case FAILED -> FAILED;
    };
  }
}
