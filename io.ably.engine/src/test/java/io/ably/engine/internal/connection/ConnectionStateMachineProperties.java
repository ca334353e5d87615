package io.ably.engine.internal.connection;

import static io.ably.testsupport.Generators.lists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.longs;

import io.ably.api.ClientOptions;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.connection.ConnectionSignal.AuthFailed;
import io.ably.engine.internal.connection.ConnectionSignal.ClosedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ConnectivityChecked;
import io.ably.engine.internal.connection.ConnectionSignal.DisconnectedReceived;
import io.ably.engine.internal.connection.ConnectionSignal.ErrorReceived;
import io.ably.engine.internal.connection.ConnectionSignal.TimerFired;
import io.ably.engine.internal.connection.ConnectionSignal.TransportFailed;
import io.ably.testsupport.PropertyCheck;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Random scripts of user calls, server messages, transport failures, clock advances (which fire
 * due timers in order) and stale signals, run through a {@link SimulatedConductor} that checks
 * after every transition: no exception, only table transitions and UPDATE within CONNECTED, an
 * unbroken chain of emitted changes, no leaked or stray timers or transports, ignored signals
 * change nothing, RTN7e/RTN7d/RTL3d side effects, RTB1 retry bounds and RTN8d/RTN9d nulling.
 * Across all the scripts of a run, every state is visited and an UPDATE is emitted (QuickTheories).
 */
class ConnectionStateMachineProperties {

  enum Step {
    CONNECT, CLOSE, ADVANCE, FIRE_NEXT, CONNECTED, DISCONNECTED, ERROR, CLOSED,
    TRANSPORT_FAILED, AUTH_FAILED, CONNECTIVITY, STALE_TRANSPORT, STALE_TIMER, REAUTHORIZE
  }

  record Action(Step step, int param) {}

  /** The options of one run and the script it plays. */
  record Run(
      List<Action> script,
      boolean fallbacks,
      boolean tokenRenewable,
      boolean queueMessages,
      boolean recover,
      long seed) {}

  static Gen<List<Action>> scripts() {
    Gen<Step> steps =
        frequency(
            Pair.of(3, constant(Step.CONNECT)),
            Pair.of(1, constant(Step.CLOSE)),
            Pair.of(4, constant(Step.ADVANCE)),
            Pair.of(3, constant(Step.FIRE_NEXT)),
            Pair.of(6, constant(Step.CONNECTED)),
            Pair.of(2, constant(Step.DISCONNECTED)),
            Pair.of(1, constant(Step.ERROR)),
            Pair.of(1, constant(Step.CLOSED)),
            Pair.of(3, constant(Step.TRANSPORT_FAILED)),
            Pair.of(1, constant(Step.AUTH_FAILED)),
            Pair.of(2, constant(Step.CONNECTIVITY)),
            Pair.of(1, constant(Step.STALE_TRANSPORT)),
            Pair.of(1, constant(Step.STALE_TIMER)),
            Pair.of(1, constant(Step.REAUTHORIZE)));
    Gen<Action> actions = steps.zip(range(0, 999), Action::new);
    return lists(actions, 0, 80);
  }

  static Gen<Run> runs() {
    Gen<List<Action>> scripts = scripts();
    Gen<Boolean> flags = booleans().all();
    Gen<Long> seeds = longs().all();
    return in ->
        new Run(
            scripts.generate(in),
            flags.generate(in),
            flags.generate(in),
            flags.generate(in),
            flags.generate(in),
            seeds.generate(in));
  }

  @Test
  @Tag("RTN4")
  @Tag("RTN12")
  @Tag("RTN14")
  @Tag("RTN15")
  void randomScriptsNeverBreakTheTransitionTableOrLeakTimersOrTransports() {
    Set<ConnectionState> visited = EnumSet.noneOf(ConnectionState.class);
    boolean[] updated = {false};
    PropertyCheck.forAll(
        1_000,
        runs(),
        run -> {
          SimulatedConductor conductor = play(run);
          visited.addAll(conductor.visited());
          updated[0] |= conductor.updates() > 0;
        });
    assertEquals(EnumSet.allOf(ConnectionState.class), visited, "states visited by all the scripts");
    assertTrue(updated[0], "an UPDATE was emitted by some script");
  }

