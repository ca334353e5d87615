package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ChannelMetrics;
import io.ably.api.ChannelMode;
import io.ably.api.ChannelOptions;
import io.ably.api.DeriveOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimePresence;
import io.ably.api.Subscription;
import io.ably.api.event.EventFormat;
import io.ably.api.event.TypedChannel;
import io.ably.api.internal.Checks;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.engine.internal.ChannelCounters;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.rest.RealRest;
import io.ably.wire.EventCodecs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The engine's {@link Channel}: a thread-safe facade that reads the channel's published snapshot
 * and enqueues every operation on the client's event loop, where its {@link ChannelCore} lives.
 */
final class RealChannel implements Channel {
  private final LoopGate gate;
  private final RealtimeConductor conductor;
  private final String clientName;
  /** Touched on the event loop only (safely published through the directory and the loop's queue). */
  final ChannelCore core;
  /** The client's REST operations, for history (RTL10); {@code null} only in tests without REST. */
  private final RealRest rest;
  private final RealPresence presence;
  /** The client's persistent subscriptions, or null; set before the channel is published. */
  private SubscriptionPersistence persistence;

  RealChannel(LoopGate gate, RealtimeConductor conductor, String clientName, ChannelCore core) {
    this(gate, conductor, clientName, core, null);
  }

  RealChannel(
      LoopGate gate, RealtimeConductor conductor, String clientName, ChannelCore core, RealRest rest) {
    this.rest = rest;
    this.gate = gate;
    this.conductor = conductor;
    this.clientName = clientName;
    this.core = core;
    this.presence = new RealPresence(this, gate, core);
    core.facade = this;
    if (rest != null) {
      core.historySource(new RestHistorySource(rest, core.name, core::options)); // BACKFILL policy
    }
  }

  private ChannelCounters.Snapshot snapshot() {
    return core.published.get();
  }

  @Override
  public String name() {
    return core.name;
  }

  @Override
  public ChannelOptions options() {
    return snapshot().options();
  }

  @Override
  public ChannelState state() {
    return snapshot().state();
  }

  @Override
  public ErrorInfo errorReason() {
    return snapshot().errorReason();
  }

  @Override
  public Map<String, String> params() {
    return snapshot().params();
  }

  @Override
  public Set<ChannelMode> modes() {
    return snapshot().modes();
  }

  @Override
  public Subscription onStateChange(Consumer<ChannelStateChange> listener) {
    Checks.notNull(listener, "listener");
    Consumer<ChannelStateChange> registered = change -> listener.accept(change); // one per call
    onLoop(c -> c.addStateListener(registered), null);
    return () -> gate.execute(() -> core.removeStateListener(registered));
  }

  @Override
  public Subscription onContinuityLoss(Consumer<ChannelStateChange> listener) {
    Checks.notNull(listener, "listener");
    Consumer<ChannelStateChange> registered = change -> listener.accept(change);
    onLoop(c -> c.addContinuityListener(registered), null);
    return () -> gate.execute(() -> core.removeContinuityListener(registered));
  }

  @Override
  public CompletionStage<ChannelStateChange> whenState(ChannelState state) {
    Checks.notNull(state, "state");
    ClientStage<ChannelStateChange> stage = gate.newStage();
    onLoop(c -> c.whenState(state, stage), stage);
    return stage;
  }

  @Override
  public CompletionStage<Void> attach() {
    ClientStage<Void> stage = gate.newStage();
    onLoop(c -> c.attach(stage), stage);
    return stage;
  }

  @Override
  public CompletionStage<Void> detach() {
    ClientStage<Void> stage = gate.newStage();
    onLoop(c -> c.detach(stage), stage);
    return stage;
  }

  @Override
  public CompletionStage<PublishResult> publish(Message message) {
    Checks.notNull(message, "message");
    return publish(List.of(message));
  }

  @Override
  public CompletionStage<PublishResult> publish(String name, MessageData data) {
    return publish(Message.of(name, data));
  }

  @Override
  public CompletionStage<PublishResult> publish(String name, String text) {
    return publish(Message.of(name, text == null ? null : MessageData.text(text)));
  }

  @Override
  public CompletionStage<PublishResult> publish(List<Message> messages) {
    Checks.notNull(messages, "messages");
    Checks.check(!messages.isEmpty(), "messages must not be empty");
    List<Message> copy = List.copyOf(messages); // rejects null elements
    if (DeriveOptions.isDerived(core.name)) {
      return DerivedChannels.refusePublish(core.name); // RTS5: subscribe-only
    }
    ClientStage<PublishResult> stage = gate.newStage();
    gate.execute(() -> conductor.publish(core, copy, stage), stage);
    return stage;
  }

  @Override
  public RealtimePresence presence() {
    return presence;
  }

