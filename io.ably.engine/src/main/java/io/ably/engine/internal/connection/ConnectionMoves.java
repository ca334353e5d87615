package io.ably.engine.internal.connection;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.connection.ConnectionEffect.CheckConnectivity;
import io.ably.engine.internal.connection.ConnectionEffect.DetachChannels;
import io.ably.engine.internal.connection.ConnectionEffect.FailChannels;
import io.ably.engine.internal.connection.ConnectionEffect.FailPending;
import io.ably.engine.internal.connection.ConnectionEffect.ReattachChannels;
import io.ably.engine.internal.connection.ConnectionEffect.ReinitializeChannels;
import io.ably.engine.internal.connection.ConnectionEffect.ResendPending;
import io.ably.engine.internal.connection.ConnectionEffect.ResetMsgSerial;
import io.ably.engine.internal.connection.ConnectionEffect.SuspendChannels;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectedReceived;
import io.ably.engine.internal.connection.ConnectionStatus.Closed;
import io.ably.engine.internal.connection.ConnectionStatus.Closing;
import io.ably.engine.internal.connection.ConnectionStatus.Connected;
import io.ably.engine.internal.connection.ConnectionStatus.Connecting;
import io.ably.engine.internal.connection.ConnectionStatus.Disconnected;
import io.ably.engine.internal.connection.ConnectionStatus.Failed;
import io.ably.engine.internal.connection.ConnectionStatus.Outage;
import io.ably.engine.internal.connection.ConnectionStatus.Suspended;
import io.ably.wire.ConnectionDetails;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The moves the {@link ConnectionStateMachine} shares between signals: entering a state with the
 * effects that come with it. Each move finishes the transition it is given.
 */
final class ConnectionMoves {
  private final ConnectionConfig config;
  private final RandomGenerator random;

  /**
   * A connection lost this soon after the CONNECTED that ended an outage was not healthy: the
   * outage goes on with backoff instead of an immediate resume.
   */
  static final long FLAPPING_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

  ConnectionMoves(ConnectionConfig config, RandomGenerator random) {
    this.config = config;
    this.random = random;
  }

  Transition connected(
      TransitionBuilder b, Connecting c, ConnectedReceived m, long ttlNanos) {
    String previousId = b.connectionId();
    boolean triedContinuity = b.triesContinuity();
    // RTN15c6: same id and no error is a resume; RTN16l: a recover without error succeeded
    boolean resumed =
        triedContinuity
            && m.error() == null
            && (previousId == null || previousId.equals(m.connectionId()));
    b.cancelTimer(TimerKind.CONNECT);
    b.cancelTimer(TimerKind.SUSPEND);
    if (!resumed && (triedContinuity || previousId != null)) {
      b.add(new ResetMsgSerial()); // RTN15c7, RTN16f: a new connection numbers from 0
    }
    b.connected(m.connectionId(), m.connectionKey(), ttlNanos); // RTN15e, RTN16k
    // RTN15c7, RTN25: the CONNECTED's error; none clears the outage's (RTN15c6, RTN15h3)
    b.errorReason(m.error());
    startIdleTimer(b, m.details()); // RTN23a
    b.add(new ReattachChannels(resumed)); // RTL3d, also after a resume
    b.add(new ResendPending()); // RTN19a; renumbered after ResetMsgSerial (RTN19a2)
    b.emit(ConnectionState.CONNECTED, m.error(), null);
    return b.to(
        new Connected(
            c.transportId(), m.connectionId(), m.connectionKey(), m.details(), c.host(),
            m.nowNanos(), c.outage()));
  }

  /** Enters CONNECTING on the primary host with a fresh transport (RTN17i). */
  Transition startConnecting(TransitionBuilder b, Outage outage, boolean renewToken) {
    RealtimeHosts hosts = config.hosts();
    List<String> fallbacks = shuffled(hosts.fallbacks());
    long transportId = b.openTransport(hosts.primary(), hosts.port(), renewToken);
    b.startTimer(TimerKind.CONNECT, config.realtimeRequestTimeoutNanos()); // RTN14c
    b.emit(ConnectionState.CONNECTING, null, null);
    return b.to(
        new Connecting(
            hosts.primary(), false, fallbacks, transportId, 0, renewToken, null, outage));
  }

  /** A token error while connecting: renew once and retry (RTN14b), or fail (RSA4a2). */
  Transition tokenErrorWhileConnecting(
      TransitionBuilder b, Connecting c, ErrorInfo error, long now) {
    if (!config.tokenRenewable()) {
      return failed(b, c.transportId(), ConnectionErrors.tokenNotRenewable(error)); // RSA4a2
    }
    if (c.tokenRenewed()) {
      return attemptFailed(b, c, error, false, now); // RTN14b: a second token error
    }
    b.cancelTimer(TimerKind.CONNECT);
    b.closeTransport(c.transportId());
    long transportId = b.openTransport(c.host(), config.hosts().port(), true);
    b.startTimer(TimerKind.CONNECT, config.realtimeRequestTimeoutNanos());
    return b.to(
        new Connecting(
            c.host(), c.onFallback(), c.fallbacksLeft(), transportId, 0, true, null, c.outage()));
  }