  private static SimulatedConductor play(Run run) {
    List<Action> script = run.script();
    boolean fallbacks = run.fallbacks();
    boolean tokenRenewable = run.tokenRenewable();
    boolean queueMessages = run.queueMessages();
    boolean recover = run.recover();
    long seed = run.seed();
    ClientOptions.Builder options =
        ClientOptions.builder().key("a.b:c").queueMessages(queueMessages);
    if (!fallbacks) {
      options.host("127.0.0.1");
    }
    ConnectionConfig config =
        MachineDriver.withTokenRenewable(ConnectionConfig.from(options.build()), tokenRenewable);
    ConnectionStateMachine machine = new ConnectionStateMachine(config, new SplittableRandom(seed));
    SimulatedConductor conductor =
        new SimulatedConductor(config, machine, recover ? "recovered-key" : null);
    for (Action action : script) {
      run(conductor, action);
    }
    // Drain: with the server silent, time alone keeps the machine retrying, never stuck; only a
    // connection without maxIdleInterval (so no idle detection, CD2h) may stay CONNECTED.
    conductor.send(new ConnectionSignal.Connect(conductor.nowNanos));
    conductor.advanceTo(conductor.nowNanos + 600 * MachineDriver.SECOND_NANOS);
    ConnectionState end = conductor.state.state();
    boolean connectedWithoutIdleTimer =
        end == ConnectionState.CONNECTED
            && !conductor.state.session().timers().containsKey(TimerKind.IDLE);
    assertTrue(
        end == ConnectionState.CONNECTING
            || end == ConnectionState.DISCONNECTED
            || end == ConnectionState.SUSPENDED
            || connectedWithoutIdleTimer,
        "after connect() and ten minutes of silence the client retries, was " + end);
    return conductor;
  }

  private static void run(SimulatedConductor c, Action action) {
    int p = action.param();
    long now = c.nowNanos;
    long transport = c.currentTransport() != 0 ? c.currentTransport() : c.staleTransport(p);
    switch (action.step()) {
      case CONNECT -> c.send(new ConnectionSignal.Connect(now));
      case CLOSE -> c.send(new ConnectionSignal.Close(now));
      case ADVANCE -> c.advanceTo(now + p * 500_000_000L);
      case FIRE_NEXT -> c.fireNext();
      case CONNECTED -> {
        String id = p % 3 == 0 ? "id-" + p : "id-same";
        Long maxIdle = p % 2 == 0 ? 15_000L : null;
        Long ttl = p % 4 == 1 ? 60_000L : null;
        ErrorInfo error = p % 5 == 0 ? MachineDriver.error(80008, 400) : null;
        c.send(
            new ConnectedReceived(
                transport, id, "key-" + p, MachineDriver.details("key-" + p, maxIdle, ttl), error,
                now));
      }
      case DISCONNECTED -> c.send(new DisconnectedReceived(transport, serverError(p), now));
      case ERROR -> c.send(new ErrorReceived(transport, p % 4 == 3 ? null : serverError(p), now));
      case CLOSED ->
          c.send(new ClosedReceived(transport, p % 2 == 0 ? null : serverError(p), now));
      case TRANSPORT_FAILED -> c.send(new TransportFailed(transport, null, p % 2 == 0, now));
      case AUTH_FAILED -> {
        ErrorInfo cause =
            p % 2 == 0 ? MachineDriver.error(40300, 403) : MachineDriver.error(40170, 401);
        c.send(new AuthFailed(transport, cause, now));
      }
      case CONNECTIVITY -> {
        long check = c.pendingCheck() != 0 && p % 7 != 0 ? c.pendingCheck() : p;
        c.send(new ConnectivityChecked(check, p % 3 != 0, now));
      }
      case STALE_TRANSPORT -> c.send(new TransportFailed(c.staleTransport(p), null, true, now));
      case REAUTHORIZE -> c.send(new ConnectionSignal.Reauthorize(now)); // RTC8, RTN22
      case STALE_TIMER -> {
        TimerKind kind = TimerKind.values()[p % TimerKind.values().length];
        c.send(new TimerFired(kind, c.staleTimer(p), now));
      }
    }
  }

  private static ErrorInfo serverError(int p) {
    return switch (p % 4) {
      case 0 -> MachineDriver.error(40142, 401);
      case 1 -> MachineDriver.error(50003, 503);
      case 2 -> MachineDriver.error(80003, 400);
      default -> null;
    };
  }
}
