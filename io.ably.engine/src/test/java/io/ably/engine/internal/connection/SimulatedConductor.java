package io.ably.engine.internal.connection;

import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.engine.internal.connection.ConnectionEffect.CancelTimer;
import io.ably.engine.internal.connection.ConnectionEffect.CheckConnectivity;
import io.ably.engine.internal.connection.ConnectionEffect.CloseTransport;
import io.ably.engine.internal.connection.ConnectionEffect.Emit;
import io.ably.engine.internal.connection.ConnectionEffect.FailPending;
import io.ably.engine.internal.connection.ConnectionEffect.Log;
import io.ably.engine.internal.connection.ConnectionEffect.OpenTransport;
import io.ably.engine.internal.connection.ConnectionEffect.ReattachChannels;
import io.ably.engine.internal.connection.ConnectionEffect.SendClose;
import io.ably.engine.internal.connection.ConnectionEffect.StartTimer;
import io.ably.engine.internal.connection.ConnectionSignal.AuthFailed;
import io.ably.engine.internal.connection.ConnectionSignal.ClosedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectivityChecked;
import io.ably.engine.internal.connection.ConnectionSignal.DisconnectedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ErrorReceived;
import io.ably.engine.internal.connection.ConnectionSignal.TimerFired;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A conductor that applies a {@link ConnectionStateMachine}'s effects to a model built from the
 * effects alone (armed timers with their due times, open transports, the running connectivity
 * check) on a virtual clock, and checks after every transition that the machine and the model
 * agree and that the transition is one the specification allows.
 */
final class SimulatedConductor {
  private static final Map<ConnectionState, Set<ConnectionState>> ALLOWED = allowedEdges();

  private final ConnectionStateMachine machine;
  private final ConnectionConfig config;
  private final Map<TimerKind, long[]> armed = new EnumMap<>(TimerKind.class); // id, due
  private final Set<Long> openTransports = new HashSet<>();
  private final List<Long> pastTransports = new ArrayList<>();
  private final List<Long> pastTimers = new ArrayList<>();
  private final List<Object[]> history = new ArrayList<>(); // before, signal, transition
  private final Set<ConnectionState> visited = EnumSet.noneOf(ConnectionState.class);
  private long pendingCheck;
  private long lastId;
  private boolean closeRequested;
  private int updates;
  MachineState state;
  long nowNanos;

  SimulatedConductor(ConnectionConfig config, ConnectionStateMachine machine, String recoverKey) {
    this.config = config;
    this.machine = machine;
    this.state = machine.initialState(recoverKey);
    visited.add(ConnectionState.INITIALIZED);
  }

  Set<ConnectionState> visited() {
    return visited;
  }

  int updates() {
    return updates;
  }

  long currentTransport() {
    return state.status().transportId();
  }

  long staleTransport(int pick) {
    return pastTransports.isEmpty() ? 0 : pastTransports.get(pick % pastTransports.size());
  }

  long staleTimer(int pick) {
    return pastTimers.isEmpty() ? -1 : pastTimers.get(pick % pastTimers.size());
  }

  long pendingCheck() {
    return pendingCheck;
  }

  /** Fires the timers due up to {@code targetNanos} in due order, then sets the clock to it. */
  void advanceTo(long targetNanos) {
    while (true) {
      TimerKind next = nextDue();
      if (next == null || armed.get(next)[1] > targetNanos) {
        break;
      }
      fire(next);
    }
    nowNanos = Math.max(nowNanos, targetNanos);
  }

  /** Fires the earliest due timer, moving the clock to its due time. */
  void fireNext() {
    TimerKind next = nextDue();
    if (next != null) {
      fire(next);
    }
  }

  private TimerKind nextDue() {
    TimerKind next = null;
    for (Map.Entry<TimerKind, long[]> e : armed.entrySet()) {
      if (next == null || e.getValue()[1] < armed.get(next)[1]) {
        next = e.getKey();
      }
    }
    return next;
  }

  private void fire(TimerKind kind) {
    long[] timer = armed.get(kind);
    nowNanos = Math.max(nowNanos, timer[1]);
    send(new TimerFired(kind, timer[0], nowNanos));
  }

  /** Applies a signal and checks every invariant; throws AssertionError with the history. */
  void send(ConnectionSignal signal) {
    MachineState before = state;
    boolean firesArmedTimer = false;
    if (signal instanceof TimerFired fired) {
      long[] timer = armed.get(fired.kind());
      firesArmedTimer = timer != null && timer[0] == fired.timerId();
      if (firesArmedTimer) {
        armed.remove(fired.kind()); // a fired timer is gone from the scheduler
      }
    }
    if (signal instanceof ConnectivityChecked checked && checked.checkId() == pendingCheck) {
      pendingCheck = 0;
    }
    Transition t = machine.apply(before, signal);
    state = t.next();
    history.add(new Object[] {before, signal, t});
    check(before, signal, t, firesArmedTimer);
  }