  /** One host failed: try a fallback (RTN17) or give up this attempt (RTN14d, RTN14e). */
  Transition attemptFailed(
      TransitionBuilder b, Connecting c, ErrorInfo error, boolean qualifies, long now) {
    b.cancelTimer(TimerKind.CONNECT);
    b.closeTransport(c.transportId());
    if (qualifies && !c.fallbacksLeft().isEmpty()) {
      if (!c.onFallback()) {
        // RTN17j: make sure the internet is reachable before trying the fallbacks
        long checkId = b.nextId();
        b.add(new CheckConnectivity(checkId));
        b.startTimer(TimerKind.CONNECT, config.realtimeRequestTimeoutNanos());
        return b.to(
            new Connecting(
                c.host(), false, c.fallbacksLeft(), 0, checkId, c.tokenRenewed(), error,
                c.outage()));
      }
      return tryNextFallback(b, c);
    }
    return disconnected(b, c.outage(), error, now);
  }

  Transition tryNextFallback(TransitionBuilder b, Connecting c) {
    List<String> left = c.fallbacksLeft();
    String host = left.get(0);
    long transportId = b.openTransport(host, config.hosts().port(), false);
    b.startTimer(TimerKind.CONNECT, config.realtimeRequestTimeoutNanos());
    return b.to(
        new Connecting(
            host, true, left.subList(1, left.size()), transportId, 0, c.tokenRenewed(), null,
            c.outage()));
  }

  /** Enters DISCONNECTED with an RTB1 retry, or SUSPENDED once connectionStateTtl passed. */
  Transition disconnected(
      TransitionBuilder b, Outage outage, ErrorInfo error, long now) {
    Outage current = outage != null ? outage : new Outage(now, 0, false);
    if (current.ttlExpired()) {
      return enterSuspended(b, current, ConnectionErrors.suspended(error), now); // RTN14e
    }
    if (!b.isArmed(TimerKind.SUSPEND)) {
      long ttlLeftNanos = current.sinceNanos() + b.connectionStateTtlNanos() - now;
      b.startTimer(TimerKind.SUSPEND, ttlLeftNanos); // RTN14e
    }
    int retryCount = current.retryCount() + 1;
    long delayNanos =
        RetryBackoff.delayNanos(
            config.disconnectedRetryTimeoutNanos(), retryCount, random.nextDouble()); // RTB1
    b.startTimer(TimerKind.RETRY, delayNanos);
    b.errorReason(error);
    if (!config.queueMessages()) {
      b.add(new FailPending(error)); // RTN7d
    }
    b.emit(ConnectionState.DISCONNECTED, error, Duration.ofNanos(delayNanos)); // RTN14d retryIn
    return b.to(
        new Disconnected(now + delayNanos, new Outage(current.sinceNanos(), retryCount, false)));
  }

  Transition enterSuspended(
      TransitionBuilder b, Outage outage, ErrorInfo reason, long now) {
    b.cancelTimer(TimerKind.SUSPEND);
    long delayNanos = config.suspendedRetryTimeoutNanos();
    b.startTimer(TimerKind.RETRY, delayNanos); // RTN14e, RTN14f
    b.errorReason(reason);
    b.add(new FailPending(reason)); // RTN7e
    b.add(new SuspendChannels(reason)); // RTL3c
    b.emit(ConnectionState.SUSPENDED, reason, Duration.ofNanos(delayNanos));
    Outage expired = new Outage(outage.sinceNanos(), outage.retryCount(), true);
    return b.to(new Suspended(now + delayNanos, expired));
  }

