package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ChannelMode;
import io.ably.api.ChannelOptions;
import io.ably.api.ContinuityPolicy;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.spi.SubscriptionStore;
import io.ably.api.state.ChannelEvent;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ContinuityGap;
import io.ably.engine.internal.ChannelCounters;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.channel.ChannelConfig;
import io.ably.engine.internal.channel.ChannelEffect;
import io.ably.engine.internal.channel.ChannelMachineState;
import io.ably.engine.internal.channel.ChannelScope;
import io.ably.engine.internal.channel.ChannelSignal;
import io.ably.engine.internal.channel.ChannelStateMachine;
import io.ably.engine.internal.channel.ChannelStatus;
import io.ably.engine.internal.channel.ChannelTimerKind;
import io.ably.engine.internal.channel.ChannelTransition;
import io.ably.wire.Action;
import io.ably.wire.ChannelCipher;
import io.ably.wire.Flag;
import io.ably.wire.PayloadEncoder;
import io.ably.wire.ProtocolMessage;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The loop-owned state of one channel: feeds its pure {@link ChannelStateMachine} and carries out
 * the effects, keeps the user's stages, listeners and subscribers, decodes and delivers inbound
 * messages. Every method runs on the client's event loop.
 */
@EventLoopConfined
final class ChannelCore {
  final String name;
  /** How a subscriber's failure is logged, made once rather than for every delivery. */
  private final String subscriberLabel;
  final ChannelCounters published;
  private final ChannelContext ctx;
  /** The channel's presence set, listeners and waiting presence actions (RTP). */
  final ChannelPresence presence;
  private ChannelOptions options;
  private ChannelCipher cipher;
  private ChannelStateMachine machine;
  private ChannelMachineState state;
  /** The public face of this channel, set once before the channel is published. */
  Channel facade;
  /** Set once the conductor has adopted this channel on the loop. */
  boolean registered;
  /** Whether the channel has been attached since the user last detached it: continuity to lose. */
  private boolean hadAttachment;
  private long nextRequestId = 1;
  /** What waits for each attach or detach request: a user's stage or the engine's continuation. */
  private final Map<Long, Done> requests = new HashMap<>();
  private final Map<ChannelTimerKind, Timer> timers = new EnumMap<>(ChannelTimerKind.class);
  private final List<Consumer<ChannelStateChange>> stateListeners = new ArrayList<>();
  private final List<Consumer<ChannelStateChange>> continuityListeners = new ArrayList<>();
  private final List<StateWaiter> waiters = new ArrayList<>();
  private final Map<ChannelState, ChannelStateChange> lastEntered = new EnumMap<>(ChannelState.class);
  /** Subscribers, replaced (never mutated) so a dispatched delivery keeps the set it saw. */
  private Subscriber[] subscribers = new Subscriber[0];
  private final List<FlowSubscription> flows = new ArrayList<>();
  /** Where a backfill reads history; null without REST operations (unit tests). */
  private Backfill.HistorySource history;
  /** The gap-free delivery of the BACKFILL policy and the position of a persistent channel, or null. */
  private Backfill backfill;
  /** A stored position waits for the first attach: an attach without RESUMED is a loss then. */
  private boolean resumingStored;
  /** The serial of the application's own position (ChannelOptions.resumeAfter), or null. */
  private String resumeAfterSerial;
  /** Whether a position to continue after was given (by the application, or stored acknowledged). */
  private boolean positionGiven;
  /** What the application acknowledged (ChannelOptions.manualAcknowledgement). */
  final Acknowledgements acknowledgements;

  private record Timer(long id, ChannelContext.Cancellable future) {}

  private record StateWaiter(ChannelState state, ClientStage<ChannelStateChange> stage) {}

  /** The end of an attach or detach request: {@code error} is null on success. Runs on the loop. */
  interface Done {
    void done(ErrorInfo error);
  }

  /** One subscribe() call: a filter and a listener. */
  record Subscriber(Predicate<? super Message> filter, Consumer<? super Message> listener) {}

  ChannelCore(ChannelContext ctx, String name, ChannelOptions options) {
    this.ctx = ctx;
    this.name = name;
    this.subscriberLabel = "subscriber of " + name;
    this.options = options;
    this.published = new ChannelCounters(options);
    this.cipher = options.cipher() == null ? null : ChannelCipher.of(options.cipher(), ctx.ivSource());
    this.machine = machineFor(options);
    this.presence = new ChannelPresence(this, ctx);
    this.backfill = backfillFor(options);
    this.acknowledgements = new Acknowledgements(name);
    resumeAfter(options.resumeAfter());
  }

