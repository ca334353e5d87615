package io.ably.engine.internal.client;

import io.ably.api.PresenceGetParams;
import io.ably.api.RealtimePresence;
import io.ably.api.Subscription;
import io.ably.api.internal.Checks;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.engine.internal.ClientStage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The engine's {@link RealtimePresence}: a thread-safe facade that hands each call to the
 * channel's {@link ChannelPresence} on the loop and reads the published sync flag.
 */
final class RealPresence implements RealtimePresence {
  private final RealChannel channel;
  private final LoopGate gate;
  private final ChannelCore core;

  RealPresence(RealChannel channel, LoopGate gate, ChannelCore core) {
    this.channel = channel;
    this.gate = gate;
    this.core = core;
  }

  @Override
  public CompletionStage<Void> enter(MessageData data) {
    return send(PresenceAction.ENTER, null, data);
  }

  @Override
  public CompletionStage<Void> update(MessageData data) {
    return send(PresenceAction.UPDATE, null, data);
  }

  @Override
  public CompletionStage<Void> leave(MessageData data) {
    return send(PresenceAction.LEAVE, null, data);
  }

  @Override
  public CompletionStage<Void> enterClient(String clientId, MessageData data) {
    Checks.notNull(clientId, "clientId");
    return send(PresenceAction.ENTER, clientId, data);
  }

  @Override
  public CompletionStage<Void> updateClient(String clientId, MessageData data) {
    Checks.notNull(clientId, "clientId");
    return send(PresenceAction.UPDATE, clientId, data);
  }

  @Override
  public CompletionStage<Void> leaveClient(String clientId, MessageData data) {
    Checks.notNull(clientId, "clientId");
    return send(PresenceAction.LEAVE, clientId, data);
  }

  /** RTP8c: the own forms send no clientId; the service takes the connection's. */
  private CompletionStage<Void> send(PresenceAction action, String clientId, MessageData data) {
    PresenceMessage m = PresenceMessage.of(action, clientId, data);
    ClientStage<PublishResult> stage = gate.newStage();
    channel.onLoop(c -> c.presence.publish(m, clientId == null, stage), stage);
    return stage.thenApply(r -> null);
  }

  @Override
  public CompletionStage<List<PresenceMessage>> get() {
    return get(PresenceGetParams.DEFAULT);
  }

  @Override
  public CompletionStage<List<PresenceMessage>> get(PresenceGetParams params) {
    Checks.notNull(params, "params");
    ClientStage<List<PresenceMessage>> stage = gate.newStage();
    channel.onLoop(c -> c.presence.get(params, stage), stage);
    return stage;
  }

  @Override
  public Subscription subscribe(Consumer<? super PresenceMessage> listener) {
    return subscribe((Set<PresenceAction>) null, listener);
  }

  @Override
  public Subscription subscribe(PresenceAction action, Consumer<? super PresenceMessage> listener) {
    Checks.notNull(action, "action");
    return subscribe(EnumSet.of(action), listener);
  }

  @Override
  public Subscription subscribe(Set<PresenceAction> actions, Consumer<? super PresenceMessage> listener) {
    Checks.notNull(listener, "listener");
    Set<PresenceAction> wanted = null;
    if (actions != null) {
      Checks.check(!actions.isEmpty(), "actions must not be empty");
      wanted = Set.copyOf(actions);
    }
    ChannelPresence.Listener l = new ChannelPresence.Listener(wanted, listener);
    channel.onLoop(c -> c.presence.addListener(l), null);
    return () -> gate.execute(() -> core.presence.removeListener(l));
  }

  @Override
  public boolean syncComplete() {
    return core.published.presenceSynced();
  }

  @Override
  public String toString() {
    return "RealtimePresence[" + core.name + "]";
  }

  @Override
  public CompletionStage<PaginatedResult<PresenceMessage>> history(HistoryParams params) {
    Checks.notNull(params, "params");
    return channel.presenceHistory(params); // RTP12
  }
}
