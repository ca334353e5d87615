package io.ably.engine.internal.connection;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random scripts of user calls, server messages, transport failures, clock advances (which fire
 * due timers in order) and stale signals, run through a {@link SimulatedConductor} that checks
 * after every transition: no exception, only table transitions and UPDATE within CONNECTED, an
 * unbroken chain of emitted changes, no leaked or stray timers or transports, ignored signals
 * change nothing, RTN7e/RTN7d/RTL3d side effects, RTB1 retry bounds and RTN8d/RTN9d nulling.
 */
class ConnectionStateMachineProperties {

  enum Step {
    CONNECT, CLOSE, ADVANCE, FIRE_NEXT, CONNECTED, DISCONNECTED, ERROR, CLOSED,
    TRANSPORT_FAILED, AUTH_FAILED, CONNECTIVITY, STALE_TRANSPORT, STALE_TIMER
  }

  record Action(Step step, int param) {}

  @Provide
  Arbitrary<List<Action>> scripts() {
    Arbitrary<Step> steps =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(Step.CONNECT)),
            Tuple.of(1, Arbitraries.just(Step.CLOSE)),
            Tuple.of(4, Arbitraries.just(Step.ADVANCE)),
            Tuple.of(3, Arbitraries.just(Step.FIRE_NEXT)),
            Tuple.of(6, Arbitraries.just(Step.CONNECTED)),
            Tuple.of(2, Arbitraries.just(Step.DISCONNECTED)),
            Tuple.of(1, Arbitraries.just(Step.ERROR)),
            Tuple.of(1, Arbitraries.just(Step.CLOSED)),
            Tuple.of(3, Arbitraries.just(Step.TRANSPORT_FAILED)),
            Tuple.of(1, Arbitraries.just(Step.AUTH_FAILED)),
            Tuple.of(2, Arbitraries.just(Step.CONNECTIVITY)),
            Tuple.of(1, Arbitraries.just(Step.STALE_TRANSPORT)),
            Tuple.of(1, Arbitraries.just(Step.STALE_TIMER)));
    Arbitrary<Action> actions =
        Combinators.combine(steps, Arbitraries.integers().between(0, 999)).as(Action::new);
    return actions.list().ofMaxSize(80);
  }

  @Property(tries = 1000)
  @Tag("RTN4")
  @Tag("RTN12")
  @Tag("RTN14")
  @Tag("RTN15")
  void randomScriptsNeverBreakTheTransitionTableOrLeakTimersOrTransports(
      @ForAll("scripts") List<Action> script,
      @ForAll boolean fallbacks,
      @ForAll boolean tokenRenewable,
      @ForAll boolean queueMessages,
      @ForAll boolean recover,
      @ForAll long seed) {
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

    for (ConnectionState state : conductor.visited()) {
      Statistics.label("states visited").collect(state);
    }
    Statistics.label("UPDATE emitted").collect(conductor.updates() > 0);
    Statistics.label("states visited")
        .coverage(
            coverage -> {
              for (ConnectionState state : ConnectionState.values()) {
                coverage.check(state).count(n -> n > 0);
              }
            });
    Statistics.label("UPDATE emitted").coverage(coverage -> coverage.check(true).count(n -> n > 0));
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
