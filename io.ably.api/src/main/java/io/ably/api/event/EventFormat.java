package io.ably.api.event;

/**
 * How the engine's codec encodes a typed event's payload.
 *
 * @since 0.2
 */
public enum EventFormat {
  /** A JSON object as the message's JSON data (readable by every Ably SDK). */
  JSON,
  /** MessagePack bytes as the message's binary data (compact; for binary-protocol clients). */
  MSGPACK
}
