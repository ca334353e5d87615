package io.ably.engine.internal.connection;

/**
 * The timers the connection state machine asks its conductor to run. At most one timer of each kind
 * is armed at a time; a {@link ConnectionEffect.StartTimer} of a kind that is already armed never
 * happens (the machine cancels first), so a conductor can keep one scheduled task per kind.
 */
public enum TimerKind {
  /**
   * Bounds one connection attempt, transport open plus CONNECTED, or one connectivity check
   * (RTN14c, realtimeRequestTimeout). In CLOSING it bounds the attempt a close waits on (RTN12f).
   */
  CONNECT,
  /** The wait in DISCONNECTED (RTB1 backoff) or SUSPENDED before the next attempt (RTN14d/e). */
  RETRY,
  /**
   * Runs connectionStateTtl from the start of an outage; when it fires, the outage is long enough
   * to move to SUSPENDED (RTN14e).
   */
  SUSPEND,
  /** Bounds the wait for CLOSED after CLOSE was sent (RTN12b). */
  CLOSE,
  /**
   * Idle detection on the current transport (RTN23a). A sliding timer: the conductor pushes its
   * deadline to {@code now + delayNanos} whenever anything arrives from the server (keeping the
   * same timer id), and reports it only when that much time passed with nothing received.
   */
  IDLE
}
