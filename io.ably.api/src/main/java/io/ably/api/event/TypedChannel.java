package io.ably.api.event;

import io.ably.api.Channel;
import io.ably.api.Subscription;
import io.ably.api.internal.Checks;
import io.ably.api.message.PublishResult;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A typed view of a channel: events of one class published and received as messages named after
 * the class ({@link EventName}), their payloads encoded by an {@link EventCodec}. It works on any
 * channel: with a cipher (the encoded payload is encrypted like any data) and on a derived
 * channel (a typed, filtered stream; publishing there fails with 40010 as on the channel).
 * Thread-safe; several typed views of one channel, for different classes, may coexist.
 *
 * <pre>{@code
 * TypedChannel<Trade> trades = channel.typed(Trade.class);
 * trades.onDecodeFailure(f -> log.warn("bad trade " + f.message().id(), f.cause()));
 * trades.subscribe(trade -> book.apply(trade));
 * trades.publish(new Trade("AAPL", new BigDecimal("187.25"), 100));
 * }</pre>
 *
 * @param <T> the event type
 * @since 0.2
 */
public interface TypedChannel<T> {

  /**
   * Returns a typed view of a channel with a codec of your own.
   *
   * @param <T> the event type
   * @param channel the channel
   * @param codec the codec
   * @return the typed view
   */
  static <T> TypedChannel<T> of(Channel channel, EventCodec<T> codec) {
    return new CodecTypedChannel<>(Checks.notNull(channel, "channel"), Checks.notNull(codec, "codec"));
  }

  /**
   * Returns the channel this view reads and writes.
   *
   * @return the channel
   */
  Channel channel();

  /**
   * Returns the message name of the events.
   *
   * @return the event name
   */
  String eventName();

  /**
   * Publishes an event as a message named {@link #eventName()}.
   *
   * @param event the event
   * @return as {@link Channel#publish(io.ably.api.message.Message)}; failed at once with 40013 if
   *     the event cannot be encoded
   */
  CompletionStage<PublishResult> publish(T event);

  /**
   * Subscribes to the events: messages named {@link #eventName()}, decoded (attaching the channel
   * as {@link Channel#subscribe(String, Consumer)} does). A message that does not decode goes to
   * the {@link #onDecodeFailure} listeners instead, and the subscription continues.
   *
   * @param listener called on the client's callback thread, in order
   * @return a handle that ends this subscription
   */
  Subscription subscribe(Consumer<? super T> listener);

  /**
   * Registers a listener told of every message of this event name that did not decode.
   *
   * @param listener called on the client's callback thread
   * @return a handle that removes the listener
   */
  Subscription onDecodeFailure(Consumer<? super DecodeFailure> listener);
}
