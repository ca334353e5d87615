package io.ably.engine.internal.connection;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.connection.ConnectionEffect.DetachChannels;
import io.ably.engine.internal.connection.ConnectionEffect.SendAuth;
import io.ably.engine.internal.connection.ConnectionEffect.SendClose;
import io.ably.engine.internal.connection.ConnectionSignal.AuthFailed;
import io.ably.engine.internal.connection.ConnectionSignal.Close;
import io.ably.engine.internal.connection.ConnectionSignal.ClosedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.Connect;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectivityChecked;
import io.ably.engine.internal.connection.ConnectionSignal.DisconnectedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ErrorReceived;
import io.ably.engine.internal.connection.ConnectionSignal.Reauthorize;
import io.ably.engine.internal.connection.ConnectionSignal.TimerFired;
import io.ably.engine.internal.connection.ConnectionSignal.TransportFailed;
import io.ably.engine.internal.connection.ConnectionSignal.TransportSignal;
import io.ably.engine.internal.connection.ConnectionStatus.Closed;
import io.ably.engine.internal.connection.ConnectionStatus.Closing;
import io.ably.engine.internal.connection.ConnectionStatus.Connected;
import io.ably.engine.internal.connection.ConnectionStatus.Connecting;
import io.ably.engine.internal.connection.ConnectionStatus.Disconnected;
import io.ably.engine.internal.connection.ConnectionStatus.Failed;
import io.ably.engine.internal.connection.ConnectionStatus.Initialized;
import io.ably.engine.internal.connection.ConnectionStatus.Outage;
import io.ably.engine.internal.connection.ConnectionStatus.Suspended;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The connection state machine (RTN): a function from the current {@link MachineState} and a
 * {@link ConnectionSignal} to a {@link Transition}, the next state plus the effects to apply. It
 * reads no clock (time comes in the signals), does no I/O and never throws for a signal: a signal
 * that does not apply in the current state, or that names a transport, check or timer that is no
 * longer current, leaves the state unchanged with a {@link ConnectionEffect.Log}.
 *
 * <pre>
 *               connect()              CONNECTED               CONNECTED
 *  INITIALIZED ──────────► CONNECTING ───────────► CONNECTED ───────────► UPDATE (RTN24)
 *                            │ ▲ ▲                    │ transport lost, idle (RTN23a),
 *    attempt failed, after   │ │ │                    │ DISCONNECTED from the server (RTN15)
 *    the fallbacks (RTN17)   │ │ └─── DISCONNECTED ◄──┘ (passed through, at once)
 *                            ▼ │ RETRY timer (RTB1 backoff) / connect()
 *                       DISCONNECTED
 *                            │ SUSPEND timer: connectionStateTtl since the outage began
 *                            ▼
 *                        SUSPENDED ── RETRY timer (suspendedRetryTimeout), connect() ──► CONNECTING
 *
 *  ERROR, token not renewable, auth 403 ──► FAILED ── connect() ──► CONNECTING (RTN11d)
 *  close(): CONNECTED ──► CLOSING (CLOSE sent) ── CLOSED, transport gone, timeout ──► CLOSED
 *           CONNECTING ──► CLOSING (CLOSE once CONNECTED; CLOSED if the attempt fails)
 *           DISCONNECTED, SUSPENDED ──► CLOSED (RTN12d)
 *           INITIALIZED ──► CLOSED: only when the client is released; connection().close() is
 *           a no-op in INITIALIZED (the spec's connection state table), decided by the conductor
 * </pre>
 *
 * <p>The conductor must apply a transition's effects before feeding the next signal, and report
 * the outcome of its effects as later signals, never from inside an effect. Not thread-safe: the
 * random source (jitter RTB1b, fallback order RTN17j) is used on each call.
 */
public final class ConnectionStateMachine {
  private final ConnectionConfig config;
  private final ConnectionMoves moves;

  /**
   * Creates a machine.
   *
   * @param config the settings
   * @param random the source of retry jitter and of the fallback host order
   */
  public ConnectionStateMachine(ConnectionConfig config, RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.moves = new ConnectionMoves(config, Objects.requireNonNull(random, "random"));
  }

  /**
   * Returns the state of a new client: INITIALIZED.
   *
   * @param recoverConnectionKey the connection key from a {@code recover} option, to send on the
   *     first connection (RTN16k), or {@code null}
   * @return the initial state
   */
  public MachineState initialState(String recoverConnectionKey) {
    return new MachineState(
        new Initialized(),
        new ConnectionSession(
            null, null, recoverConnectionKey, null, config.connectionStateTtlNanos(), Map.of(), 0));
  }

  /**
   * Computes the transition a signal causes.
   *
   * @param state the current state
   * @param signal what happened
   * @return the next state and the effects to apply, in order
   */
  public Transition apply(MachineState state, ConnectionSignal signal) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(signal, "signal");
    TransitionBuilder b = new TransitionBuilder(state);
    ConnectionStatus status = state.status();
    long now = signal.nowNanos();
    if (signal instanceof Connect connect) {
      return connect(status, b, connect);
    }
    if (signal instanceof Close close) {
      return close(status, b, close);
    }
    if (signal instanceof TimerFired fired) {
      return timerFired(status, b, fired);
    }
    if (signal instanceof ConnectivityChecked checked) {
      return connectivityChecked(status, b, checked);
    }
    if (signal instanceof Reauthorize reauthorize) {
      return reauthorize(status, b, reauthorize);
    }
    TransportSignal transport = (TransportSignal) signal;
    if (transport.transportId() == 0 || transport.transportId() != status.transportId()) {
      return ignore(status, b, signal, "it is about a transport that is not current");
    }
    if (signal instanceof ConnectedReceived connected) {
      return connectedReceived(status, b, connected);
    }
    if (signal instanceof DisconnectedReceived disconnected) {
      return disconnectedReceived(status, b, disconnected);
    }
    if (signal instanceof ErrorReceived error) {
      ErrorInfo cause = orElse(error.error(), ConnectionErrors.failedByServer());
      return errorReceived(status, b, cause, now);
    }
    if (signal instanceof ClosedReceived closed) {
      return closedReceived(status, b, closed);
    }
    if (signal instanceof TransportFailed failed) {
      return transportFailed(status, b, failed);
    }
    return authFailed(status, b, (AuthFailed) signal);
  }

  // ---- user operations ----

  private Transition connect(ConnectionStatus status, TransitionBuilder b, Connect signal) {
    if (status instanceof Initialized) {
      return moves.startConnecting(b, null, false); // RTN11f, RTN3
    }
    if (status instanceof Disconnected d) {
      b.cancelTimer(TimerKind.RETRY); // RTN11c: skip the wait
      return moves.startConnecting(b, d.outage(), false);
    }
    if (status instanceof Suspended s) {
      b.cancelTimer(TimerKind.RETRY); // RTN11c
      return moves.startConnecting(b, s.outage(), false);
    }
    if (status instanceof Closing closing) {
      // RTN11b: a new transport; the old one and anything it still sends are forgotten
      b.cancelAllTimers();
      b.closeTransport(closing.transportId());
      b.add(new DetachChannels()); // RTL3b
      moves.reinitialize(b);
      return moves.startConnecting(b, null, false);
    }
    if (status instanceof Closed || status instanceof Failed) {
      moves.reinitialize(b); // RTN11d
      return moves.startConnecting(b, null, false);
    }
    return ignore(status, b, signal, "already connecting or connected (RTN11e)");
  }

  /** RTC8, RTN22: a new token is ready. */
  private Transition reauthorize(ConnectionStatus status, TransitionBuilder b, Reauthorize signal) {
    if (status instanceof Connected c) {
      b.add(new SendAuth(c.transportId())); // RTC8a: in band; the connection and its id stay
      return b.to(status);
    }
    if (status instanceof Connecting c) {
      if (c.transportId() == 0) {
        return ignore(status, b, signal, "no transport is opening; the next one takes the new token");
      }
      // RTC8b: the attempt under way carries the old token: a new one, same host, with the new
      b.cancelTimer(TimerKind.CONNECT);
      b.closeTransport(c.transportId());
      long transportId = b.openTransport(c.host(), config.hosts().port(), false);
      b.startTimer(TimerKind.CONNECT, config.realtimeRequestTimeoutNanos()); // RTN14c
      return b.to(
          new Connecting(
              c.host(), c.onFallback(), c.fallbacksLeft(), transportId, 0, c.tokenRenewed(), null,
              c.outage()));
    }
    if (status instanceof Closing) {
      return ignore(status, b, signal, "closing");
    }
    return connect(status, b, new Connect(signal.nowNanos())); // RTC8c
  }

  private Transition close(ConnectionStatus status, TransitionBuilder b, Close signal) {
    if (status instanceof Connected c) {
      // RTN12a: send CLOSE, wait for CLOSED up to realtimeRequestTimeout (RTN12b)
      b.cancelTimer(TimerKind.IDLE);
      b.add(new SendClose(c.transportId()));
      b.startTimer(TimerKind.CLOSE, config.realtimeRequestTimeoutNanos());
      b.emit(ConnectionState.CLOSING, null, null);
      return b.to(new Closing(c.transportId(), true));
    }
    if (status instanceof Connecting c) {
      // RTN12f: CLOSING at once; CLOSE once CONNECTED arrives, CLOSED if the attempt fails
      b.cancelTimer(TimerKind.SUSPEND);
      if (c.checkingConnectivity()) {
        b.cancelTimer(TimerKind.CONNECT); // no transport is opening: the attempt is over
        b.emit(ConnectionState.CLOSING, null, null);
        return moves.enterClosed(b);
      }
      b.emit(ConnectionState.CLOSING, null, null);
      return b.to(new Closing(c.transportId(), false));
    }
    if (status instanceof Initialized
        || status instanceof Disconnected
        || status instanceof Suspended) {
      b.cancelAllTimers(); // RTN12d: abort the retries
      return moves.enterClosed(b);
    }
    return ignore(status, b, signal, "already closing, closed or failed");
  }

  // ---- timers and checks ----

  private Transition timerFired(ConnectionStatus status, TransitionBuilder b, TimerFired fired) {
    TimerKind kind = fired.kind();
    if (kind == null || !b.isArmed(kind, fired.timerId())) {
      return ignore(status, b, fired, "the timer is not armed");
    }
    b.timerFired(kind);
    long now = fired.nowNanos();
    if (kind == TimerKind.CONNECT && status instanceof Connecting c) {
      if (c.checkingConnectivity()) {
        // RTN17j: no answer from the connectivity check in time counts as offline
        return moves.disconnected(b, c.outage(), ConnectionErrors.offline(c.checkReason()), now);
      }
      // RTN14c: a timeout is a failure that qualifies for a fallback host (RSC15l2)
      return moves.attemptFailed(
          b, c, ConnectionErrors.connectTimeout(config.realtimeRequestTimeoutNanos()), true, now);
    }
    if (kind == TimerKind.CONNECT && status instanceof Closing closing) {
      return moves.closedAfterTransport(b, closing); // RTN12f: the attempt failed
    }
    if (kind == TimerKind.CLOSE && status instanceof Closing closing) {
      return moves.closedAfterTransport(b, closing); // RTN12b
    }
    if (kind == TimerKind.RETRY && status instanceof Disconnected d) {
      return moves.startConnecting(b, d.outage(), false); // RTN14d
    }
    if (kind == TimerKind.RETRY && status instanceof Suspended s) {
      return moves.startConnecting(b, s.outage(), false); // RTN14e, RTN14f
    }
    if (kind == TimerKind.SUSPEND && status instanceof Disconnected d) {
      b.cancelTimer(TimerKind.RETRY);
      ErrorInfo reason = ConnectionErrors.suspended(b.errorReason());
      return moves.enterSuspended(b, d.outage(), reason, now); // RTN14e
    }
    if (kind == TimerKind.SUSPEND && status instanceof Connecting c && c.outage() != null) {
      // RTN14e: let the attempt run; if it fails the connection goes SUSPENDED
      Outage outage = c.outage();
      Outage expired = new Outage(outage.sinceNanos(), outage.retryCount(), true);
      return b.to(
          new Connecting(
              c.host(),
              c.onFallback(),
              c.fallbacksLeft(),
              c.transportId(),
              c.checkId(),
              c.tokenRenewed(),
              c.checkReason(),
              expired));
    }
    if (kind == TimerKind.IDLE && status instanceof Connected c) {
      long idleLimitNanos = moves.idleLimitNanos(c.details());
      // RTN23a: nothing received for maxIdleInterval + realtimeRequestTimeout
      return moves.transportLost(b, c, ConnectionErrors.idle(idleLimitNanos), false, now);
    }
    b.log(Level.WARNING, "timer " + kind + " fired in " + status.state() + "; nothing to do");
    return b.to(status);
  }

  private Transition connectivityChecked(
      ConnectionStatus status, TransitionBuilder b, ConnectivityChecked checked) {
    if (!(status instanceof Connecting c)
        || !c.checkingConnectivity()
        || c.checkId() != checked.checkId()) {
      return ignore(status, b, checked, "no such connectivity check is running");
    }
    b.cancelTimer(TimerKind.CONNECT);
    if (checked.online()) {
      return moves.tryNextFallback(b, c); // RTN17j: online, so try the fallback hosts
    }
    ErrorInfo offline = ConnectionErrors.offline(c.checkReason());
    return moves.disconnected(b, c.outage(), offline, checked.nowNanos());
  }

  // ---- protocol messages and transport events (transport id already checked) ----

  private Transition connectedReceived(
      ConnectionStatus status, TransitionBuilder b, ConnectedReceived m) {
    if (m.connectionId() == null || m.connectionKey() == null) {
      // CONNECTED must carry connectionId and connectionKey (TR4o, CD2b; ably-js throws without
      // them): a protocol error that ends this transport, never a CONNECTED with no identity
      ErrorInfo error =
          ConnectionErrors.protocolError("CONNECTED without connectionId or connectionKey");
      b.log(Level.WARNING, "dropping the transport: " + error);
      if (status instanceof Connecting c) {
        return moves.attemptFailed(b, c, error, false, m.nowNanos()); // RTN14d
      }
      if (status instanceof Connected c) {
        return moves.transportLost(b, c, error, false, m.nowNanos()); // RTN15a
      }
      return moves.closedAfterTransport(b, (Closing) status); // RTN12f
    }
    long ttlNanos = moves.connectionStateTtlNanos(m.details());
    if (status instanceof Connecting c) {
      return moves.connected(b, c, m, ttlNanos);
    }
    if (status instanceof Connected c) {
      // RTN24, RTN21: new details, stay CONNECTED, UPDATE with the error as reason
      b.connected(m.connectionId(), m.connectionKey(), ttlNanos);
      if (m.error() != null) {
        b.errorReason(m.error());
      }
      b.cancelTimer(TimerKind.IDLE);
      moves.startIdleTimer(b, m.details());
      b.emit(ConnectionState.CONNECTED, m.error(), null);
      return b.to(
          new Connected(
              c.transportId(), m.connectionId(), m.connectionKey(), m.details(), c.host(),
              c.sinceNanos(), c.recovering()));
    }
    Closing closing = (Closing) status;
    if (!closing.closeSent()) {
      // RTN12f: the attempt succeeded, so close as from CONNECTED (RTN12a)
      b.cancelTimer(TimerKind.CONNECT);
      b.add(new SendClose(closing.transportId()));
      b.startTimer(TimerKind.CLOSE, config.realtimeRequestTimeoutNanos());
      return b.to(new Closing(closing.transportId(), true));
    }
    return ignore(status, b, m, "CLOSE was already sent");
  }

  private Transition disconnectedReceived(
      ConnectionStatus status, TransitionBuilder b, DisconnectedReceived m) {
    ErrorInfo error = orElse(m.error(), ConnectionErrors.disconnectedByServer());
    long now = m.nowNanos();
    if (status instanceof Connecting c) {
      if (ConnectionErrors.isTokenError(error)) {
        return moves.tokenErrorWhileConnecting(b, c, error, now);
      }
      // RTN14d; RTN17f1: status 500-504 qualifies for a fallback host
      return moves.attemptFailed(b, c, error, ConnectionErrors.qualifiesForFallback(error), now);
    }
    if (status instanceof Connected c) {
      if (ConnectionErrors.isTokenError(error)) {
        if (!config.tokenRenewable()) {
          // RTN15h1
          return moves.failed(b, c.transportId(), ConnectionErrors.tokenNotRenewable(error));
        }
        return moves.transportLost(b, c, error, true, now); // RTN15h2: new token, resume
      }
      return moves.transportLost(b, c, error, false, now); // RTN15h3: resume at once
    }
    return moves.closedAfterTransport(b, (Closing) status); // RTN12c, RTN12f
  }

  private Transition errorReceived(
      ConnectionStatus status, TransitionBuilder b, ErrorInfo error, long now) {
    if (status instanceof Connecting c) {
      if (ConnectionErrors.isTokenError(error)) {
        return moves.tokenErrorWhileConnecting(b, c, error, now); // RTN14b, RTN15c5
      }
      return moves.failed(b, c.transportId(), error); // RTN14g, RTN15c4, RTN14a
    }
    if (status instanceof Connected c) {
      return moves.failed(b, c.transportId(), error); // RTN15j
    }
    Closing closing = (Closing) status;
    if (!closing.closeSent()) {
      return moves.closedAfterTransport(b, closing); // RTN12f: the attempt failed
    }
    return moves.failed(b, closing.transportId(), error); // a fatal error instead of CLOSED
  }

  private Transition closedReceived(
      ConnectionStatus status, TransitionBuilder b, ClosedReceived m) {
    if (status instanceof Closing closing) {
      return moves.closedAfterTransport(b, closing); // RTN12a; RTN12f
    }
    if (m.error() != null) {
      return errorReceived(status, b, m.error(), m.nowNanos()); // a CLOSED with an error fails
    }
    // A CLOSED nobody asked for: the server dropped the connection; reconnect as if lost
    ErrorInfo error = ConnectionErrors.closedByServer();
    if (status instanceof Connected c) {
      return moves.transportLost(b, c, error, false, m.nowNanos());
    }
    return moves.attemptFailed(b, (Connecting) status, error, false, m.nowNanos());
  }

  private Transition transportFailed(
      ConnectionStatus status, TransitionBuilder b, TransportFailed m) {
    ErrorInfo error = orElse(m.error(), ConnectionErrors.transportLost());
    if (status instanceof Connecting c) {
      // RTN14d; RTN17f: the conductor tells whether the failure qualifies for a fallback
      return moves.attemptFailed(b, c, error, m.qualifiesForFallback(), m.nowNanos());
    }
    if (status instanceof Connected c) {
      return moves.transportLost(b, c, error, false, m.nowNanos()); // RTN15a
    }
    return moves.closedAfterTransport(b, (Closing) status); // RTN12c, RTN12f
  }

  private Transition authFailed(ConnectionStatus status, TransitionBuilder b, AuthFailed m) {
    ErrorInfo error = ConnectionErrors.authFailed(m.cause()); // RSA4c1
    boolean fatal = ConnectionErrors.isForbidden(error); // RSA4d
    if (status instanceof Connecting c) {
      if (fatal) {
        return moves.failed(b, c.transportId(), error);
      }
      return moves.attemptFailed(b, c, error, false, m.nowNanos()); // RSA4c2
    }
    if (status instanceof Connected c) {
      if (fatal) {
        return moves.failed(b, c.transportId(), error);
      }
      b.errorReason(error); // RSA4c3: stay CONNECTED
      b.log(Level.WARNING, "re-authentication failed; staying connected: " + error);
      return b.to(status);
    }
    Closing closing = (Closing) status;
    if (!closing.closeSent()) {
      return moves.closedAfterTransport(b, closing); // RTN12f: the attempt failed
    }
    return ignore(status, b, m, "CLOSE was already sent");
  }

  private static Transition ignore(
      ConnectionStatus status, TransitionBuilder b, ConnectionSignal signal, String why) {
    String name = signal.getClass().getSimpleName();
    b.log(Level.DEBUG, "ignored " + name + " in " + status.state() + ": " + why);
    return b.to(status);
  }

  private static ErrorInfo orElse(ErrorInfo error, ErrorInfo fallback) {
    return error != null ? error : fallback;
  }
}
