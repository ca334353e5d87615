package io.ably.engine.internal.channel;

import static io.ably.testsupport.Generators.lists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.longs;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ChannelEvent;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.testsupport.PropertyCheck;
import io.ably.wire.Flag;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Random scripts of user calls, channel protocol messages, connection state changes and timers,
 * checked after every transition: no exception, only table transitions and UPDATE within ATTACHED,
 * an unbroken chain of emitted changes, no leaked or stray timers, every user attach and detach
 * stage completed or failed exactly once, and channelSerial cleared in DETACHED and FAILED. Across
 * all the scripts of a run, every state is visited, an UPDATE is emitted and an attach completes
 * (QuickTheories).
 */
class ChannelStateMachineProperties {

  enum Step {
    ATTACH, DETACH, ATTACHED, DETACHED, ERROR, SERIAL, CONNECTION, FIRE, STALE_TIMER
  }

  record Action(Step step, int param) {}

  private static final Map<ChannelState, Set<ChannelState>> ALLOWED =
      new EnumMap<>(ChannelState.class);

  static {
    allow(ChannelState.INITIALIZED, ChannelState.ATTACHING, ChannelState.FAILED);
    allow(
        ChannelState.ATTACHING,
        ChannelState.ATTACHED,
        ChannelState.SUSPENDED,
        ChannelState.DETACHED,
        ChannelState.FAILED);
    allow(
        ChannelState.ATTACHED,
        ChannelState.ATTACHED, // UPDATE only (checked below)
        ChannelState.ATTACHING,
        ChannelState.DETACHING,
        ChannelState.DETACHED,
        ChannelState.SUSPENDED,
        ChannelState.FAILED);
    allow(
        ChannelState.DETACHING, ChannelState.DETACHED, ChannelState.ATTACHED, ChannelState.FAILED);
    allow(ChannelState.DETACHED, ChannelState.ATTACHING, ChannelState.FAILED);
    allow(
        ChannelState.SUSPENDED, ChannelState.ATTACHING, ChannelState.DETACHED, ChannelState.FAILED);
    allow(ChannelState.FAILED, ChannelState.ATTACHING);
  }

  private static void allow(ChannelState from, ChannelState... to) {
    ALLOWED.put(from, EnumSet.copyOf(List.of(to)));
  }

  /** A script and the seed of the machine's randomness. */
  record Run(List<Action> script, long seed) {}

  static Gen<Run> runs() {
    Gen<Step> steps =
        frequency(
            Pair.of(4, constant(Step.ATTACH)),
            Pair.of(2, constant(Step.DETACH)),
            Pair.of(4, constant(Step.ATTACHED)),
            Pair.of(2, constant(Step.DETACHED)),
            Pair.of(1, constant(Step.ERROR)),
            Pair.of(2, constant(Step.SERIAL)),
            Pair.of(4, constant(Step.CONNECTION)),
            Pair.of(3, constant(Step.FIRE)),
            Pair.of(1, constant(Step.STALE_TIMER)));
    Gen<Action> actions = steps.zip(range(0, 999), Action::new);
    return lists(actions, 0, 60).zip(longs().all(), Run::new);
  }

  @Test
  @Tag("RTL2")
  @Tag("RTL3")
  @Tag("RTL4")
  @Tag("RTL5")
  @Tag("RTL13")
  void randomScriptsKeepTheTableTimersAndUserStagesConsistent() {
    Set<ChannelState> visited = EnumSet.noneOf(ChannelState.class);
    int[] updatesAndAttaches = {0, 0};
    PropertyCheck.forAll(
        1_000,
        runs(),
        run -> {
          Checker c = new Checker(run.seed());
          for (Action action : run.script()) {
            c.run(action);
          }
          // Drain: the connection closes; nothing may stay pending or armed (RTL3b).
          c.apply(new ChannelSignal.ConnectionStateChanged(c.now, ConnectionState.CLOSED, null));
          assertTrue(c.outstandingAttaches.isEmpty(), "attach stages left " + c.outstandingAttaches);
          assertTrue(c.outstandingDetaches.isEmpty(), "detach stages left " + c.outstandingDetaches);
          assertTrue(c.armed.isEmpty(), "timers left " + c.armed);
          visited.addAll(c.visited);
          updatesAndAttaches[0] += c.updates;
          updatesAndAttaches[1] += c.settled;
        });
    assertEquals(EnumSet.allOf(ChannelState.class), visited, "states visited by all the scripts");
    assertTrue(updatesAndAttaches[0] > 0, "an UPDATE was emitted by some script");
    assertTrue(updatesAndAttaches[1] > 0, "an attach completed in some script");
  }