  private ChannelStateMachine machineFor(ChannelOptions o) {
    int modes = 0;
    for (ChannelMode m : o.modes()) {
      modes |= Flag.valueOf(m.name()).mask();
    }
    ChannelConfig config =
        new ChannelConfig(
            ctx.requestTimeout().toNanos(),
            ctx.channelRetryTimeout().toNanos(),
            modes,
            o.params());
    return new ChannelStateMachine(config, new SplittableRandom());
  }

  /**
   * Adopts the channel on the loop, with the connection's state now.
   *
   * @param recoveredSerial the channelSerial a recovery key gave this channel (RTN16j), or null
   */
  void register(ConnectionState connection, String recoveredSerial) {
    registered = true;
    ChannelMachineState initial = machine.initialState(connection);
    recoveredSerial = attachPoint(recoveredSerial);
    if (recoveredSerial != null) {
      ChannelScope s = initial.scope();
      initial =
          new ChannelMachineState(
              initial.status(),
              new ChannelScope(
                  recoveredSerial, s.attachSerial(), s.errorReason(), s.connectionState(),
                  s.pendingAttaches(), s.pendingDetaches(), s.lastId()));
    }
    state = initial;
    lastEntered.put(
        ChannelState.INITIALIZED,
        new ChannelStateChange(
            ChannelState.INITIALIZED, ChannelState.INITIALIZED, ChannelEvent.INITIALIZED, null, false, false));
    publishSnapshot(Map.of(), Set.of());
  }

  ChannelState state() {
    return state.state();
  }

  ChannelCipher cipher() {
    return cipher;
  }

  String channelSerial() {
    return state.scope().channelSerial();
  }

  /** The attach serial while ATTACHED (RTL15c), for history with untilAttach (RTL10b); else null. */
  String attachSerial() {
    return registered && state.status() instanceof ChannelStatus.Attached a ? a.attachSerial() : null;
  }

  // ---- user operations ----

  void attach(ClientStage<Void> stage) {
    long id = nextRequestId++;
    if (stage != null) {
      requests.put(id, userStage(stage));
    }
    signal(new ChannelSignal.Attach(ctx.now(), id));
  }

  void detach(ClientStage<Void> stage) {
    detach(userStage(stage));
  }

  /** Detaches; {@code done} runs on the loop, never through the application's executor. */
  void detach(Done done) {
    long id = nextRequestId++;
    requests.put(id, done);
    signal(new ChannelSignal.Detach(ctx.now(), id));
  }

  private Done userStage(ClientStage<Void> stage) {
    return error -> {
      if (error == null) {
        ctx.callbacks().dispatch("channel stage", () -> stage.succeed(null));
      } else {
        AblyException failure = new AblyException(error);
        ctx.callbacks().dispatch("channel stage", () -> stage.fail(failure));
      }
    };
  }

  /** RTN11d: the connection starts afresh after CLOSED or FAILED. */
  void reinitialize() {
    signal(new ChannelSignal.Reinitialize(ctx.now()));
  }

  /**
   * RTS3c: replaces the options. RTS3c1: params or modes cannot change while ATTACHING or ATTACHED;
   * checked here, on the loop, where the state cannot change under the check (the facade's check
   * on the caller's thread may have seen an older state).
   */
  void setOptions(ChannelOptions next) {
    ChannelState now = state.state();
    if ((now == ChannelState.ATTACHED || now == ChannelState.ATTACHING) && next.changesAttachment(options)) {
      ctx.log(Level.WARNING, () -> "channels.get(\"" + name + "\", options) refused (RTS3c1): the"
          + " channel became " + now + " before the new params or modes could be applied; they were not");
      return;
    }
    this.options = next;
    this.cipher = next.cipher() == null ? null : ChannelCipher.of(next.cipher(), ctx.ivSource());
    this.machine = machineFor(next);
    Backfill kept = backfillFor(next);
    if (kept != null || backfill == null || !backfill.running()) {
      backfill = kept; // a backfill in progress finishes first, so that nothing it holds is lost
    }
    ChannelCounters.Snapshot s = published.get();
    published.publish(new ChannelCounters.Snapshot(s.state(), s.errorReason(), next, s.params(), s.modes()));
  }

