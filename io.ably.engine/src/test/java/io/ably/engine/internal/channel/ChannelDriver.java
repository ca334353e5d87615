package io.ably.engine.internal.channel;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.channel.ChannelEffect.CancelTimer;
import io.ably.engine.internal.channel.ChannelEffect.ClearPresence;
import io.ably.engine.internal.channel.ChannelEffect.CompleteAttach;
import io.ably.engine.internal.channel.ChannelEffect.CompleteDetach;
import io.ably.engine.internal.channel.ChannelEffect.Emit;
import io.ably.engine.internal.channel.ChannelEffect.FailAttach;
import io.ably.engine.internal.channel.ChannelEffect.FailDetach;
import io.ably.engine.internal.channel.ChannelEffect.Log;
import io.ably.engine.internal.channel.ChannelEffect.SendAttach;
import io.ably.engine.internal.channel.ChannelEffect.SendDetach;
import io.ably.engine.internal.channel.ChannelEffect.StartPresenceSync;
import io.ably.engine.internal.channel.ChannelEffect.StartTimer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Drives a {@link ChannelStateMachine} with a controlled clock, as a conductor would: keeps the
 * state, remembers when each started timer is due, and renders each transition's effects as short
 * strings so a test can assert the exact sequence.
 */
final class ChannelDriver {
  static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final ChannelConfig CONFIG =
      new ChannelConfig(10 * SECOND_NANOS, 15 * SECOND_NANOS, 0, Map.of());

  final ChannelStateMachine machine;
  private final Map<ChannelTimerKind, long[]> timers = new EnumMap<>(ChannelTimerKind.class);
  final List<ChannelStateChange> changes = new ArrayList<>();
  ChannelMachineState state;
  ChannelTransition last;
  long nowNanos = 1_000 * SECOND_NANOS;

  ChannelDriver(ChannelConfig config, RandomGenerator random, ConnectionState connection) {
    machine = new ChannelStateMachine(config, random);
    state = machine.initialState(connection);
  }

  /** A driver with {@link #CONFIG}, no jitter, on a CONNECTED connection. */
  static ChannelDriver connected() {
    return new ChannelDriver(CONFIG, () -> 0L, ConnectionState.CONNECTED);
  }

  List<String> apply(ChannelSignal signal) {
    last = machine.apply(state, signal);
    state = last.next();
    List<String> rendered = new ArrayList<>();
    for (ChannelEffect effect : last.effects()) {
      if (effect instanceof StartTimer t) {
        timers.put(t.kind(), new long[] {t.timerId(), nowNanos + t.delayNanos()});
      } else if (effect instanceof CancelTimer c) {
        timers.remove(c.kind());
      } else if (effect instanceof Emit e) {
        changes.add(e.change());
      }
      rendered.add(render(effect));
    }
    return rendered;
  }

  static String render(ChannelEffect effect) {
    if (effect instanceof SendAttach a) {
      return "SendAttach(" + a.channelSerial() + ")";
    } else if (effect instanceof SendDetach) {
      return "SendDetach";
    } else if (effect instanceof StartTimer t) {
      return "StartTimer(" + t.kind() + "," + TimeUnit.NANOSECONDS.toMillis(t.delayNanos()) + "ms)";
    } else if (effect instanceof CancelTimer c) {
      return "CancelTimer(" + c.kind() + ")";
    } else if (effect instanceof Emit e) {
      ChannelStateChange c = e.change();
      return "Emit("
          + c.previous()
          + ">"
          + c.event()
          + (c.reason() == null ? "" : " " + c.reason().code())
          + (c.resumed() ? " resumed" : "")
          + (c.hasBacklog() ? " backlog" : "")
          + ")";
    } else if (effect instanceof CompleteAttach a) {
      return "CompleteAttach(" + a.requestId() + ")";
    } else if (effect instanceof FailAttach f) {
      return "FailAttach(" + f.requestId() + "," + f.error().code() + ")";
    } else if (effect instanceof CompleteDetach d) {
      return "CompleteDetach(" + d.requestId() + ")";
    } else if (effect instanceof FailDetach f) {
      return "FailDetach(" + f.requestId() + "," + f.error().code() + ")";
    } else if (effect instanceof StartPresenceSync) {
      return "StartPresenceSync";
    } else if (effect instanceof ClearPresence) {
      return "ClearPresence";
    } else if (effect instanceof Log) {
      return "Log";
    }
    throw new AssertionError("unknown effect " + effect);
  }

  List<String> attach(long requestId) {
    return apply(new ChannelSignal.Attach(nowNanos, requestId));
  }

  List<String> detach(long requestId) {
    return apply(new ChannelSignal.Detach(nowNanos, requestId));
  }

  List<String> attached(int flags, String serial) {
    return apply(new ChannelSignal.AttachedReceived(nowNanos, flags, serial, null, null));
  }

  List<String> attached(int flags, String serial, Map<String, String> params, ErrorInfo error) {
    return apply(new ChannelSignal.AttachedReceived(nowNanos, flags, serial, params, error));
  }

  List<String> detached(ErrorInfo error) {
    return apply(new ChannelSignal.DetachedReceived(nowNanos, error));
  }

  List<String> error(ErrorInfo error) {
    return apply(new ChannelSignal.ErrorReceived(nowNanos, error));
  }

  List<String> serial(String serial) {
    return apply(new ChannelSignal.ChannelSerialReceived(nowNanos, serial));
  }

  List<String> connection(ConnectionState connection, ErrorInfo reason) {
    return apply(new ChannelSignal.ConnectionStateChanged(nowNanos, connection, reason));
  }

  boolean armed(ChannelTimerKind kind) {
    return timers.containsKey(kind);
  }

  /** Advances the clock to the armed timer of {@code kind} and fires it. */
  List<String> fire(ChannelTimerKind kind) {
    long[] timer = timers.remove(kind);
    if (timer == null) {
      throw new AssertionError("no " + kind + " timer armed");
    }
    nowNanos = Math.max(nowNanos, timer[1]);
    return apply(new ChannelSignal.TimerFired(nowNanos, kind, timer[0]));
  }
}
