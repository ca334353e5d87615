package io.ably.engine.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ably.api.ClientOptions;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.engine.internal.connection.ConnectionEffect.CancelTimer;
import io.ably.engine.internal.connection.ConnectionEffect.CheckConnectivity;
import io.ably.engine.internal.connection.ConnectionEffect.CloseTransport;
import io.ably.engine.internal.connection.ConnectionEffect.DetachChannels;
import io.ably.engine.internal.connection.ConnectionEffect.Emit;
import io.ably.engine.internal.connection.ConnectionEffect.FailChannels;
import io.ably.engine.internal.connection.ConnectionEffect.FailPending;
import io.ably.engine.internal.connection.ConnectionEffect.Log;
import io.ably.engine.internal.connection.ConnectionEffect.OpenTransport;
import io.ably.engine.internal.connection.ConnectionEffect.ReattachChannels;
import io.ably.engine.internal.connection.ConnectionEffect.ReinitializeChannels;
import io.ably.engine.internal.connection.ConnectionEffect.ResendPending;
import io.ably.engine.internal.connection.ConnectionEffect.ResetMsgSerial;
import io.ably.engine.internal.connection.ConnectionEffect.SendClose;
import io.ably.engine.internal.connection.ConnectionEffect.StartTimer;
import io.ably.engine.internal.connection.ConnectionEffect.SuspendChannels;
import io.ably.engine.internal.connection.ConnectionSignal.AuthFailed;
import io.ably.engine.internal.connection.ConnectionSignal.ClosedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectivityChecked;
import io.ably.engine.internal.connection.ConnectionSignal.DisconnectedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ErrorReceived;
import io.ably.engine.internal.connection.ConnectionSignal.TimerFired;
import io.ably.engine.internal.connection.ConnectionSignal.TransportFailed;
import io.ably.wire.ConnectionDetails;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link ConnectionStateMachine} with a controlled clock, as a conductor would: it keeps
 * the state, remembers when each started timer is due, and renders each transition's effects as
 * short strings so a test can assert the exact sequence.
 */
final class MachineDriver {
  static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final String PRIMARY = "main.realtime.ably.net";

  final ScriptedRandom random;
  final ConnectionStateMachine machine;
  private final Map<TimerKind, Long> timerDueNanos = new EnumMap<>(TimerKind.class);
  private final List<ConnectionStateChange> changes = new ArrayList<>();
  MachineState state;
  Transition last;
  long nowNanos = 1_000 * SECOND_NANOS; // an arbitrary origin, like System.nanoTime()

  MachineDriver(ConnectionConfig config, ScriptedRandom random, String recoverKey) {
    this.random = random;
    this.machine = new ConnectionStateMachine(config, random);
    this.state = machine.initialState(recoverKey);
  }

  /** Default options (primary plus five fallbacks), a renewable token, jitter 1. */
  static MachineDriver standard() {
    return new MachineDriver(
        config(ClientOptions.forKey("app.key:secret")), new ScriptedRandom(), null);
  }

  /** An explicit host, so no fallbacks (REC2c6). */
  static MachineDriver singleHost() {
    return new MachineDriver(
        config(ClientOptions.builder().key("app.key:secret").host("127.0.0.1").build()),
        new ScriptedRandom(),
        null);
  }

  static ConnectionConfig config(ClientOptions options) {
    return ConnectionConfig.from(options);
  }

  static ConnectionConfig withTokenRenewable(ConnectionConfig c, boolean renewable) {
    return new ConnectionConfig(
        c.hosts(), c.disconnectedRetryTimeoutNanos(), c.suspendedRetryTimeoutNanos(),
        c.realtimeRequestTimeoutNanos(), c.connectionStateTtlNanos(), renewable,
        c.queueMessages());
  }

  static ConnectionDetails details(String key, Long maxIdleMillis, Long ttlMillis) {
    return new ConnectionDetails(
        null, key, null, null, null, null, ttlMillis, maxIdleMillis, null, null, null);
  }

  static ErrorInfo error(int code, int status) {
    return new ErrorInfo(code, status, "test error " + code, null, null, null, null);
  }

  // ---- driving ----

  Transition send(ConnectionSignal signal) {
    last = machine.apply(state, signal);
    state = last.next();
    for (ConnectionEffect effect : last.effects()) {
      if (effect instanceof StartTimer start) {
        timerDueNanos.put(start.kind(), nowNanos + start.delayNanos());
      } else if (effect instanceof CancelTimer cancel) {
        timerDueNanos.remove(cancel.kind());
      } else if (effect instanceof Emit emit) {
        changes.add(emit.change());
      }
    }
    return last;
  }

  MachineDriver advance(Duration duration) {
    nowNanos += duration.toNanos();
    return this;
  }

  Transition connect() {
    return send(new ConnectionSignal.Connect(nowNanos));
  }

  Transition close() {
    return send(new ConnectionSignal.Close(nowNanos));
  }

