package io.ably.engine.internal.channel;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ChannelEvent;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.channel.ChannelStatus.Attached;
import io.ably.engine.internal.channel.ChannelStatus.Attaching;
import io.ably.engine.internal.channel.ChannelStatus.Detached;
import io.ably.engine.internal.channel.ChannelStatus.Detaching;
import io.ably.engine.internal.channel.ChannelStatus.Failed;
import io.ably.engine.internal.channel.ChannelStatus.Initialized;
import io.ably.engine.internal.channel.ChannelStatus.Suspended;
import io.ably.engine.internal.connection.RetryBackoff;
import io.ably.wire.Flag;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The state machine of one realtime channel (RTL2–RTL5, RTL12–RTL15), pure: {@link #apply} maps a
 * state and a signal to the next state and the effects to run. It never reads a clock, never
 * blocks and keeps no mutable state of its own; one instance may serve every channel of a client
 * with the same options.
 *
 * <p>Choices where the spec is silent, following ably-js: a DETACHING or SUSPENDED channel follows
 * the connection to FAILED (RTL3a) or DETACHED on CLOSED (RTL3b); a DETACHING channel ends
 * DETACHED when the connection is SUSPENDED (as RTL5l) and re-sends DETACH when it is CONNECTED
 * again; a SUSPENDED channel waits for CONNECTED (RTL3d) rather than retrying on a timer while the
 * connection is down; a detach waiting on an attach that fails ends DETACHED (as RTL5j); a DETACH
 * timeout returns to the previous ATTACHED with {@code resumed=true} (RTL5f); ATTACHED while
 * INITIALIZED, SUSPENDED or FAILED is ignored.
 */
public final class ChannelStateMachine {
  private final ChannelConfig config;
  private final RandomGenerator random;

  /**
   * Creates the machine.
   *
   * @param config timeouts, modes and params
   * @param random the source of the RTB1 jitter
   */
  public ChannelStateMachine(ChannelConfig config, RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Returns the state of a new channel.
   *
   * @param connectionState the connection's state now
   * @return INITIALIZED with empty channel data
   */
  public ChannelMachineState initialState(ConnectionState connectionState) {
    return new ChannelMachineState(
        new Initialized(),
        new ChannelScope(null, null, null, connectionState, List.of(), List.of(), 0));
  }

  /**
   * Applies one signal.
   *
   * @param state the channel's state
   * @param signal what happened
   * @return the next state and the effects to run, in order
   */
  public ChannelTransition apply(ChannelMachineState state, ChannelSignal signal) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(signal, "signal");
    Step s = new Step(state, signal.nowNanos());
    ChannelStatus st = state.status();
    ChannelStatus next;
    if (signal instanceof ChannelSignal.Attach a) {
      next = attach(s, st, a.requestId());
    } else if (signal instanceof ChannelSignal.Detach d) {
      next = detach(s, st, d.requestId());
    } else if (signal instanceof ChannelSignal.AttachedReceived r) {
      next = attachedReceived(s, st, r);
    } else if (signal instanceof ChannelSignal.DetachedReceived r) {
      next = detachedReceived(s, st, r.error());
    } else if (signal instanceof ChannelSignal.ErrorReceived r) {
      next = errorReceived(s, st, r.error());
    } else if (signal instanceof ChannelSignal.ChannelSerialReceived r) {
      next = serialReceived(s, st, r.channelSerial());
    } else if (signal instanceof ChannelSignal.ConnectionStateChanged c) {
      next = connectionChanged(s, st, c.state(), c.reason());
    } else if (signal instanceof ChannelSignal.TimerFired t) {
      next = timerFired(s, st, t);
    } else if (signal instanceof ChannelSignal.Reinitialize) {
      next = reinitialize(s, st);
    } else {
      throw new IllegalArgumentException("unknown signal " + signal);
    }
    return s.finish(next);
  }

  /** RTN11d: INITIALIZED, errorReason and channelSerial cleared; what still waits fails. */
  private static ChannelStatus reinitialize(Step s, ChannelStatus st) {
    s.leave(st);
    ErrorInfo restarted =
        ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "the connection was restarted (RTN11d)");
    s.failAttaches(restarted);
    s.failDetaches(restarted);
    s.channelSerial = null;
    s.attachSerial = null;
    if (!(st instanceof Initialized)) {
      s.emit(ChannelState.INITIALIZED, null, false, false);
    }
    s.errorReason = null;
    return new Initialized();
  }

  // ---- user operations ----

  private ChannelStatus attach(Step s, ChannelStatus st, long requestId) {
    if (st instanceof Attached) {
      s.add(new ChannelEffect.CompleteAttach(requestId)); // RTL4a
      return st;
    }
    if (st instanceof Attaching || st instanceof Detaching) {
      s.pendingAttaches.add(requestId); // RTL4h: after the pending request
      return st;
    }
    ErrorInfo refused = connectionRefusal(s.connectionState);
    if (refused != null) {
      s.add(new ChannelEffect.FailAttach(requestId, refused)); // RTL4b
      return st;
    }
    if (st instanceof Failed) {
      s.errorReason = null; // RTL4g
    }
    s.leave(st);
    s.pendingAttaches.add(requestId);
    return toAttaching(s, 0, null); // RTL4c, RTL4i
  }

  private ChannelStatus detach(Step s, ChannelStatus st, long requestId) {
    if (st instanceof Initialized || st instanceof Detached) {
      s.add(new ChannelEffect.CompleteDetach(requestId)); // RTL5a
      return st;
    }
    if (st instanceof Failed) {
      ErrorInfo invalid =
          ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "Cannot detach a FAILED channel");
      s.add(new ChannelEffect.FailDetach(requestId, invalid)); // RTL5b
      return st;
    }
    if (st instanceof Attaching || st instanceof Detaching) {
      s.pendingDetaches.add(requestId); // RTL5i: after the pending request
      return st;
    }
    s.pendingDetaches.add(requestId);
    s.leave(st);
    if (st instanceof Suspended) {
      return toDetached(s, null); // RTL5j
    }
    Attached attached = (Attached) st;
    if (s.connectionState != ConnectionState.CONNECTED) {
      return toDetached(s, null); // RTL5l
    }
    return toDetaching(s, attached); // RTL5d
  }

  // ---- protocol messages ----

  private ChannelStatus attachedReceived(
      Step s, ChannelStatus st, ChannelSignal.AttachedReceived r) {
    boolean resumed = Flag.RESUMED.isSet(r.flags());
    boolean hasBacklog = Flag.HAS_BACKLOG.isSet(r.flags());
    if (st instanceof Detaching || st instanceof Detached) {
      s.add(new ChannelEffect.SendDetach()); // RTL5k
      return st;
    }
    if (!(st instanceof Attaching) && !(st instanceof Attached)) {
      s.log(Level.DEBUG, "ATTACHED ignored in " + st.state());
      return st;
    }
    if (r.channelSerial() != null) {
      s.channelSerial = r.channelSerial(); // RTL15b
    }
    if (st instanceof Attached && resumed) {
      s.log(Level.DEBUG, "ATTACHED with RESUMED while attached: continuity kept"); // RTL12
      return st;
    }
    if (!resumed || s.attachSerial == null) {
      s.attachSerial = r.channelSerial(); // RTL15c
    }
    int modes = r.flags() & Flag.ALL_MODES; // RTL4m
    Map<String, String> params = r.params() == null ? Map.of() : r.params(); // RTL4k1
    Attached attached = new Attached(resumed, s.attachSerial, modes, params);
    s.leave(st);
    // RTP1, RTP19a: a SYNC follows, or the presence set is now empty
    s.add(
        Flag.HAS_PRESENCE.isSet(r.flags())
            ? new ChannelEffect.StartPresenceSync()
            : new ChannelEffect.ClearPresence());
    // RTL2f, RTL2i; RTL12: ATTACHED without RESUMED while attached is an UPDATE (same state)
    s.emit(ChannelState.ATTACHED, r.error(), resumed, hasBacklog);
    s.completeAttaches();
    if (!s.pendingDetaches.isEmpty()) {
      // RTL5i: the detach waited for this attach
      return s.connectionState == ConnectionState.CONNECTED
          ? toDetaching(s, attached)
          : toDetached(s, null);
    }
    return attached;
  }

  private ChannelStatus detachedReceived(Step s, ChannelStatus st, ErrorInfo error) {
    if (st instanceof Detaching) {
      s.leave(st);
      ChannelStatus detached = toDetached(s, error); // RTL5d
      if (!s.pendingAttaches.isEmpty()) {
        return toAttaching(s, 0, null); // RTL4h: the attach waited for this detach
      }
      return detached;
    }
    ErrorInfo reason =
        error != null
            ? error
            : ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "Channel detached by the server");
    if (st instanceof Attached || st instanceof Suspended) {
      s.leave(st);
      int attempt = st instanceof Suspended suspended ? suspended.attempt() : 0;
      return toAttaching(s, attempt, reason); // RTL13a
    }
    if (st instanceof Attaching attaching) {
      s.leave(st);
      return toSuspended(s, reason, attaching.attempt(), true); // RTL13b
    }
    s.log(Level.DEBUG, "DETACHED ignored in " + st.state());
    return st;
  }

  private ChannelStatus errorReceived(Step s, ChannelStatus st, ErrorInfo error) {
    if (st instanceof Failed) {
      s.log(Level.DEBUG, "channel ERROR ignored in FAILED: " + error.message());
      return st;
    }
    s.leave(st);
    return toFailed(s, error); // RTL14
  }

  private static ChannelStatus serialReceived(Step s, ChannelStatus st, String serial) {
    if (st instanceof Attached || st instanceof Attaching) {
      s.channelSerial = serial; // RTL15b
    }
    return st;
  }

  // ---- connection (RTL3) ----

  private ChannelStatus connectionChanged(
      Step s, ChannelStatus st, ConnectionState connection, ErrorInfo reason) {
    s.connectionState = connection;
    boolean live = st instanceof Attaching || st instanceof Attached;
    if (connection == ConnectionState.FAILED) {
      if (live || st instanceof Suspended || st instanceof Detaching) {
        s.leave(st);
        return toFailed(
            s,
            reason != null
                ? reason
                : ErrorInfo.of(ErrorCode.CONNECTION_FAILED, "Connection failed")); // RTL3a
      }
      return st;
    }
    if (connection == ConnectionState.CLOSED) {
      if (live || st instanceof Suspended || st instanceof Detaching) {
        s.leave(st);
        Detached detached = toDetached(s, null); // RTL3b
        s.failAttaches(ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "Connection closed"));
        return detached;
      }
      return st;
    }
    if (connection == ConnectionState.SUSPENDED) {
      if (live) {
        s.leave(st);
        return toSuspended(
            s,
            reason != null
                ? reason
                : ErrorInfo.of(ErrorCode.CONNECTION_SUSPENDED, "Connection suspended"),
            st instanceof Attaching attaching ? attaching.attempt() : 0,
            false); // RTL3c
      }
      if (st instanceof Suspended suspended && suspended.timerId() != 0) {
        s.leave(st); // RTL3d re-attaches once CONNECTED
        return new Suspended(suspended.attempt(), 0, 0);
      }
      if (st instanceof Detaching) {
        s.leave(st);
        Detached detached = toDetached(s, null); // RTL5l: the attachment is gone
        s.failAttaches(
            reason != null
                ? reason
                : ErrorInfo.of(ErrorCode.CONNECTION_SUSPENDED, "Connection suspended")); // RTL4b
        return detached;
      }
      return st;
    }
    if (connection == ConnectionState.CONNECTED) {
      return connected(s, st);
    }
    return st; // INITIALIZED, CONNECTING, DISCONNECTED, CLOSING: wait
  }

  private ChannelStatus connected(Step s, ChannelStatus st) {
    if (st instanceof Attaching attaching) {
      s.leave(st); // RTL3d: already ATTACHING, (re)send ATTACH without a state change
      s.add(attachMessage(s));
      long timer = s.startTimer(ChannelTimerKind.ATTACH, config.realtimeRequestTimeoutNanos());
      return new Attaching(attaching.attempt(), timer);
    }
    if (st instanceof Attached) {
      s.leave(st);
      return toAttaching(s, 0, null); // RTL3d
    }
    if (st instanceof Suspended suspended) {
      s.leave(st);
      return toAttaching(s, suspended.attempt(), null); // RTL3d
    }
    if (st instanceof Detaching detaching) {
      s.leave(st); // resend DETACH on the new transport
      s.add(new ChannelEffect.SendDetach());
      long timer = s.startTimer(ChannelTimerKind.DETACH, config.realtimeRequestTimeoutNanos());
      return new Detaching(detaching.previous(), timer);
    }
    return st;
  }

  // ---- timers ----

  private ChannelStatus timerFired(Step s, ChannelStatus st, ChannelSignal.TimerFired t) {
    if (t.timerId() == 0 || st.timerId() != t.timerId() || kindOf(st) != t.kind()) {
      s.log(Level.DEBUG, "stale " + t.kind() + " timer " + t.timerId() + " in " + st.state());
      return st;
    }
    if (st instanceof Attaching attaching) {
      ErrorInfo timedOut =
          ErrorInfo.of(ErrorCode.CHANNEL_OPERATION_TIMED_OUT, "Channel attach timed out");
      return toSuspended(s, timedOut, attaching.attempt(), true); // RTL4f, RTL13b
    }
    if (st instanceof Detaching detaching) {
      ErrorInfo timedOut =
          ErrorInfo.of(ErrorCode.CHANNEL_OPERATION_TIMED_OUT, "Channel detach timed out");
      s.emit(ChannelState.ATTACHED, timedOut, true, false); // RTL5f: back to ATTACHED
      s.failDetaches(timedOut);
      s.completeAttaches();
      return detaching.previous();
    }
    Suspended suspended = (Suspended) st;
    if (s.connectionState == ConnectionState.CONNECTED) {
      return toAttaching(s, suspended.attempt(), null); // RTL13b
    }
    return new Suspended(suspended.attempt(), 0, 0); // RTL3d re-attaches once CONNECTED
  }

  private static ChannelTimerKind kindOf(ChannelStatus st) {
    if (st instanceof Attaching) {
      return ChannelTimerKind.ATTACH;
    }
    if (st instanceof Detaching) {
      return ChannelTimerKind.DETACH;
    }
    return ChannelTimerKind.RETRY;
  }

  // ---- entering states (the caller has left the old state) ----

  private Attaching toAttaching(Step s, int attempt, ErrorInfo reason) {
    long timer = 0;
    if (s.connectionState == ConnectionState.CONNECTED) {
      s.add(attachMessage(s)); // RTL4c
      timer = s.startTimer(ChannelTimerKind.ATTACH, config.realtimeRequestTimeoutNanos()); // RTL4f
    } // RTL4i: otherwise ATTACH goes once the connection is CONNECTED (RTL3d)
    s.emit(ChannelState.ATTACHING, reason, false, false);
    return new Attaching(attempt, timer);
  }

  private ChannelEffect.SendAttach attachMessage(Step s) {
    // RTL4c1: the channelSerial; RTL4k: params; RTL4l: modes
    return new ChannelEffect.SendAttach(s.channelSerial, config.requestedModes(), config.params());
  }

  private ChannelStatus toSuspended(Step s, ErrorInfo reason, int attempt, boolean retry) {
    if (!s.pendingDetaches.isEmpty()) {
      Detached detached = toDetached(s, reason); // RTL5j: a waiting detach ends the channel here
      s.failAttaches(reason);
      return detached;
    }
    int retryCount = attempt + 1;
    Suspended next = new Suspended(retryCount, 0, 0);
    if (retry && s.connectionState == ConnectionState.CONNECTED) {
      long delay =
          RetryBackoff.delayNanos(
              config.channelRetryTimeoutNanos(), retryCount, random.nextDouble()); // RTB1
      long timer = s.startTimer(ChannelTimerKind.RETRY, delay);
      next = new Suspended(retryCount, s.now + delay, timer);
    }
    s.emit(ChannelState.SUSPENDED, reason, false, false);
    s.failAttaches(reason);
    return next;
  }

  private Detaching toDetaching(Step s, Attached previous) {
    s.add(new ChannelEffect.SendDetach()); // RTL5d
    long timer = s.startTimer(ChannelTimerKind.DETACH, config.realtimeRequestTimeoutNanos());
    s.emit(ChannelState.DETACHING, null, false, false);
    return new Detaching(previous, timer);
  }

  private static Detached toDetached(Step s, ErrorInfo reason) {
    s.channelSerial = null; // RTL15b2
    s.add(new ChannelEffect.ClearPresence());
    s.emit(ChannelState.DETACHED, reason, false, false);
    s.completeDetaches();
    return new Detached();
  }

  private static Failed toFailed(Step s, ErrorInfo error) {
    s.channelSerial = null; // RTL15b2
    s.add(new ChannelEffect.ClearPresence());
    s.emit(ChannelState.FAILED, error, false, false);
    s.failAttaches(error);
    s.failDetaches(error);
    return new Failed(error);
  }

  private static ErrorInfo connectionRefusal(ConnectionState connection) {
    return switch (connection) {
      case CLOSING, CLOSED -> ErrorInfo.of(
          ErrorCode.CONNECTION_CLOSED, "Cannot attach: the connection is " + connection);
      case SUSPENDED -> ErrorInfo.of(
          ErrorCode.CONNECTION_SUSPENDED, "Cannot attach: the connection is SUSPENDED");
      case FAILED -> ErrorInfo.of(
          ErrorCode.CONNECTION_FAILED, "Cannot attach: the connection is FAILED");
      case INITIALIZED, CONNECTING, CONNECTED, DISCONNECTED -> null;
    };
  }

  /** Collects one transition; lives for one call of {@link #apply}. */
  private static final class Step {
    final long now;
    final List<ChannelEffect> effects = new ArrayList<>();
    final List<Long> pendingAttaches;
    final List<Long> pendingDetaches;
    ChannelState current; // what the next Emit reports as previous
    String channelSerial;
    String attachSerial;
    ErrorInfo errorReason;
    ConnectionState connectionState;
    long lastId;

    Step(ChannelMachineState state, long now) {
      this.now = now;
      ChannelScope scope = state.scope();
      current = state.state();
      channelSerial = scope.channelSerial();
      attachSerial = scope.attachSerial();
      errorReason = scope.errorReason();
      connectionState = scope.connectionState();
      pendingAttaches = new ArrayList<>(scope.pendingAttaches());
      pendingDetaches = new ArrayList<>(scope.pendingDetaches());
      lastId = scope.lastId();
    }

    ChannelTransition finish(ChannelStatus next) {
      if (next.state() != current) {
        throw new IllegalStateException("no Emit led to " + next.state() + ", still " + current);
      }
      ChannelScope scope =
          new ChannelScope(
              channelSerial,
              attachSerial,
              errorReason,
              connectionState,
              pendingAttaches,
              pendingDetaches,
              lastId);
      return new ChannelTransition(new ChannelMachineState(next, scope), effects);
    }

    void add(ChannelEffect effect) {
      effects.add(effect);
    }

    void log(Level level, String message) {
      effects.add(new ChannelEffect.Log(level, message));
    }

    void emit(ChannelState to, ErrorInfo reason, boolean resumed, boolean hasBacklog) {
      ChannelEvent event = to == current ? ChannelEvent.UPDATE : ChannelEvent.entering(to);
      effects.add(
          new ChannelEffect.Emit(
              new ChannelStateChange(current, to, event, reason, resumed, hasBacklog)));
      current = to;
      if (reason != null) {
        errorReason = reason;
      }
    }

    long startTimer(ChannelTimerKind kind, long delayNanos) {
      long id = ++lastId;
      effects.add(new ChannelEffect.StartTimer(kind, id, Math.max(1L, delayNanos)));
      return id;
    }

    /** Cancels the timer the state being left holds, if any. */
    void leave(ChannelStatus st) {
      if (st.timerId() != 0) {
        effects.add(new ChannelEffect.CancelTimer(kindOf(st), st.timerId()));
      }
    }

    void completeAttaches() {
      for (long id : pendingAttaches) {
        effects.add(new ChannelEffect.CompleteAttach(id));
      }
      pendingAttaches.clear();
    }

    void failAttaches(ErrorInfo error) {
      for (long id : pendingAttaches) {
        effects.add(new ChannelEffect.FailAttach(id, error));
      }
      pendingAttaches.clear();
    }

    void completeDetaches() {
      for (long id : pendingDetaches) {
        effects.add(new ChannelEffect.CompleteDetach(id));
      }
      pendingDetaches.clear();
    }

    void failDetaches(ErrorInfo error) {
      for (long id : pendingDetaches) {
        effects.add(new ChannelEffect.FailDetach(id, error));
      }
      pendingDetaches.clear();
    }
  }
}
