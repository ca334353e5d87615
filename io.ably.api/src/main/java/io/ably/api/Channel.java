package io.ably.api;

import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A realtime channel (RTL1–RTL17): attach to it, publish to it, subscribe to its messages.
 * Thread-safe: every method may be called from any thread; calls only enqueue work on the client's
 * event loop and never block.
 *
 * <p><b>Which thread calls back.</b> Listeners and the continuations of returned stages run on the
 * client's callback thread: by default one thread of a small shared pool, bound to this client so
 * its callbacks run one at a time, in order; with {@link ClientOptions#inlineCallbacks()} the event
 * loop itself (the lowest latency; a callback must then never block); or the {@link
 * ClientOptions#callbackExecutor()} the application gave, still one callback at a time per client.
 * On every choice, a channel's messages reach each subscriber in the order the service sent them.
 *
 * <p><b>Slow subscribers.</b> Messages for a subscriber wait in the callback executor's queue, which
 * is unbounded: nothing is dropped, and a subscriber that is slower than the stream for a long time
 * makes the queue, and the heap, grow. A listener that throws is logged and counted ({@link
 * ChannelMetrics#listenerErrors()}), and other listeners and later messages are not affected.
 *
 * @since 0.1
 */
public interface Channel {

  /**
   * Returns the channel's name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the channel's options.
   *
   * @return the options it was created or last updated with
   */
  ChannelOptions options();

  /**
   * Returns the channel's state now.
   *
   * @return the state
   */
  ChannelState state();

  /**
   * Returns the reason of the latest state change that had one (RTL2d, RTL4g).
   *
   * @return the error, or {@code null}
   */
  ErrorInfo errorReason();

  /**
   * Returns the params the service granted on the latest ATTACHED (RTL4k1).
   *
   * @return an unmodifiable map, empty before the first ATTACHED
   */
  Map<String, String> params();

  /**
   * Returns the modes the service granted on the latest ATTACHED (RTL4m).
   *
   * @return an unmodifiable set, empty before the first ATTACHED
   */
  Set<ChannelMode> modes();

  /**
   * Registers a listener for every state change and UPDATE of this channel (RTL2).
   *
   * @param listener called on the callback thread with each change
   * @return a handle that removes the listener
   */
  Subscription onStateChange(Consumer<ChannelStateChange> listener);

  /**
   * Registers a listener for continuity losses: the channel was attached, and has attached again
   * without the service's RESUMED flag, so messages published in between may be missing (RTL12,
   * RTL15, RTN15c7). An application that must not miss a message backfills from history then.
   *
   * @param listener called on the callback thread with the ATTACHED change or UPDATE that showed
   *     the loss; its reason says why, when the service gave one
   * @return a handle that removes the listener
   */
  Subscription onContinuityLoss(Consumer<ChannelStateChange> listener);

  /**
   * Returns a stage completed when the channel is in {@code state}: at once if it is now,
   * otherwise the next time it enters it.
   *
   * @param state the state to wait for
   * @return a stage completed on the callback thread with the change that entered the state
   */
  CompletionStage<ChannelStateChange> whenState(ChannelState state);

  /**
   * Attaches the channel (RTL4): completes at once if attached, waits for an attach or detach in
   * progress, and otherwise sends ATTACH (once the connection is connected).
   *
   * @return a stage completed on the callback thread when ATTACHED, or failed with an {@link
   *     AblyException}: the connection's error if it cannot attach (RTL4b), 90007 if the service
   *     does not answer in time (RTL4f), or the service's error (for example 40160, RTL14)
   */
  CompletionStage<Void> attach();

  /**
   * Detaches the channel (RTL5).
   *
   * @return a stage completed on the callback thread when DETACHED, or failed with an {@link
   *     AblyException} (90001 on a FAILED channel, RTL5b)
   */
  CompletionStage<Void> detach();

  /**
   * Acknowledges that the application has processed a message of this channel and every one
   * delivered before it (a channel created with {@link
   * ChannelOptions.Builder#manualAcknowledgement(boolean)}): the position the client stores for
   * the channel moves to it, so a later run, even after a crash, continues after it. Messages may be
   * acknowledged one by one or, cumulatively, only the last of a batch.
   *
   * <p>The stage completes once a store write that holds this position, or a later one, has been
   * forced to disk; acknowledgements made while a write runs are grouped into the next one. The
   * event loop never waits for the disk.
   *
   * @param message a message delivered on this channel, not null
   * @return a stage completed on the callback thread once the position is durable, or failed with
   *     an {@link AblyException}: 40000 if the channel has no manual acknowledgement or its client
   *     no subscription store, or if the message was not delivered on this channel since the last
   *     acknowledgement (acknowledged already, out of order, or a message of another channel); 50000
   *     if the store could not be written (the position is tried again with the next write); 90001
   *     if the channel was released or the client closed
   * @since 0.4
   */
  CompletionStage<Void> acknowledge(Message message);

  /**
   * Publishes one message (RTL6). Publishing never attaches the channel (RTL6c5). While the
   * connection is connecting or disconnected, the message waits in the connection's queue
   * (RTL6c2) unless queueing is off; it is sent again after a reconnection until acknowledged
   * (RTN19a).
   *
   * @param message the message
   * @return a stage completed on the callback thread with the serial the service assigned, or
   *     failed with an {@link AblyException}: 40009 if the message is larger than the service
   *     allows (RSL1i), 90001 on a SUSPENDED or FAILED channel (RTL6c4), the connection's error if
   *     it cannot publish, or the service's NACK error
   */
  CompletionStage<PublishResult> publish(Message message);

  /**
   * Publishes a message with a name and data (RTL6i1).
   *
   * @param name the event name, or {@code null}
   * @param data the payload, or {@code null}
   * @return as {@link #publish(Message)}
   */
  CompletionStage<PublishResult> publish(String name, MessageData data);

  /**
   * Publishes a message with a name and text data.
   *
   * @param name the event name, or {@code null}
   * @param text the text
   * @return as {@link #publish(Message)}
   */
  CompletionStage<PublishResult> publish(String name, String text);

  /**
   * Publishes several messages in one protocol message (RTL6i2): acknowledged or refused together.
   *
   * @param messages the messages, at least one
   * @return as {@link #publish(Message)}, with one serial per message
   */
  CompletionStage<PublishResult> publish(List<Message> messages);

  /**
   * Returns the channel's presence: its members, their events, and entering and leaving (RTP).
   *
   * @return the presence of this channel, the same object on each call
   * @since 0.1
   */
  RealtimePresence presence();

  /**
   * Subscribes to every message (RTL7a), attaching the channel unless {@link
   * ChannelOptions#attachOnSubscribe()} is off (RTL7g).
   *
   * @param listener called on the callback thread with each message, in order
   * @return a handle that removes the listener; the channel stays attached
   */
  Subscription subscribe(Consumer<? super Message> listener);

  /**
   * Subscribes to messages with this name (RTL7b).
   *
   * @param name the event name
   * @param listener called on the callback thread with each matching message, in order
   * @return a handle that removes the listener
   */
  Subscription subscribe(String name, Consumer<? super Message> listener);

  /**
   * Subscribes to messages that pass a filter (RTL22). The filter runs on the callback thread,
   * just before the listener would.
   *
   * @param filter the filter
   * @param listener called on the callback thread with each message that passes, in order
   * @return a handle that removes the listener
   */
  Subscription subscribe(Predicate<? super Message> filter, Consumer<? super Message> listener);

  /**
   * Returns the channel's messages as a reactive-streams publisher, which passes the Reactive
   * Streams TCK. Each {@link Flow.Subscriber} gets the messages received after it subscribed, in
   * order, no more than it requested; messages beyond its demand wait in a buffer of its own,
   * unbounded, so nothing is lost. Subscribing attaches the channel as {@link #subscribe(Consumer)}
   * does.
   *
   * <p>The stream is the channel's: it ends with {@code onComplete} when the channel is released
   * ({@link Channels#release(String)}), after the messages already received for the subscriber,
   * and not before (closing the client does not end it; cancel the subscription). Subscribing to
   * a channel already released gives {@code onSubscribe}, then {@code onError} with an {@link
   * AblyException} ({@link ErrorCode#CHANNEL_STATE_INVALID}). A {@code request} of zero or less
   * ends the subscription with {@code onError} and an {@link IllegalArgumentException} (rule 3.9);
   * a total demand above {@code Long.MAX_VALUE} is unbounded demand (rule 3.17). A subscriber
   * method that throws is logged and counted ({@link ChannelMetrics#listenerErrors()}), and its
   * subscription is cancelled (rule 2.13).
   *
   * <p>Threading: every signal runs on the client's callback thread, one at a time, in order
   * (inline on the event loop with {@link ClientOptions#inlineCallbacks()}). {@code subscribe},
   * {@code request} and {@code cancel} may be called from any thread, also from inside a signal;
   * they never signal before they return (rule 3.3), so a subscriber may request from {@code
   * onNext} without recursion.
   *
   * @return a publisher, whose {@code subscribe(null)} throws {@link NullPointerException} (rule
   *     1.9); each call returns a new one
   */
  Flow.Publisher<Message> messages();

  /**
   * Reads the channel's message history over REST (RTL10, RSL2). With {@link
   * HistoryParams#untilAttach()} (RTL10b) the query ends at the point where the channel attached,
   * so that history and the live messages a subscriber received since the attach meet exactly:
   * nothing is missing between them and nothing is in both. It needs the channel ATTACHED, and
   * the stage fails with 40000 otherwise (RTL10b).
   *
   * @param params the query
   * @return a stage completed on the callback thread with the first page, or failed with an {@link
   *     AblyException} (see {@link io.ably.api.rest.Rest} for REST failures)
   * @since 0.2
   */
  CompletionStage<PaginatedResult<Message>> history(HistoryParams params);

  /**
   * Returns the channel's state and counters now.
   *
   * @return a snapshot
   */
  ChannelMetrics metrics();

  /**
   * Returns a typed view of this channel for events of a class, in the format that matches the
   * client's protocol: MessagePack binary data when it uses the binary protocol (the default), JSON
   * data otherwise (this default implementation: JSON). See {@link #typed(Class,
   * io.ably.api.event.EventFormat)}.
   *
   * @param <T> the event type
   * @param type the event class (a record, typically)
   * @return the typed view
   * @throws AblyException with code 40019 if this implementation has no event codec
   * @since 0.2
   */
  default <T> io.ably.api.event.TypedChannel<T> typed(Class<T> type) {
    return typed(type, io.ably.api.event.EventFormat.JSON);
  }

  /**
   * Returns a typed view of this channel for events of a class, published and subscribed under
   * the class's event name ({@link io.ably.api.event.EventName}, else its simple name), encoded by
   * the engine's codec in the given format. Records with nested records, lists, enums, {@code
   * Instant} and {@code BigDecimal} are supported. In a modular application, the package of the
   * event classes must be open to {@code com.alibaba.fastjson2} (or use {@link
   * io.ably.api.event.TypedChannel#of} with a codec of your own).
   *
   * @param <T> the event type
   * @param type the event class
   * @param format JSON data or MessagePack binary data
   * @return the typed view
   * @throws AblyException with code 40019 if this implementation has no event codec
   * @since 0.2
   */
  default <T> io.ably.api.event.TypedChannel<T> typed(
      Class<T> type, io.ably.api.event.EventFormat format) {
    throw AblyException.of(
        ErrorCode.MISSING_PLUGIN,
        "this Channel has no event codec; use TypedChannel.of(channel, codec)");
  }
}
