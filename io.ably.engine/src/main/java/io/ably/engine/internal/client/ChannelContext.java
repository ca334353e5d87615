package io.ably.engine.internal.client;

import io.ably.api.ErrorInfo;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.Counters;
import io.ably.wire.ChannelCipher;
import io.ably.wire.ProtocolMessage;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a {@link ChannelCore} needs of its client, and no more: the clock and timers of the loop,
 * the callback thread, the counters and log, a way to send its ATTACH and DETACH, to publish its
 * presence messages, and to fail the publishes it still has queued. The conductor provides it; tests provide their own.
 */
interface ChannelContext {
  /** The attach and detach timeout (realtimeRequestTimeout). */
  Duration requestTimeout();

  /** The base delay of a SUSPENDED channel's re-attach (channelRetryTimeout). */
  Duration channelRetryTimeout();

  /** The loop's clock, in nanoseconds. */
  long now();

  /** Runs {@code task} on the loop after {@code delayNanos}; the handle cancels it. */
  Cancellable schedule(Runnable task, long delayNanos);

  /** Runs {@code task} on the loop; callable from any thread (a Flow subscriber's demand). */
  void execute(Runnable task);

  /** Where the channel's cipher takes its IVs: the client's one random source. */
  ChannelCipher.IvSource ivSource();

  /** Where user callbacks and stages are completed. */
  CallbackDispatcher callbacks();

  /** The client's counters. */
  Counters counters();

  /** Logs at {@code level}. */
  void log(Level level, Supplier<String> message);

  /** Logs a warning, with what was thrown if not null. */
  void logWarning(String message, Throwable thrown);

  /** Sends a channel's ATTACH or DETACH if connected; otherwise the machine sends it later. */
  void sendIfConnected(ProtocolMessage message);

  /** Fails the channel's publishes still waiting for the connection (RTL6c4). */
  void failQueuedFor(ChannelCore channel, ErrorInfo error);

  /** The current connection's id, or null when not connected (RTP17b). */
  String connectionId();

  /** The client's own clientId from its options, or null (RTP8j). */
  String clientId();

  /** Publishes a PRESENCE protocol message through the client's publish path (RTP8, RTP14). */
  void publishPresence(ChannelCore channel, List<PresenceMessage> presence, ClientStage<PublishResult> stage);

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    void cancel();
  }
}
