package io.ably.engine.internal.transport;

import io.ably.wire.ProtocolMessage;

/**
 * One connection to an Ably host as the conductor uses it: send, ask whether it is open and takes
 * writes, end it. {@link WebSocketTransport} is the real one; tests use their own. Confined to the
 * client's event loop.
 */
public interface Transport {
  /**
   * Encodes and sends one message.
   *
   * @param message the message
   * @return {@code false} when the transport is not open and nothing was sent
   */
  boolean send(ProtocolMessage message);

  /**
   * Tells whether frames can be sent.
   *
   * @return {@code true} after the handshake and before the end
   */
  boolean isOpen();

  /**
   * Tells whether the socket takes more writes now (below its high water mark).
   *
   * @return {@code true} when open and writable
   */
  boolean isWritable();

  /** Ends the transport at once. Not a failure: nothing more is reported. */
  void abort();

  /**
   * Pauses reading from the network, or resumes it (inbound backpressure). Frames already read
   * are held, not dropped, and delivered first on resuming. A transport that cannot pause ignores
   * it.
   *
   * @param paused {@code true} to stop reading
   */
  default void pauseReading(boolean paused) {}
}
