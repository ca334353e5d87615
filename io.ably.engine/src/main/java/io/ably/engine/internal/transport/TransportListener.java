package io.ably.engine.internal.transport;

import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormatException;

/**
 * What a {@link Transport} reports, always on the event loop it runs on, in order; after
 * {@link #onClosed} nothing more is reported.
 */
public interface TransportListener {
  /**
   * The WebSocket handshake completed: frames may be sent.
   *
   * @param transport the transport
   */
  void onOpen(Transport transport);

  /**
   * A frame arrived and decoded.
   *
   * @param transport the transport
   * @param message the message
   */
  void onMessage(Transport transport, ProtocolMessage message);

  /**
   * A frame arrived that does not decode; the transport stays open (the state machine decides).
   *
   * @param transport the transport
   * @param error the decode error, code 80013
   */
  void onProtocolError(Transport transport, WireFormatException error);

  /**
   * The socket takes writes again after it had more unsent than its high water mark: what waited
   * in the engine's queue may be sent now.
   *
   * @param transport the transport
   */
  void onWritable(Transport transport);

  /**
   * The transport ended.
   *
   * @param transport the transport
   * @param failure why, or {@code null} when it was closed by {@link Transport#abort()}
   */
  void onClosed(Transport transport, TransportFailure failure);
}
