package io.ably.engine.internal.transport;

import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormatException;

/**
 * What a {@link WebSocketTransport} reports, always on the event loop it runs on, in order; after
 * {@link #onClosed} nothing more is reported.
 */
public interface TransportListener {
  /**
   * The WebSocket handshake completed: frames may be sent.
   *
   * @param transport the transport
   */
  void onOpen(WebSocketTransport transport);

  /**
   * A frame arrived and decoded.
   *
   * @param transport the transport
   * @param message the message
   */
  void onMessage(WebSocketTransport transport, ProtocolMessage message);

  /**
   * A frame arrived that does not decode; the transport stays open (the state machine decides).
   *
   * @param transport the transport
   * @param error the decode error, code 80013
   */
  void onProtocolError(WebSocketTransport transport, WireFormatException error);

  /**
   * The transport ended.
   *
   * @param transport the transport
   * @param failure why, or {@code null} when it was closed by {@link WebSocketTransport#close()}
   *     or {@link WebSocketTransport#abort()}
   */
  void onClosed(WebSocketTransport transport, TransportFailure failure);
}