  @Override
  public Subscription subscribe(Consumer<? super Message> listener) {
    return subscribe(m -> true, listener);
  }

  @Override
  public Subscription subscribe(String name, Consumer<? super Message> listener) {
    Checks.notNull(name, "name");
    return subscribe(m -> name.equals(m.name()), listener);
  }

  @Override
  public Subscription subscribe(Predicate<? super Message> filter, Consumer<? super Message> listener) {
    Checks.notNull(filter, "filter");
    Checks.notNull(listener, "listener");
    ChannelCore.Subscriber s = new ChannelCore.Subscriber(filter, listener);
    onLoop(c -> c.addSubscriber(s), null);
    return () -> gate.execute(() -> core.removeSubscriber(s));
  }

  @Override
  public Flow.Publisher<Message> messages() {
    return new ChannelMessages(conductor, core);
  }

  @Override
  public <T> TypedChannel<T> typed(Class<T> type) {
    // The payload format follows the client's protocol: MessagePack data on a binary connection.
    boolean binary = conductor.options().useBinaryProtocol(); // immutable, set before publication
    return typed(type, binary ? EventFormat.MSGPACK : EventFormat.JSON);
  }

  @Override
  public <T> TypedChannel<T> typed(Class<T> type, EventFormat format) {
    return TypedChannel.of(this, EventCodecs.of(type, format)); // fastjson2, in io.ably.wire
  }

  @Override
  public CompletionStage<PaginatedResult<Message>> history(HistoryParams params) {
    Checks.notNull(params, "params");
    if (rest == null) {
      return CompletableFuture.<PaginatedResult<Message>>failedFuture(
              AblyException.of(ErrorCode.INTERNAL_ERROR, "this client has no REST operations"))
          .minimalCompletionStage();
    }
    // RTL10b: the attach serial is read on the loop, just before the request is made.
    return rest.realtimeHistory(core.name, options(), params, core::attachSerial);
  }

  /** RTP12: presence history over the client's REST operations, with this channel's options. */
  CompletionStage<PaginatedResult<PresenceMessage>> presenceHistory(HistoryParams params) {
    if (rest == null) {
      return CompletableFuture.<PaginatedResult<PresenceMessage>>failedFuture(
              AblyException.of(ErrorCode.INTERNAL_ERROR, "this client has no REST operations"))
          .minimalCompletionStage();
    }
    return rest.channels().get(core.name, options()).presence().history(params);
  }

  @Override
  public ChannelMetrics metrics() {
    ChannelCounters c = core.published;
    return new ChannelMetrics(
        clientName, core.name, c.get().state(), c.published(), c.acknowledged(), c.refused(),
        c.received(), c.attaches(), c.continuityLosses(), c.listenerErrors(),
        c.presenceMembers(), c.presenceEvents(), c.backfills(), c.messagesBackfilled(), c.holesReported());
  }

  /** Sets the client's persistent subscriptions, before the channel is published. */
  void persistence(SubscriptionPersistence p) {
    this.persistence = p;
  }

  @Override
  public CompletionStage<Void> acknowledge(Message message) {
    Checks.notNull(message, "message");
    ClientStage<Void> stage = gate.newStage();
    SubscriptionPersistence store = persistence;
    onLoop(
        core -> {
          ErrorInfo wrong =
              !core.options().manualAcknowledgement() || store == null
                  ? ErrorInfo.of(ErrorCode.BAD_REQUEST, "channel " + core.name + " has no manual acknowledgement:"
                      + " create it with ChannelOptions persistent(true) and manualAcknowledgement(true), on a"
                      + " client with a subscriptionStore")
                  : core.acknowledgements.acknowledge(message);
          if (wrong != null) {
            AblyException e = new AblyException(wrong);
            conductor.callbacks().dispatch("acknowledge stage", () -> stage.fail(e));
            return;
          }
          store.flush(
              error -> {
                if (error == null) {
                  conductor.callbacks().dispatch("acknowledge stage", () -> stage.succeed(null));
                } else {
                  AblyException e = new AblyException(error);
                  conductor.callbacks().dispatch("acknowledge stage", () -> stage.fail(e));
                }
              });
        },
        stage);
    return stage;
  }

  /** Runs an operation on the loop once the conductor has adopted the channel; fails if released. */
  void onLoop(Consumer<ChannelCore> op, ClientStage<?> stage) {
    gate.execute(
        () -> {
          if (conductor.adopt(core)) {
            op.accept(core);
          } else if (stage != null) {
            AblyException e = new AblyException(released());
            conductor.callbacks().dispatch("channel stage", () -> stage.fail(e));
          }
        },
        stage);
  }

  private ErrorInfo released() {
    return ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "channel " + core.name + " was released");
  }

  @Override
  public String toString() {
    return "Channel[" + core.name + ", " + state() + "]";
  }
}