  ChannelOptions options() {
    return options;
  }

  /** Sets where backfills read history (the facade does, before the channel is registered). */
  void historySource(Backfill.HistorySource source) {
    this.history = source;
    if (backfill != null) {
      backfill.source(source);
    }
    this.backfill = backfillFor(options);
  }

  /** The backfill of the BACKFILL policy or of a persistent channel, kept across option changes. */
  private Backfill backfillFor(ChannelOptions o) {
    if (!(o.continuity() == ContinuityPolicy.BACKFILL && history != null)
        && !o.persistent()
        && o.resumeAfter() == null) {
      return null;
    }
    if (backfill != null) {
      return backfill;
    }
    return new Backfill(history, new BackfillOutlet(), o.backfillHoldLimit(), System::currentTimeMillis);
  }

  /** Whether a continuity loss is filled from history now. */
  private boolean backfills() {
    return backfill != null && history != null && options.continuity() == ContinuityPolicy.BACKFILL;
  }

  /**
   * Continues from a position an earlier run stored (a persistent channel): delivery resumes after
   * it, and the first attach, unless RESUMED (a recovered connection, RTN16), is a continuity loss.
   */
  void resumeFrom(String lastId, String lastSerial) {
    if (backfill != null && (lastId != null || lastSerial != null)) {
      backfill.resumeFrom(lastId, lastSerial);
      resumingStored = true;
    }
  }

  /**
   * Continues after the application's own position (ChannelOptions.resumeAfter), or the stored
   * acknowledged one of a channel with manual acknowledgement: like a stored position, and it also
   * becomes the attach point of a recovered connection. At creation, before anything is delivered;
   * the first one given wins (the application's over the store's).
   */
  void resumeAfter(SubscriptionStore.Position p) {
    if (p != null && !positionGiven) {
      positionGiven = true;
      resumeFrom(p.lastId(), p.lastSerial());
      resumeAfterSerial = p.lastSerial();
    }
  }

  /**
   * The channelSerial the first ATTACH carries on a recovered connection: the application's
   * position when it gave one with a serial (RTL4c1: the service resends what follows it), else
   * the one from the recovery key (RTN16j). Null when the connection was not recovered with this
   * channel: the first attach is then a continuity loss from the position.
   */
  private String attachPoint(String recoveredSerial) {
    return recoveredSerial != null && resumeAfterSerial != null ? resumeAfterSerial : recoveredSerial;
  }

  /**
   * The position to store, as {id, serial}, or null: the last message acknowledged with manual
   * acknowledgement, else the last message delivered.
   */
  String[] position() {
    if (options.manualAcknowledgement()) {
      SubscriptionStore.Position p = acknowledgements.acknowledged();
      return p == null ? null : new String[] {p.lastId(), p.lastSerial()};
    }
    if (backfill == null || (backfill.lastId() == null && backfill.lastSerial() == null)) {
      return null;
    }
    return new String[] {backfill.lastId(), backfill.lastSerial()};
  }

  /** Whether a backfill runs, so the position is about to jump. */
  boolean backfilling() {
    return backfill != null && backfill.running();
  }

  /** Where this channel's backfill delivers and reports. */
  private final class BackfillOutlet implements Backfill.Outlet {
    @Override
    public void deliver(List<Message> messages) {
      if (options.manualAcknowledgement()) {
        acknowledgements.delivered(messages);
      }
      ChannelCore.this.deliver(messages);
    }

    @Override
    public void finished(ChannelStateChange cause, ContinuityGap gap) {
      published.backfilled(gap.recovered());
      if (gap.complete()) {
        ctx.log(Level.INFO, () -> "channel " + name + " backfilled " + gap.recovered() + " messages from history");
        return;
      }
      published.holeReported();
      ctx.log(Level.WARNING, () -> "channel " + name + " could not backfill the whole gap: " + gap);
      notifyContinuityLoss(cause.withGap(gap));
    }
  }

  /** RTL7g: subscribing attaches the channel unless told not to. */
  void attachForSubscribe() {
    ChannelState s = state.state();
    if (options.attachOnSubscribe()
        && (s == ChannelState.INITIALIZED || s == ChannelState.DETACHING || s == ChannelState.DETACHED)) {
      attach(null);
    }
  }

