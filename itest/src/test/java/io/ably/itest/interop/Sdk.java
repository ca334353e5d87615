package io.ably.itest.interop;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelEvent;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ChannelStateListener.ChannelStateChange;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.Connection;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener.ConnectionStateChange;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.ably.lib.types.PresenceMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Helpers for driving ably-java from a test: its callbacks turned into futures and recorders, and
 * every wait with a deadline.
 */
final class Sdk {
  /** Deadline of every wait: generous, as ably-java may first try an internet check (§4.10). */
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Sdk() {}

  static boolean isTerminal(ConnectionState state) {
    return state == ConnectionState.closed || state == ConnectionState.failed;
  }

  static Recorder<ConnectionStateChange> record(Connection connection) {
    Recorder<ConnectionStateChange> recorder = new Recorder<>(TIMEOUT);
    connection.on(recorder::add);
    return recorder;
  }

  static Recorder<ChannelStateChange> record(Channel channel) {
    Recorder<ChannelStateChange> recorder = new Recorder<>(TIMEOUT);
    channel.on(recorder::add);
    return recorder;
  }

  /** The states a connection went through, UPDATE events left out. */
  static List<ConnectionState> connectionStates(Recorder<ConnectionStateChange> recorder) {
    return recorder.all().stream()
        .filter(c -> c.event != ConnectionEvent.update)
        .map(c -> c.current)
        .toList();
  }

  /** The states a channel went through, UPDATE events left out. */
  static List<ChannelState> channelStates(Recorder<ChannelStateChange> recorder) {
    return recorder.all().stream()
        .filter(c -> c.event != ChannelEvent.update)
        .map(c -> c.current)
        .toList();
  }

  /** A step run inside an SDK listener, whose failure the test thread must see. */
  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  /** Runs the step once (later calls do nothing) and completes the future with its outcome. */
  static void completeWith(CompletableFuture<Void> done, Step step) {
    if (done.isDone()) {
      return;
    }
    try {
      step.run();
      done.complete(null);
    } catch (Exception | AssertionError e) {
      done.completeExceptionally(e);
    }
  }

  /** Completes with {@code null} on success and with the error on failure. */
  static CompletionListener completing(CompletableFuture<ErrorInfo> outcome) {
    return new CompletionListener() {
      @Override
      public void onSuccess() {
        outcome.complete(null);
      }

      @Override
      public void onError(ErrorInfo reason) {
        outcome.complete(reason != null ? reason : new ErrorInfo("onError without a reason", 0));
      }
    };
  }

  static CompletableFuture<ErrorInfo> attach(Channel channel) throws AblyException {
    CompletableFuture<ErrorInfo> outcome = new CompletableFuture<>();
    channel.attach(completing(outcome));
    return outcome;
  }

  static CompletableFuture<ErrorInfo> publish(Channel channel, Message... messages)
      throws AblyException {
    CompletableFuture<ErrorInfo> outcome = new CompletableFuture<>();
    channel.publish(messages, completing(outcome));
    return outcome;
  }

  /** {@code presence.get()} (which waits for the SYNC) on another thread, with a deadline. */
  static PresenceMessage[] presenceGet(Channel channel) throws InterruptedException {
    return get(
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return channel.presence.get();
              } catch (AblyException e) {
                throw new CompletionException(e);
              }
            }),
        "presence.get() on " + channel.name);
  }

  static void succeeds(CompletableFuture<ErrorInfo> outcome, String what)
      throws InterruptedException {
    ErrorInfo error = get(outcome, what);
    if (error != null) {
      fail(what + " failed: " + error);
    }
  }

  static ErrorInfo fails(CompletableFuture<ErrorInfo> outcome, String what)
      throws InterruptedException {
    ErrorInfo error = get(outcome, what);
    assertNotNull(error, what + " succeeded but should have failed");
    return error;
  }

  static <T> T get(CompletableFuture<T> future, String what) throws InterruptedException {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return fail(what + ": not done within " + TIMEOUT);
    } catch (ExecutionException e) {
      return fail(what + ": " + e.getCause(), e.getCause());
    }
  }
}