  private void check(
      MachineState before, ConnectionSignal signal, Transition t, boolean firesArmedTimer) {
    List<ConnectionEffect> effects = t.effects();
    ConnectionState current = before.state();
    boolean failedPending = false;
    boolean reattached = false;
    for (ConnectionEffect effect : effects) {
      applyToModel(effect);
      if (effect instanceof FailPending) {
        failedPending = true;
      } else if (effect instanceof ReattachChannels) {
        reattached = true;
      } else if (effect instanceof Emit emit) {
        ConnectionStateChange c = emit.change();
        require(c.previous() == current, "emit chain broken: " + c);
        checkChange(c, signal, failedPending, reattached);
        current = c.current();
        failedPending = false;
        reattached = false;
      }
    }
    require(current == state.state(), "the last emit does not lead to the new state");
    require(!reattached, "channels reattached without entering CONNECTED");
    if (!t.changes().isEmpty()) {
      require(effects.get(effects.size() - 1) instanceof Emit, "the Emit must come last");
    }
    if (effects.size() == 1 && effects.get(0) instanceof Log log && log.level() == Level.DEBUG) {
      require(state.equals(before), "an ignored signal changed the state");
    }
    if (firesArmedTimer) {
      for (ConnectionEffect effect : effects) {
        require(!(effect instanceof Log), "an armed timer fired but was not handled");
      }
    }
    if (signal instanceof ConnectionSignal.Close && !isClosedOrFailing(before.state())) {
      closeRequested = true;
    }
    checkTimers();
    checkTransports();
    checkIdentity();
  }

  private void checkChange(
      ConnectionStateChange c, ConnectionSignal signal, boolean failedPending, boolean reattached) {
    if (c.event() == ConnectionEvent.UPDATE) {
      require(c.previous() == ConnectionState.CONNECTED, "UPDATE outside CONNECTED: " + c);
      require(signal instanceof ConnectedReceived, "UPDATE without a CONNECTED (RTN24)");
      updates++;
      return;
    }
    require(c.previous() != c.current(), "a state event that keeps the state (RTN4h): " + c);
    require(
        ALLOWED.get(c.previous()).contains(c.current()),
        "transition not in the table: " + c.previous() + " -> " + c.current());
    visited.add(c.current());
    switch (c.current()) {
      case CONNECTED -> {
        require(signal instanceof ConnectedReceived, "CONNECTED without a CONNECTED message");
        require(reattached, "channels not reattached on CONNECTED (RTL3d)");
      }
      case DISCONNECTED -> {
        require(c.reason() != null && c.retryIn() != null, "DISCONNECTED without reason/retryIn");
        long retryNanos = c.retryIn().toNanos();
        long base = config.disconnectedRetryTimeoutNanos();
        require(
            (retryNanos >= base * 8 / 10 && retryNanos <= 2 * base),
            "retryIn outside RTB1 bounds: " + c.retryIn());
        require(!config.queueMessages() == failedPending, "RTN7d pending messages");
      }
      case SUSPENDED -> {
        require(c.reason() != null, "SUSPENDED without reason");
        require(
            c.retryIn().toNanos() == config.suspendedRetryTimeoutNanos(), "SUSPENDED retryIn");
        require(failedPending, "pending messages not failed on SUSPENDED (RTN7e)");
      }
      case FAILED -> {
        require(c.reason() != null, "FAILED without reason");
        require(failedPending, "pending messages not failed on FAILED (RTN7e)");
        require(
            signal instanceof ErrorReceived
                || signal instanceof ClosedReceived
                || signal instanceof DisconnectedReceived
                || signal instanceof AuthFailed,
            "FAILED reached from " + signal);
      }
      case CLOSED -> {
        require(closeRequested || signal instanceof ConnectionSignal.Close, "CLOSED unasked");
        require(failedPending, "pending messages not failed on CLOSED (RTN7e)");
        closeRequested = false;
      }
      case CONNECTING -> closeRequested = false;
      default -> {}
    }
  }

  private void applyToModel(ConnectionEffect effect) {
    if (effect instanceof StartTimer start) {
      require(!armed.containsKey(start.kind()), "started an armed timer: " + start);
      require(start.delayNanos() > 0, "non-positive delay: " + start);
      freshId(start.timerId());
      armed.put(start.kind(), new long[] {start.timerId(), nowNanos + start.delayNanos()});
      pastTimers.add(start.timerId());
    } else if (effect instanceof CancelTimer cancel) {
      long[] timer = armed.remove(cancel.kind());
      require(timer != null && timer[0] == cancel.timerId(), "cancelled an unarmed timer");
    } else if (effect instanceof OpenTransport open) {
      freshId(open.transportId());
      require(openTransports.isEmpty(), "two transports open at once");
      openTransports.add(open.transportId());
      pastTransports.add(open.transportId());
    } else if (effect instanceof CloseTransport close) {
      require(openTransports.remove(close.transportId()), "closed an unknown transport");
    } else if (effect instanceof SendClose send) {
      require(openTransports.contains(send.transportId()), "CLOSE sent on no transport");
    } else if (effect instanceof ConnectionEffect.SendAuth auth) {
      require(openTransports.contains(auth.transportId()), "AUTH sent on no transport");
    } else if (effect instanceof CheckConnectivity check) {
      freshId(check.checkId());
      pendingCheck = check.checkId();
    }
  }

