package io.ably.api.event;

import io.ably.api.message.MessageData;

/**
 * Encodes and decodes one event type as message payloads. Implementations must be thread-safe:
 * {@link #encode} runs on the publishing thread, {@link #decode} on the client's callback thread.
 *
 * @param <T> the event type
 * @since 0.2
 */
public interface EventCodec<T> {

  /**
   * Returns the event type.
   *
   * @return the class
   */
  Class<T> type();

  /**
   * Returns the message name events of this type are published and subscribed under.
   *
   * @return the name
   */
  default String eventName() {
    return Events.eventName(type());
  }

  /**
   * Encodes an event as a payload.
   *
   * @param event the event, not null
   * @return the payload
   * @throws RuntimeException if the event cannot be encoded
   */
  MessageData encode(T event);

  /**
   * Decodes a payload as an event.
   *
   * @param data the payload, possibly {@code null}
   * @return the event
   * @throws RuntimeException if the payload is not an encoded {@code T}; a {@link TypedChannel}
   *     reports it as a {@link DecodeFailure}
   */
  T decode(MessageData data);
}