  /** A conductor that checks every transition. */
  private static final class Checker {
    final ChannelStateMachine machine;
    final Map<Long, ChannelTimerKind> armed = new HashMap<>();
    final Set<Long> outstandingAttaches = new HashSet<>();
    final Set<Long> outstandingDetaches = new HashSet<>();
    final Set<Long> startedTimers = new HashSet<>();
    final Set<ChannelState> visited = EnumSet.noneOf(ChannelState.class);
    int updates;
    int settled;
    ChannelMachineState state;
    long now = 1_000_000_000_000L;
    long nextRequest = 1;

    Checker(long seed) {
      machine =
          new ChannelStateMachine(
              new ChannelConfig(
                  10_000_000_000L, 15_000_000_000L, Flag.DEFAULT_MODES, Map.of("rewind", "1")),
              new SplittableRandom(seed));
      state = machine.initialState(ConnectionState.INITIALIZED);
      visited.add(state.state());
    }

    void run(Action action) {
      int p = action.param();
      now += p * 1_000_000L;
      ErrorInfo error = p % 3 == 0 ? null : ErrorInfo.of(ErrorCode.CHANNEL_OPERATION_FAILED, "e");
      switch (action.step()) {
        case ATTACH -> {
          long id = nextRequest++;
          outstandingAttaches.add(id);
          apply(new ChannelSignal.Attach(now, id));
        }
        case DETACH -> {
          long id = nextRequest++;
          outstandingDetaches.add(id);
          apply(new ChannelSignal.Detach(now, id));
        }
        case ATTACHED -> {
          int[] choices = {
            0,
            Flag.RESUMED.mask(),
            Flag.HAS_PRESENCE.mask() | Flag.SUBSCRIBE.mask(),
            Flag.HAS_BACKLOG.mask() | Flag.RESUMED.mask(),
            Flag.DEFAULT_MODES
          };
          apply(
              new ChannelSignal.AttachedReceived(
                  now,
                  choices[p % choices.length],
                  p % 4 == 0 ? null : "a" + p,
                  p % 2 == 0 ? null : Map.of("rewind", "1"),
                  p % 5 == 0 ? error : null));
        }
        case DETACHED -> apply(new ChannelSignal.DetachedReceived(now, error));
        case ERROR ->
            apply(
                new ChannelSignal.ErrorReceived(
                    now, ErrorInfo.of(ErrorCode.OPERATION_NOT_PERMITTED, "denied")));
        case SERIAL -> apply(new ChannelSignal.ChannelSerialReceived(now, "m" + p));
        case CONNECTION -> {
          ConnectionState[] all = ConnectionState.values();
          // CONNECTED twice as often as the others
          ConnectionState c =
              p % 2 == 0 ? ConnectionState.CONNECTED : all[(p / 2) % all.length];
          apply(new ChannelSignal.ConnectionStateChanged(now, c, error));
        }
        case FIRE -> {
          if (!armed.isEmpty()) {
            Map.Entry<Long, ChannelTimerKind> timer = armed.entrySet().iterator().next();
            armed.remove(timer.getKey()); // a fired timer is no longer armed
            apply(new ChannelSignal.TimerFired(now, timer.getValue(), timer.getKey()));
          }
        }
        case STALE_TIMER -> {
          ChannelTimerKind kind = ChannelTimerKind.values()[p % 3];
          long id = p % 7; // small ids: often long gone, never armed
          if (!armed.containsKey(id)) {
            ChannelMachineState before = state;
            apply(new ChannelSignal.TimerFired(now, kind, id));
            assertEquals(before.status(), state.status(), "a stale timer changes nothing");
          }
        }
      }
    }