  private void checkTimers() {
    Map<TimerKind, Long> modelIds = new HashMap<>();
    armed.forEach((kind, timer) -> modelIds.put(kind, timer[0]));
    require(modelIds.equals(state.session().timers()), "machine and scheduler disagree on timers");
    Set<TimerKind> kinds = EnumSet.noneOf(TimerKind.class);
    kinds.addAll(armed.keySet());
    ConnectionStatus status = state.status();
    Set<TimerKind> expected;
    if (status instanceof ConnectionStatus.Connecting c) {
      require(kinds.contains(TimerKind.CONNECT), "CONNECTING without CONNECT timer");
      kinds.remove(TimerKind.SUSPEND);
      expected = EnumSet.of(TimerKind.CONNECT);
      if (c.outage() == null) {
        require(!armed.containsKey(TimerKind.SUSPEND), "SUSPEND armed without an outage");
      }
    } else if (status instanceof ConnectionStatus.Connected) {
      kinds.remove(TimerKind.IDLE);
      expected = EnumSet.noneOf(TimerKind.class);
    } else if (status instanceof ConnectionStatus.Disconnected) {
      expected = EnumSet.of(TimerKind.RETRY, TimerKind.SUSPEND);
    } else if (status instanceof ConnectionStatus.Suspended) {
      expected = EnumSet.of(TimerKind.RETRY);
    } else if (status instanceof ConnectionStatus.Closing closing) {
      expected = EnumSet.of(closing.closeSent() ? TimerKind.CLOSE : TimerKind.CONNECT);
    } else {
      expected = EnumSet.noneOf(TimerKind.class); // INITIALIZED, CLOSED, FAILED: nothing leaks
    }
    require(kinds.equals(expected), "timers " + armed.keySet() + " in " + status);
  }

  private void checkTransports() {
    long transportId = state.status().transportId();
    Set<Long> expected = transportId == 0 ? Set.of() : Set.of(transportId);
    require(openTransports.equals(expected), "open transports " + openTransports);
    if (state.status() instanceof ConnectionStatus.Connecting c && c.checkingConnectivity()) {
      require(pendingCheck == c.checkId(), "the machine waits for a check nobody runs");
    } else {
      pendingCheck = 0; // an abandoned check's answer will be stale
    }
  }

  private void checkIdentity() {
    if (isClosedOrFailing(state.state()) || state.state() == ConnectionState.INITIALIZED) {
      require(state.connectionId() == null && state.connectionKey() == null, "RTN8d/RTN9d");
    }
    if (state.status() instanceof ConnectionStatus.Connected c) {
      require(c.connectionId() == null || c.connectionId().equals(state.connectionId()), "RTN8");
    }
  }

  private void freshId(long id) {
    require(id > lastId, "an id was reused: " + id);
    lastId = id;
  }

  private static boolean isClosedOrFailing(ConnectionState state) {
    return state == ConnectionState.CLOSING
        || state == ConnectionState.CLOSED
        || state == ConnectionState.FAILED;
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      StringBuilder text = new StringBuilder(message).append("\nhistory:");
      for (Object[] step : history) {
        Transition t = (Transition) step[2];
        text.append('\n').append(((MachineState) step[0]).state()).append(" <- ").append(step[1]);
        text.append("\n  -> ").append(MachineDriver.render(t)).append(" => ");
        text.append(t.next().status());
      }
      throw new AssertionError(text.toString());
    }
  }

  private static Map<ConnectionState, Set<ConnectionState>> allowedEdges() {
    Map<ConnectionState, Set<ConnectionState>> edges = new EnumMap<>(ConnectionState.class);
    edges.put(
        ConnectionState.INITIALIZED,
        EnumSet.of(ConnectionState.CONNECTING, ConnectionState.CLOSED));
    edges.put(
        ConnectionState.CONNECTING,
        EnumSet.of(
            ConnectionState.CONNECTED,
            ConnectionState.DISCONNECTED,
            ConnectionState.SUSPENDED,
            ConnectionState.FAILED,
            ConnectionState.CLOSING));
    edges.put(
        ConnectionState.CONNECTED,
        EnumSet.of(ConnectionState.DISCONNECTED, ConnectionState.FAILED, ConnectionState.CLOSING));
    edges.put(
        ConnectionState.DISCONNECTED,
        EnumSet.of(ConnectionState.CONNECTING, ConnectionState.SUSPENDED, ConnectionState.CLOSED));
    edges.put(
        ConnectionState.SUSPENDED, EnumSet.of(ConnectionState.CONNECTING, ConnectionState.CLOSED));
    edges.put(
        ConnectionState.CLOSING,
        EnumSet.of(ConnectionState.CLOSED, ConnectionState.CONNECTING, ConnectionState.FAILED));
    edges.put(ConnectionState.CLOSED, EnumSet.of(ConnectionState.CONNECTING));
    edges.put(ConnectionState.FAILED, EnumSet.of(ConnectionState.CONNECTING));
    return edges;
  }
}
