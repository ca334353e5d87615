package io.ably.itest.server;

/**
 * Switches read by the I/O threads (hence volatile; this is the testkit, not the engine).
 * Set through {@link io.ably.itest.Faults}.
 */
final class FaultSettings {
  /** No HEARTBEAT is sent when true. */
  volatile boolean heartbeatsStopped;
  /** Frames to clients are discarded when true. */
  volatile boolean blackholeOutbound;
  /** Frames from clients are discarded when true. */
  volatile boolean blackholeInbound;
  /** Delay of every frame to clients, in milliseconds. */
  volatile long outboundDelayMillis;
  /** Delay of every frame from clients, in milliseconds. */
  volatile long inboundDelayMillis;
}