  void addSubscriber(Subscriber s) {
    Subscriber[] next = Arrays.copyOf(subscribers, subscribers.length + 1);
    next[subscribers.length] = s;
    subscribers = next;
    attachForSubscribe();
  }

  void removeSubscriber(Subscriber s) {
    List<Subscriber> l = new ArrayList<>(List.of(subscribers));
    if (l.remove(s)) {
      subscribers = l.toArray(new Subscriber[0]);
    }
  }

  void addStateListener(Consumer<ChannelStateChange> l) {
    stateListeners.add(l);
  }

  void removeStateListener(Consumer<ChannelStateChange> l) {
    stateListeners.remove(l);
  }

  void addContinuityListener(Consumer<ChannelStateChange> l) {
    continuityListeners.add(l);
  }

  void removeContinuityListener(Consumer<ChannelStateChange> l) {
    continuityListeners.remove(l);
  }

  void whenState(ChannelState wanted, ClientStage<ChannelStateChange> stage) {
    if (state.state() == wanted) {
      ChannelStateChange change = lastEntered.get(wanted);
      ctx.callbacks().dispatch("whenState stage", () -> stage.succeed(change));
    } else {
      waiters.add(new StateWaiter(wanted, stage));
    }
  }

  // ---- Flow.Publisher ----

  void addFlow(Flow.Subscriber<? super Message> subscriber) {
    FlowSubscription f = new FlowSubscription(subscriber);
    flows.add(f);
    ctx.callbacks().dispatch("Flow.Subscriber.onSubscribe", () -> subscriber.onSubscribe(f));
    attachForSubscribe();
  }

  /** A {@link Flow.Subscription} whose demand and buffer live on the loop. */
  private final class FlowSubscription implements Flow.Subscription {
    private final Flow.Subscriber<? super Message> subscriber;
    private final ArrayDeque<Message> buffer = new ArrayDeque<>();
    private long demand;
    private boolean done;

    FlowSubscription(Flow.Subscriber<? super Message> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      ctx.execute(
          () -> {
            if (done) {
              return;
            }
            if (n <= 0) { // reactive-streams rule 3.9
              done = true;
              flows.remove(this);
              IllegalArgumentException e = new IllegalArgumentException("request must be positive, was " + n);
              ctx.callbacks().dispatch("Flow.Subscriber.onError", () -> subscriber.onError(e));
              return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            drain();
          });
    }

    @Override
    public void cancel() {
      ctx.execute(
          () -> {
            done = true;
            buffer.clear();
            flows.remove(this);
          });
    }

    /** The channel's FAIL policy ended the stream. */
    void fail(AblyException failure) {
      done = true;
      buffer.clear();
      ctx.callbacks().dispatch("Flow.Subscriber.onError", () -> subscriber.onError(failure));
    }

    void offer(List<Message> messages) {
      buffer.addAll(messages);
      drain();
    }

    void complete() {
      done = true;
      buffer.clear();
      ctx.callbacks().dispatch("Flow.Subscriber.onComplete", subscriber::onComplete);
    }

    private void drain() {
      if (demand == 0 || buffer.isEmpty()) {
        return;
      }
      int n = (int) Math.min(Math.min(demand, buffer.size()), Integer.MAX_VALUE);
      List<Message> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(buffer.poll());
      }
      demand -= n;
      ctx.callbacks().dispatch(
          "Flow.Subscriber.onNext",
          () -> {
            for (Message m : batch) {
              try {
                subscriber.onNext(m);
              } catch (RuntimeException e) {
                published.listenerError();
                ctx.logWarning("Flow subscriber of " + name + " threw", e);
              }
            }
          });
    }
  }

  // ---- inbound ----

  void onAttached(ProtocolMessage pm) {
    // RTL4k1: absent params are empty params
    signal(new ChannelSignal.AttachedReceived(
        ctx.now(), pm.flags(), pm.channelSerial(), pm.params(), pm.error()));
  }

  void onDetached(ProtocolMessage pm) {
    signal(new ChannelSignal.DetachedReceived(ctx.now(), pm.error()));
  }

  /** A PRESENCE protocol message: the channel's position too (RTL15b), and the presence set (RTP2). */
  void onPresence(ProtocolMessage pm) {
    if (state.state() != ChannelState.ATTACHED) {
      ctx.log(Level.DEBUG, () -> "PRESENCE for " + name + " dropped in " + state.state());
      return;
    }
    if (pm.channelSerial() != null) {
      signal(new ChannelSignal.ChannelSerialReceived(ctx.now(), pm.channelSerial()));
    }
    presence.onPresence(pm);
  }

