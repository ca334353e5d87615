package io.ably.engine.internal.connection;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one transition of the {@link ConnectionStateMachine}: the session as it changes, the
 * effects in order, and the state the next {@link ConnectionEffect.Emit} leaves. Lives for one call
 * of {@link ConnectionStateMachine#apply}; never shared.
 */
final class TransitionBuilder {
  private final List<ConnectionEffect> effects = new ArrayList<>();
  private final EnumMap<TimerKind, Long> timers = new EnumMap<>(TimerKind.class);
  private ConnectionState current; // what the next Emit reports as previous
  private long lastId;
  private String connectionId;
  private String connectionKey;
  private String recoverKey;
  private ErrorInfo errorReason;
  private long connectionStateTtlNanos;

  TransitionBuilder(MachineState state) {
    ConnectionSession session = state.session();
    current = state.state();
    timers.putAll(session.timers());
    lastId = session.lastId();
    connectionId = session.connectionId();
    connectionKey = session.connectionKey();
    recoverKey = session.recoverKey();
    errorReason = session.errorReason();
    connectionStateTtlNanos = session.connectionStateTtlNanos();
  }

  /** Finishes the transition in {@code status}. */
  Transition to(ConnectionStatus status) {
    if (status.state() != current) {
      throw new IllegalStateException("no Emit led to " + status.state() + ", still " + current);
    }
    ConnectionSession session =
        new ConnectionSession(
            connectionId,
            connectionKey,
            recoverKey,
            errorReason,
            connectionStateTtlNanos,
            Map.copyOf(timers),
            lastId);
    return new Transition(new MachineState(status, session), effects);
  }

  long nextId() {
    return ++lastId;
  }

  void add(ConnectionEffect effect) {
    effects.add(effect);
  }

  void log(Level level, String message) {
    effects.add(new ConnectionEffect.Log(level, message));
  }

  /** Emits the change from the current state to {@code to}; UPDATE if it is the same state. */
  void emit(ConnectionState to, ErrorInfo reason, Duration retryIn) {
    ConnectionEvent event = to == current ? ConnectionEvent.UPDATE : ConnectionEvent.entering(to);
    effects.add(
        new ConnectionEffect.Emit(new ConnectionStateChange(current, to, event, reason, retryIn)));
    current = to;
  }

  // ---- timers ----

  boolean isArmed(TimerKind kind) {
    return timers.containsKey(kind);
  }

  boolean isArmed(TimerKind kind, long timerId) {
    Long armed = timers.get(kind);
    return armed != null && armed == timerId;
  }

  /** Starts a timer, cancelling the armed one of that kind first. */
  void startTimer(TimerKind kind, long delayNanos) {
    cancelTimer(kind);
    long id = nextId();
    timers.put(kind, id);
    effects.add(new ConnectionEffect.StartTimer(kind, id, Math.max(1L, delayNanos)));
  }

  /** Cancels the armed timer of a kind, if any. */
  void cancelTimer(TimerKind kind) {
    Long armed = timers.remove(kind);
    if (armed != null) {
      effects.add(new ConnectionEffect.CancelTimer(kind, armed));
    }
  }

  void cancelAllTimers() {
    for (TimerKind kind : TimerKind.values()) {
      cancelTimer(kind);
    }
  }

  /** Forgets a timer that has fired. */
  void timerFired(TimerKind kind) {
    timers.remove(kind);
  }

  // ---- transports ----

  long openTransport(String host, int port, boolean renewToken) {
    long id = nextId();
    effects.add(new ConnectionEffect.OpenTransport(id, host, port, connectKey(), renewToken));
    return id;
  }

  void closeTransport(long transportId) {
    if (transportId != 0) {
      effects.add(new ConnectionEffect.CloseTransport(transportId));
    }
  }

  /** The key the next transport sends: recover before the first CONNECTED, else resume. */
  ConnectKey connectKey() {
    if (recoverKey != null) {
      return new ConnectKey.Recover(recoverKey); // RTN16k
    }
    if (connectionKey != null) {
      return new ConnectKey.Resume(connectionKey); // RTN15b1, RTN14h
    }
    return new ConnectKey.Clean();
  }

  // ---- session ----

  String connectionId() {
    return connectionId;
  }

  boolean triesContinuity() {
    return recoverKey != null || connectionKey != null;
  }

  void connected(String id, String key, long ttlNanos) {
    connectionId = id;
    connectionKey = key;
    recoverKey = null; // RTN16k: never again
    connectionStateTtlNanos = ttlNanos;
  }

  /** Forgets the connection, so the next one is clean (state discarded on CLOSED and FAILED). */
  void forgetConnection() {
    connectionId = null;
    connectionKey = null;
  }

  /** Clears all connection data (RTN11d). */
  void clearConnectionData(long defaultTtlNanos) {
    forgetConnection();
    recoverKey = null;
    errorReason = null;
    connectionStateTtlNanos = defaultTtlNanos;
  }

  ErrorInfo errorReason() {
    return errorReason;
  }

  void errorReason(ErrorInfo error) {
    errorReason = error;
  }

  long connectionStateTtlNanos() {
    return connectionStateTtlNanos;
  }
}