  /** Moves the clock to when the armed timer of a kind is due and fires it. */
  Transition fire(TimerKind kind) {
    Long timerId = state.session().timers().get(kind);
    assertNotNull(timerId, kind + " is not armed in " + state.status());
    nowNanos = Math.max(nowNanos, timerDueNanos.get(kind));
    timerDueNanos.remove(kind);
    return send(new TimerFired(kind, timerId, nowNanos));
  }

  long transportId() {
    return state.status().transportId();
  }

  Transition connected(String id, String key) {
    return connected(id, key, details(key, 15_000L, null), null);
  }

  Transition connected(String id, String key, ConnectionDetails details, ErrorInfo error) {
    return send(new ConnectedReceived(transportId(), id, key, details, error, nowNanos));
  }

  Transition disconnectedMessage(ErrorInfo error) {
    return send(new DisconnectedReceived(transportId(), error, nowNanos));
  }

  Transition errorMessage(ErrorInfo error) {
    return send(new ErrorReceived(transportId(), error, nowNanos));
  }

  Transition closedMessage(ErrorInfo error) {
    return send(new ClosedReceived(transportId(), error, nowNanos));
  }

  Transition transportFailed(boolean qualifiesForFallback) {
    return send(new TransportFailed(transportId(), null, qualifiesForFallback, nowNanos));
  }

  Transition authFailed(ErrorInfo cause) {
    return send(new AuthFailed(transportId(), cause, nowNanos));
  }

  Transition connectivity(boolean online) {
    long checkId = ((ConnectionStatus.Connecting) state.status()).checkId();
    return send(new ConnectivityChecked(checkId, online, nowNanos));
  }

  /** Connects from INITIALIZED to CONNECTED with id "id-1" and key "key-1". */
  MachineDriver connectedOnce() {
    connect();
    connected("id-1", "key-1");
    assertEquals(ConnectionState.CONNECTED, state.state());
    return this;
  }

  // ---- asserting ----

  ConnectionState state() {
    return state.state();
  }

  List<ConnectionStateChange> changes() {
    return changes;
  }

  /** Asserts the exact effects of the last transition, rendered by {@link #render}. */
  void expect(String... effects) {
    assertEquals(List.of(effects), render(last), "effects of the last transition");
  }

  /** Asserts the last signal was ignored: no change, a log line only. */
  void expectIgnored(MachineState before) {
    assertEquals(List.of("log DEBUG"), render(last));
    assertEquals(before, state);
  }

  static List<String> render(Transition transition) {
    List<String> lines = new ArrayList<>();
    for (ConnectionEffect effect : transition.effects()) {
      lines.add(render(effect));
    }
    return lines;
  }

  static String render(ConnectionEffect effect) {
    if (effect instanceof OpenTransport open) {
      String key = open.key().paramName() == null
          ? "clean"
          : open.key().paramName() + "=" + open.key().connectionKey();
      return "open " + open.host() + ":" + open.port() + " " + key
          + (open.renewToken() ? " renewToken" : "");
    }
    if (effect instanceof CloseTransport) {
      return "close transport";
    }
    if (effect instanceof ConnectionEffect.SendAuth) {
      return "send AUTH";
    }
    if (effect instanceof SendClose) {
      return "send CLOSE";
    }
    if (effect instanceof CheckConnectivity) {
      return "check connectivity";
    }
    if (effect instanceof StartTimer start) {
      return "start " + start.kind() + " " + millis(start.delayNanos());
    }
    if (effect instanceof CancelTimer cancel) {
      return "cancel " + cancel.kind();
    }
    if (effect instanceof Emit emit) {
      ConnectionStateChange c = emit.change();
      return "emit " + c.previous() + "->" + c.current()
          + (c.event() == ConnectionEvent.UPDATE ? " UPDATE" : "")
          + (c.reason() != null ? " " + c.reason().code() : "")
          + (c.retryIn() != null ? " retryIn " + millis(c.retryIn().toNanos()) : "");
    }
    if (effect instanceof ResetMsgSerial) {
      return "reset msgSerial";
    }
    if (effect instanceof ResendPending) {
      return "resend pending";
    }
    if (effect instanceof FailPending fail) {
      return "fail pending " + fail.reason().code();
    }
    if (effect instanceof ReattachChannels reattach) {
      return "reattach channels" + (reattach.resumed() ? " resumed" : "");
    }
    if (effect instanceof SuspendChannels suspend) {
      return "suspend channels " + suspend.reason().code();
    }
    if (effect instanceof DetachChannels) {
      return "detach channels";
    }
    if (effect instanceof FailChannels fail) {
      return "fail channels " + fail.reason().code();
    }
    if (effect instanceof ReinitializeChannels) {
      return "reinitialize channels";
    }
    Log log = (Log) effect;
    return "log " + log.level();
  }

  private static String millis(long nanos) {
    if (nanos % 1_000_000 == 0) {
      return nanos / 1_000_000 + "ms";
    }
    return nanos + "ns";
  }
}