  /** A SYNC protocol message: its channelSerial is the sync's cursor, not a position (RTP18). */
  void onSync(ProtocolMessage pm) {
    if (state.state() != ChannelState.ATTACHED) {
      ctx.log(Level.DEBUG, () -> "SYNC for " + name + " dropped in " + state.state());
      return;
    }
    presence.onSync(pm);
  }

  void onError(ErrorInfo error) {
    signal(new ChannelSignal.ErrorReceived(ctx.now(), error));
  }

  void onConnectionState(ConnectionState s, ErrorInfo reason) {
    signal(new ChannelSignal.ConnectionStateChanged(ctx.now(), s, reason));
  }

  /** A MESSAGE for this channel: fill the fields from the protocol message, decode, deliver. */
  void onMessages(ProtocolMessage pm) {
    if (state.state() != ChannelState.ATTACHED) {
      // RTL17; and its channelSerial is not taken either, so a re-attach asks for it again
      ctx.log(Level.DEBUG, () -> "MESSAGE for " + name + " dropped in " + state.state() + " (RTL17)");
      return;
    }
    if (pm.channelSerial() != null) {
      signal(new ChannelSignal.ChannelSerialReceived(ctx.now(), pm.channelSerial())); // RTL15b
    }
    List<Message> wire = pm.messages();
    // The wire's own (immutable) list while every message stays as it came; copied at the first
    // that changes (issue #20: a list per frame was part of the receive path's allocation)
    List<Message> copy = null;
    for (int i = 0; i < wire.size(); i++) {
      Message m = wire.get(i);
      boolean changed = m.encoding() != null; // decoding makes a new message only then
      if ((m.id() == null && pm.id() != null)
          || (m.connectionId() == null && pm.connectionId() != null)
          || (m.timestampMillis() == 0 && pm.timestampMillis() != null)) {
        Message.Builder b = m.toBuilder();
        if (m.id() == null && pm.id() != null) {
          b.id(pm.id() + ":" + i); // TM2a
        }
        if (m.connectionId() == null) {
          b.connectionId(pm.connectionId()); // TM2c
        }
        if (m.timestampMillis() == 0 && pm.timestampMillis() != null) {
          b.timestampMillis(pm.timestampMillis()); // TM2f
        }
        m = b.build();
        changed = true;
      }
      PayloadEncoder.Decoded<Message> d = PayloadEncoder.decode(m, cipher);
      if (!d.complete()) {
        AblyException e = d.error();
        ctx.logWarning("message " + d.message().id() + " on " + name + " not fully decoded (RSL6b): " + e.errorInfo(), null);
      }
      if (copy != null) {
        copy.add(d.message());
      } else if (changed) {
        copy = new ArrayList<>(wire.size());
        copy.addAll(wire.subList(0, i));
        copy.add(d.message());
      }
    }
    List<Message> decoded = copy == null ? wire : copy;
    published.received(decoded.size());
    ctx.counters().received(decoded.size());
    if (backfill != null) {
      backfill.onMessages(decoded); // held while a backfill runs; never twice
    } else {
      deliver(decoded);
    }
  }

  private void deliver(List<Message> messages) {
    Subscriber[] subs = subscribers;
    if (subs.length > 0) {
      ctx.callbacks().dispatchMessages(
          subscriberLabel,
          () -> {
            for (int i = 0; i < messages.size(); i++) { // indexed: no iterator per batch
              Message m = messages.get(i);
              for (Subscriber s : subs) {
                try {
                  if (s.filter().test(m)) {
                    s.listener().accept(m);
                  }
                } catch (RuntimeException e) {
                  published.listenerError();
                  ctx.counters().listenerError();
                  ctx.logWarning(subscriberLabel + " threw", e);
                }
              }
            }
          },
          messages.size()); // counted until delivered: inbound backpressure
    }
    for (int i = 0; i < flows.size(); i++) { // indexed: no iterator per frame
      flows.get(i).offer(messages);
    }
  }

