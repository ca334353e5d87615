package io.ably.engine.internal.channel;

/**
 * The timers the channel state machine asks its conductor to run. A channel has at most one timer
 * armed at a time: the one its current state holds.
 */
public enum ChannelTimerKind {
  /** Bounds the wait for ATTACHED after ATTACH was sent (RTL4f, realtimeRequestTimeout). */
  ATTACH,
  /** Bounds the wait for DETACHED after DETACH was sent (RTL5f, realtimeRequestTimeout). */
  DETACH,
  /** The wait in SUSPENDED before the next automatic attach (RTL13b, RTB1 backoff). */
  RETRY
}