  /**
   * The connected transport is gone: DISCONNECTED for an instant (its retryIn the first RTB1 step),
   * then CONNECTING with a resume at once (RTN15a, RTN15h2, RTN15h3, RTN23a; RTN15h2i allows the
   * pass through DISCONNECTED).
   */
  Transition transportLost(
      TransitionBuilder b, Connected c, ErrorInfo error, boolean renewToken, long now) {
    b.cancelTimer(TimerKind.IDLE);
    b.closeTransport(c.transportId());
    if (c.recovering() != null && now - c.sinceNanos() < FLAPPING_WINDOW_NANOS) {
      // Lost within a second of the CONNECTED that ended an outage: a server that
      // breaks every connection at once. The outage goes on with RTB1 backoff and jitter, and
      // ends in SUSPENDED after connectionStateTtl (RTN14e), instead of resuming at once for ever.
      Outage outage = c.recovering();
      if (outage.ttlExpired() || now - outage.sinceNanos() >= b.connectionStateTtlNanos()) {
        b.errorReason(error);
        if (!config.queueMessages()) {
          b.add(new FailPending(error)); // RTN7d
        }
        long stepNanos =
            RetryBackoff.delayNanos(
                config.disconnectedRetryTimeoutNanos(), outage.retryCount() + 1, random.nextDouble());
        b.emit(ConnectionState.DISCONNECTED, error, Duration.ofNanos(stepNanos)); // RTN14d, RTB1
        return enterSuspended(b, outage, ConnectionErrors.suspended(error), now); // RTN14e
      }
      return disconnected(b, outage, error, now);
    }
    // RTN14d, RTB1: the DISCONNECTED passed through reports the first backoff step as its retryIn,
    // as the UTS (RTB1 retry delays) and ably-js do, and the outage counts it as retry 1, so a
    // failed resume waits 4/3 of the step next (RTB1a). The attempt itself is immediate (RTN15a,
    // RTN15h3).
    long firstStepNanos =
        RetryBackoff.delayNanos(config.disconnectedRetryTimeoutNanos(), 1, random.nextDouble());
    Outage outage = new Outage(now, 1, false);
    b.startTimer(TimerKind.SUSPEND, b.connectionStateTtlNanos()); // RTN14e, from the loss
    b.errorReason(error);
    if (!config.queueMessages()) {
      b.add(new FailPending(error)); // RTN7d
    }
    b.emit(ConnectionState.DISCONNECTED, error, Duration.ofNanos(firstStepNanos));
    return startConnecting(b, outage, renewToken);
  }

  Transition failed(TransitionBuilder b, long transportId, ErrorInfo error) {
    b.cancelAllTimers();
    b.closeTransport(transportId);
    b.forgetConnection(); // state discarded; RTN8d, RTN9d
    b.errorReason(error); // RTN25
    b.add(new FailPending(error)); // RTN7e
    b.add(new FailChannels(error)); // RTL3a
    b.emit(ConnectionState.FAILED, error, null);
    return b.to(new Failed(error));
  }

  /** Leaves CLOSING for CLOSED, closing its transport (RTN12a, RTN12b, RTN12c, RTN12f). */
  Transition closedAfterTransport(TransitionBuilder b, Closing closing) {
    b.cancelAllTimers();
    b.closeTransport(closing.transportId());
    return enterClosed(b);
  }

  Transition enterClosed(TransitionBuilder b) {
    b.forgetConnection(); // no resume after a close; RTN8d, RTN9d
    b.add(new FailPending(ConnectionErrors.closed())); // RTN7e
    b.add(new DetachChannels()); // RTL3b
    b.emit(ConnectionState.CLOSED, null, null);
    return b.to(new Closed());
  }

  /** RTN11d: channels INITIALIZED, msgSerial 0, connection data cleared. */
  void reinitialize(TransitionBuilder b) {
    b.add(new ReinitializeChannels());
    b.add(new ResetMsgSerial());
    b.clearConnectionData(config.connectionStateTtlNanos());
  }

  void startIdleTimer(TransitionBuilder b, ConnectionDetails details) {
    long idleLimitNanos = idleLimitNanos(details);
    if (idleLimitNanos > 0) {
      b.startTimer(TimerKind.IDLE, idleLimitNanos); // RTN23a
    }
  }

  /** maxIdleInterval + realtimeRequestTimeout, or 0 when the server sets no interval (CD2h). */
  long idleLimitNanos(ConnectionDetails details) {
    Long maxIdleMillis = details == null ? null : details.maxIdleIntervalMillis();
    if (maxIdleMillis == null || maxIdleMillis <= 0) {
      return 0;
    }
    return TimeUnit.MILLISECONDS.toNanos(maxIdleMillis) + config.realtimeRequestTimeoutNanos();
  }

  /** connectionStateTtl from the details, else the default (DF1a, CD2f, RTN21). */
  long connectionStateTtlNanos(ConnectionDetails details) {
    Long ttlMillis = details == null ? null : details.connectionStateTtlMillis();
    if (ttlMillis == null || ttlMillis <= 0) {
      return config.connectionStateTtlNanos();
    }
    return TimeUnit.MILLISECONDS.toNanos(ttlMillis);
  }

  /** A uniformly random order of the fallback hosts (RTN17j), from the injected source. */
  private List<String> shuffled(List<String> hosts) {
    List<String> order = new ArrayList<>(hosts);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String swap = order.get(i);
      order.set(i, order.get(j));
      order.set(j, swap);
    }
    return order;
  }
}