  /** The channel is being released: complete the flows, fail what still waits, drop the listeners. */
  void released() {
    AblyException gone =
        new AblyException(ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "channel " + name + " was released"));
    List<Done> waiting = List.copyOf(requests.values());
    requests.clear();
    for (Done d : waiting) {
      d.done(gone.errorInfo());
    }
    for (StateWaiter w : waiters) {
      ctx.callbacks().dispatch("whenState stage", () -> w.stage().fail(gone));
    }
    waiters.clear();
    for (FlowSubscription f : flows) {
      f.complete();
    }
    flows.clear();
    subscribers = new Subscriber[0];
    presence.released();
    stateListeners.clear();
    continuityListeners.clear();
    if (backfill != null) {
      backfill.cancel();
    }
    for (Timer t : timers.values()) {
      t.future().cancel();
    }
    timers.clear();
  }

  /** RTP17e: automatic re-entry failed; an UPDATE, still ATTACHED and resumed, carries the error. */
  void reentryFailed(ErrorInfo error) {
    if (state.state() == ChannelState.ATTACHED) {
      emit(new ChannelStateChange(ChannelState.ATTACHED, ChannelState.ATTACHED, ChannelEvent.UPDATE, error, true, false));
    }
  }

  // ---- the machine ----

  private void signal(ChannelSignal s) {
    ChannelTransition t = machine.apply(state, s);
    String serialBefore = state.scope().channelSerial();
    state = t.next();
    String serialAfter = state.scope().channelSerial();
    if (!Objects.equals(serialAfter, serialBefore)) {
      published.channelSerial(serialAfter); // for recovery keys (RTN16g)
    }
    for (ChannelEffect e : t.effects()) {
      apply(e);
    }
  }

  private void apply(ChannelEffect e) {
    if (e instanceof ChannelEffect.SendAttach a) {
      ProtocolMessage.Builder b = ProtocolMessage.builder(Action.ATTACH).channel(name).flags(a.flags());
      if (a.channelSerial() != null) {
        b.channelSerial(a.channelSerial());
      }
      if (!a.params().isEmpty()) {
        b.params(a.params());
      }
      ctx.sendIfConnected(b.build());
    } else if (e instanceof ChannelEffect.SendDetach) {
      ctx.sendIfConnected(ProtocolMessage.builder(Action.DETACH).channel(name).build());
    } else if (e instanceof ChannelEffect.StartTimer st) {
      Timer old = timers.remove(st.kind());
      if (old != null) {
        old.future().cancel();
      }
      ChannelContext.Cancellable f = ctx.schedule(() -> timerFired(st.kind(), st.timerId()), st.delayNanos());
      timers.put(st.kind(), new Timer(st.timerId(), f));
    } else if (e instanceof ChannelEffect.CancelTimer ct) {
      Timer t = timers.get(ct.kind());
      if (t != null && t.id() == ct.timerId()) {
        timers.remove(ct.kind());
        t.future().cancel();
      }
    } else if (e instanceof ChannelEffect.Emit em) {
      emit(em.change());
    } else if (e instanceof ChannelEffect.CompleteAttach c) {
      complete(c.requestId(), null);
    } else if (e instanceof ChannelEffect.FailAttach f) {
      complete(f.requestId(), f.error());
    } else if (e instanceof ChannelEffect.CompleteDetach c) {
      complete(c.requestId(), null);
    } else if (e instanceof ChannelEffect.FailDetach f) {
      complete(f.requestId(), f.error());
    } else if (e instanceof ChannelEffect.Log l) {
      ctx.log(l.level(), l::message);
    } else if (e instanceof ChannelEffect.StartPresenceSync) {
      presence.startSync(); // RTP1
    } else if (e instanceof ChannelEffect.ClearPresence) {
      if (state.state() == ChannelState.ATTACHED) {
        presence.attachedWithoutPresence(); // RTP19a
      } else {
        presence.clear(); // RTP5a: DETACHED or FAILED
      }
    } else {
      throw new AssertionError(e);
    }
  }

  private void timerFired(ChannelTimerKind kind, long id) {
    Timer t = timers.get(kind);
    if (t == null || t.id() != id) {
      return;
    }
    timers.remove(kind);
    signal(new ChannelSignal.TimerFired(ctx.now(), kind, id));
  }

  private void complete(long requestId, ErrorInfo error) {
    Done done = requests.remove(requestId);
    if (done == null) {
      if (error != null) {
        ctx.log(Level.INFO, () -> "implicit attach of " + name + " failed: " + error);
      }
      return;
    }
    done.done(error);
  }

  private void emit(ChannelStateChange change) {
    Map<String, String> params = published.get().params();
    Set<ChannelMode> modes = published.get().modes();
    if (state.status() instanceof ChannelStatus.Attached a && change.current() == ChannelState.ATTACHED) {
      params = a.params();
      modes = modesOf(a.modes());
    }
    boolean attachedNow = change.current() == ChannelState.ATTACHED;
    boolean continuityLost = attachedNow && !change.resumed() && (hadAttachment || resumingStored);
    if (attachedNow && change.event() != ChannelEvent.UPDATE) {
      published.attached();
    }
    if (attachedNow) {
      if (!hadAttachment && backfill != null) {
        backfill.attachedAfresh();
      }
      hadAttachment = true;
      resumingStored = false;
    } else if (change.current() == ChannelState.DETACHED
        || change.current() == ChannelState.FAILED
        || change.current() == ChannelState.INITIALIZED) {
      hadAttachment = false;
      if (backfill != null && options.persistent()) {
        backfill.cancel(); // a persistent channel keeps its position for the store
      } else if (backfill != null) {
        backfill.reset();
      }
    }
    if (change.event() != ChannelEvent.UPDATE) {
      lastEntered.put(change.current(), change);
    }
    publishSnapshot(params, modes, change.current(), state.scope().errorReason());
    for (Consumer<ChannelStateChange> l : List.copyOf(stateListeners)) {
      ctx.callbacks().dispatch("channel state listener", () -> l.accept(change));
    }
    if (continuityLost) {
      published.continuityLost();
      ctx.log(Level.INFO, () -> "channel " + name + " attached without continuity: " + change.reason());
      if (backfills()) {
        backfill.start(change, attachSerial()); // the listeners hear of it only if a hole remains
      } else if (options.continuity() == ContinuityPolicy.FAIL) {
        failOnLoss(change);
      } else {
        notifyContinuityLoss(change);
      }
    }
    presence.channelState(change); // RTP16b, RTP17i, RTP5, RTP11d
    if (change.event() == ChannelEvent.UPDATE) {
      return;
    }
    for (Iterator<StateWaiter> it = waiters.iterator(); it.hasNext(); ) {
      StateWaiter w = it.next();
      if (w.state() == change.current()) {
        it.remove();
        ctx.callbacks().dispatch("whenState stage", () -> w.stage().succeed(change));
      }
    }
    if (change.current() == ChannelState.SUSPENDED || change.current() == ChannelState.FAILED) {
      ctx.failQueuedFor(this, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID,
          "channel " + name + " is " + change.current())); // RTL6c4 for messages still queued
    }
  }

  private void notifyContinuityLoss(ChannelStateChange change) {
    for (Consumer<ChannelStateChange> l : List.copyOf(continuityListeners)) {
      ctx.callbacks().dispatch("continuity listener", () -> l.accept(change));
    }
  }

  /**
   * The FAIL policy: the subscriptions end with 90003 instead of continuing past a hole, and the
   * channel detaches (in a task of its own, after this transition's effects).
   */
  private void failOnLoss(ChannelStateChange change) {
    AblyException failure =
        new AblyException(
            ErrorInfo.of(
                ErrorCode.CHANNEL_CONTINUITY_LOST,
                "channel " + name + " lost continuity and its continuity policy is FAIL"
                    + (change.reason() == null ? "" : ": " + change.reason().message())));
    ctx.log(Level.WARNING, () -> failure.getMessage());
    notifyContinuityLoss(change.withReason(failure.errorInfo()));
    subscribers = new Subscriber[0];
    for (FlowSubscription f : flows) {
      f.fail(failure);
    }
    flows.clear();
    ctx.execute(() -> detach((Done) error -> {}));
  }

  private void publishSnapshot(Map<String, String> params, Set<ChannelMode> modes) {
    publishSnapshot(params, modes, state.state(), state.scope().errorReason());
  }

  private void publishSnapshot(Map<String, String> params, Set<ChannelMode> modes, ChannelState s, ErrorInfo reason) {
    published.publish(new ChannelCounters.Snapshot(s, reason, options, params, modes));
  }

  private static Set<ChannelMode> modesOf(int flags) {
    EnumSet<ChannelMode> modes = EnumSet.noneOf(ChannelMode.class);
    for (ChannelMode m : ChannelMode.values()) {
      if (Flag.valueOf(m.name()).isSet(flags)) {
        modes.add(m);
      }
    }
    return Set.copyOf(modes);
  }
}