    void apply(ChannelSignal signal) {
      ChannelTransition t = machine.apply(state, signal);
      ChannelState chain = state.state();
      for (ChannelEffect effect : t.effects()) {
        if (effect instanceof ChannelEffect.Emit emit) {
          ChannelStateChange change = emit.change();
          assertEquals(chain, change.previous(), "unbroken chain of changes");
          assertTrue(
              ALLOWED.get(change.previous()).contains(change.current()),
              change.previous() + " -> " + change.current() + " after " + signal);
          if (change.previous() == change.current()) {
            assertEquals(ChannelEvent.UPDATE, change.event());
            updates++;
          }
          chain = change.current();
          visited.add(chain);
        } else if (effect instanceof ChannelEffect.StartTimer start) {
          assertTrue(startedTimers.add(start.timerId()), "timer id reused");
          assertTrue(start.delayNanos() > 0);
          armed.put(start.timerId(), start.kind());
        } else if (effect instanceof ChannelEffect.CancelTimer cancel) {
          assertEquals(cancel.kind(), armed.remove(cancel.timerId()), "cancelled a stray timer");
        } else if (effect instanceof ChannelEffect.CompleteAttach a) {
          assertTrue(outstandingAttaches.remove(a.requestId()), "attach settled twice");
          settled++;
        } else if (effect instanceof ChannelEffect.FailAttach a) {
          assertTrue(outstandingAttaches.remove(a.requestId()), "attach settled twice");
        } else if (effect instanceof ChannelEffect.CompleteDetach d) {
          assertTrue(outstandingDetaches.remove(d.requestId()), "detach settled twice");
        } else if (effect instanceof ChannelEffect.FailDetach d) {
          assertTrue(outstandingDetaches.remove(d.requestId()), "detach settled twice");
        }
      }
      state = t.next();
      ChannelState now = state.state();
      assertEquals(chain, now, "the last Emit names the state kept");
      // timers: exactly the one the state holds
      long timer = state.status().timerId();
      if (timer == 0) {
        assertTrue(armed.isEmpty(), "leaked timers " + armed + " in " + now);
      } else {
        assertEquals(Map.of(timer, expectedKind(now)), armed, "armed timers in " + now);
      }
      // user stages: those not settled are exactly the pending ones, and only while pending
      assertEquals(outstandingAttaches, new HashSet<>(state.scope().pendingAttaches()));
      assertEquals(outstandingDetaches, new HashSet<>(state.scope().pendingDetaches()));
      if (now != ChannelState.ATTACHING && now != ChannelState.DETACHING) {
        assertTrue(outstandingAttaches.isEmpty() && outstandingDetaches.isEmpty(), "in " + now);
      }
      if (now == ChannelState.DETACHED || now == ChannelState.FAILED) {
        assertNull(state.scope().channelSerial(), "RTL15b2 in " + now);
      }
      if (now == ChannelState.FAILED) {
        assertNotNull(state.scope().errorReason());
      }
      if (state.status() instanceof ChannelStatus.Attaching attaching
          && state.scope().connectionState() == ConnectionState.CONNECTED) {
        assertTrue(attaching.sent(), "RTL4c/RTL3d: ATTACHING while CONNECTED sent ATTACH");
      }
    }

    private static ChannelTimerKind expectedKind(ChannelState s) {
      return switch (s) {
        case ATTACHING -> ChannelTimerKind.ATTACH;
        case DETACHING -> ChannelTimerKind.DETACH;
        case SUSPENDED -> ChannelTimerKind.RETRY;
        default -> throw new AssertionError("no timer expected in " + s);
      };
    }
  }
}
