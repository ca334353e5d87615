package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.transport.Transport;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The client's pings (RTN13): a HEARTBEAT with a random id, answered by the echo with the same id
 * within realtimeRequestTimeout; deferred while connecting or disconnected (RTN13d), failed in
 * other states. One of the conductor's parts; loop-confined.
 */
@EventLoopConfined
final class PingTracker {
  private final EventLoop loop;
  private final CallbackDispatcher callbacks;
  private final Counters counters;
  private final LongSupplier clock;
  private final Duration timeout;
  private final SplittableRandom random = new SplittableRandom();
  /** Pings sent and not yet echoed, by id. */
  private final Map<String, Ping> pings = new HashMap<>();
  /** Pings asked for while connecting or disconnected, sent once connected (RTN13d). */
  private final List<ClientStage<Duration>> deferred = new ArrayList<>();

  private record Ping(long sentNanos, ClientStage<Duration> result, ScheduledFuture<?> timeout) {}

  PingTracker(EventLoop loop, CallbackDispatcher callbacks, Counters counters, LongSupplier clock, Duration timeout) {
    this.loop = loop;
    this.callbacks = callbacks;
    this.counters = counters;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** A ping asked for in connection state {@code s}, with the current transport (or null). */
  void ping(ClientStage<Duration> result, ConnectionState s, Transport transport) {
    if (s == ConnectionState.CONNECTED) {
      send(result, transport);
    } else if (s == ConnectionState.CONNECTING || s == ConnectionState.DISCONNECTED) {
      deferred.add(result); // RTN13d
    } else {
      fail(result, ClientErrors.notConnected(s));
    }
  }

  /** Sends the pings deferred while connecting (RTN13d). */
  void connected(Transport transport) {
    List<ClientStage<Duration>> waiting = new ArrayList<>(deferred);
    deferred.clear();
    for (ClientStage<Duration> result : waiting) {
      send(result, transport);
    }
  }

  private void send(ClientStage<Duration> result, Transport transport) {
    if (transport == null || !transport.isOpen()) {
      fail(result, ClientErrors.notConnected(ConnectionState.DISCONNECTED));
      return;
    }
    String id = Long.toHexString(random.nextLong());
    long sent = clock.getAsLong();
    ScheduledFuture<?> timer =
        loop.schedule(
            () -> {
              Ping p = pings.remove(id);
              if (p != null) {
                fail(p.result(), ErrorInfo.of(ErrorCode.TIMEOUT, "no answer to ping within " + timeout));
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    pings.put(id, new Ping(sent, result, timer));
    transport.send(ProtocolMessage.builder(Action.HEARTBEAT).id(id).build());
  }

  /** A HEARTBEAT arrived: the echo of one of ours when it carries its id. */
  void onHeartbeat(String id, long nowNanos) {
    Ping p = id == null ? null : pings.remove(id);
    if (p != null) {
      p.timeout().cancel(false);
      Duration rtt = Duration.ofNanos(nowNanos - p.sentNanos());
      counters.ping(rtt);
      callbacks.dispatch("ping stage", () -> p.result().succeed(rtt));
    }
  }

  /** Fails every ping waiting, sent or deferred. */
  void failAll(ErrorInfo error) {
    List<ClientStage<Duration>> failed = new ArrayList<>(deferred);
    deferred.clear();
    for (Ping p : pings.values()) {
      p.timeout().cancel(false);
      failed.add(p.result());
    }
    pings.clear();
    for (ClientStage<Duration> f : failed) {
      fail(f, error);
    }
  }

  private void fail(ClientStage<Duration> result, ErrorInfo error) {
    AblyException e = new AblyException(error);
    callbacks.dispatch("ping stage", () -> result.fail(e));
  }
}
