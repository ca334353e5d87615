package io.ably.api.event;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.Subscription;
import io.ably.api.internal.Checks;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link TypedChannel} over a channel and a codec. Thread-safe. */
final class CodecTypedChannel<T> implements TypedChannel<T> {
  private final Channel channel;
  private final EventCodec<T> codec;
  private final String eventName;
  /** Decode-failure listeners; read on the callback thread, changed by any thread. */
  private final List<Consumer<? super DecodeFailure>> failureListeners = new CopyOnWriteArrayList<>();

  CodecTypedChannel(Channel channel, EventCodec<T> codec) {
    this.channel = channel;
    this.codec = codec;
    this.eventName = codec.eventName();
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public String eventName() {
    return eventName;
  }

  @Override
  public CompletionStage<PublishResult> publish(T event) {
    Checks.notNull(event, "event");
    MessageData data;
    try {
      data = codec.encode(event);
    } catch (RuntimeException e) {
      return CompletableFuture.<PublishResult>failedFuture(
              new AblyException(
                  ErrorInfo.of(
                      ErrorCode.INVALID_MESSAGE_DATA,
                      "cannot encode " + codec.type().getName() + ": " + e.getMessage()),
                  e))
          .minimalCompletionStage();
    }
    return channel.publish(Message.of(eventName, data));
  }

  @Override
  public Subscription subscribe(Consumer<? super T> listener) {
    Checks.notNull(listener, "listener");
    return channel.subscribe(eventName, message -> deliver(message, listener));
  }

  private void deliver(Message message, Consumer<? super T> listener) {
    T event;
    try {
      event = codec.decode(message.data());
    } catch (RuntimeException e) {
      DecodeFailure failure = new DecodeFailure(message, e);
      for (Consumer<? super DecodeFailure> l : failureListeners) {
        l.accept(failure);
      }
      return;
    }
    listener.accept(event);
  }

  @Override
  public Subscription onDecodeFailure(Consumer<? super DecodeFailure> listener) {
    Checks.notNull(listener, "listener");
    failureListeners.add(listener);
    return () -> failureListeners.remove(listener);
  }

  @Override
  public String toString() {
    return "TypedChannel{" + channel.name() + ", " + eventName + " as " + codec.type().getName() + "}";
  }
}
