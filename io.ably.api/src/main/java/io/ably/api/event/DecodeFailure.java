package io.ably.api.event;

import io.ably.api.message.Message;

/**
 * A message of a typed channel's event name whose payload did not decode to the event type. The
 * subscription goes on; later messages are decoded as usual.
 *
 * @param message the message as received
 * @param cause why it did not decode
 * @since 0.2
 */
public record DecodeFailure(Message message, Throwable cause) {}
