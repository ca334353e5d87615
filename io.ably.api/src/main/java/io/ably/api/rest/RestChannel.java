package io.ably.api.rest;

import io.ably.api.ChannelOptions;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A channel as REST sees it (RSL1–RSL8): publish to it, read its history and presence, ask its
 * status. Each operation is one HTTP request (more when a fallback host is tried) made on the
 * client's event loop; nothing blocks the caller. Thread-safe.
 *
 * <p>Messages are encoded as the realtime client encodes them (RSL4, RSL5): JSON data travels as
 * text with the {@code json} encoding, and with a cipher in the channel's {@link ChannelOptions} the
 * data is encrypted. Read messages are decoded (RSL6); one that cannot be (a wrong or missing key,
 * an unknown encoding) is returned with its {@code encoding} left as far as it could not be undone,
 * never dropped (RSL6b), and the failure is logged and counted ({@link RestMetrics#decodeFailures()}).
 *
 * <p>Stages complete on the client's callback thread; they fail with an {@link
 * io.ably.api.AblyException} carrying the service's error code and status, or 50003 on a timeout,
 * 50002 when no host could be reached.
 *
 * @since 0.2
 */
public interface RestChannel {
  /**
   * Returns the channel's name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the channel's options (its cipher).
   *
   * @return the options
   */
  ChannelOptions options();

  /**
   * Publishes one message (RSL1).
   *
   * @param message the message; without an id it gets an idempotent one (RSL1k)
   * @return a stage completed with the serial the service assigned, or failed
   */
  CompletionStage<PublishResult> publish(Message message);

  /**
   * Publishes a message with a name and data (RSL1a).
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
   * Publishes several messages in one request (RSL1c): all published or none. When none of them
   * has an id, the client gives them idempotent ids {@code <base64 of 9 random bytes>:<index>}
   * (RSL1k1), so a request retried on a fallback host publishes them once (RSL1k4).
   *
   * @param messages the messages, at least one
   * @return a stage completed with one serial per message, or failed
   */
  CompletionStage<PublishResult> publish(List<Message> messages);

  /**
   * Publishes several messages with publish parameters (RSL1l), sent as the query string.
   *
   * @param messages the messages, at least one
   * @param params the parameters, possibly empty
   * @return as {@link #publish(List)}
   */
  CompletionStage<PublishResult> publish(List<Message> messages, Map<String, String> params);

  /**
   * Reads the channel's message history (RSL2). {@code untilAttach} is for realtime channels
   * only and is refused here with 40003.
   *
   * @param params the query
   * @return a stage completed with the first page
   */
  CompletionStage<PaginatedResult<Message>> history(HistoryParams params);

  /**
   * Returns the channel's presence.
   *
   * @return the presence, the same object on every call
   */
  RestPresence presence();

  /**
   * Reads the channel's status and occupancy (RSL8).
   *
   * @return a stage completed with the details
   */
  CompletionStage<ChannelDetails> status();
}
