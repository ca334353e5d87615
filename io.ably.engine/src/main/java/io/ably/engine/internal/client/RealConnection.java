package io.ably.engine.internal.client;

import io.ably.api.Connection;
import io.ably.api.ErrorInfo;
import io.ably.api.Subscription;
import io.ably.api.internal.Checks;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.engine.internal.ChannelDirectory;
import io.ably.engine.internal.PublishedState;
import io.ably.wire.RecoveryKey;
import io.ably.engine.internal.ClientStage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The {@link Connection} users hold: getters read the published snapshot; operations schedule a
 * task on the client's loop and return at once. Thread-safe; holds no mutable state of its own.
 */
final class RealConnection implements Connection {
  private final LoopGate gate;
  private final RealtimeConductor conductor;
  private final PublishedState published;
  private final ChannelDirectory<RealChannel> channels;

  RealConnection(
      LoopGate gate, RealtimeConductor conductor, PublishedState published,
      ChannelDirectory<RealChannel> channels) {
    this.gate = gate;
    this.conductor = conductor;
    this.published = published;
    this.channels = channels;
  }

  @Override
  public ConnectionState state() {
    return published.get().state();
  }

  @Override
  public String id() {
    return published.get().connectionId();
  }

  @Override
  public String key() {
    return published.get().connectionKey();
  }

  @Override
  public ErrorInfo errorReason() {
    return published.get().errorReason();
  }

  @Override
  public Subscription onStateChange(Consumer<ConnectionStateChange> listener) {
    Checks.notNull(listener, "listener");
    // A distinct object per registration, so the same listener can be added twice and removed once.
    Consumer<ConnectionStateChange> registered = change -> listener.accept(change);
    gate.execute(() -> conductor.addListener(registered));
    return () -> gate.execute(() -> conductor.removeListener(registered));
  }

  @Override
  public CompletionStage<ConnectionStateChange> whenState(ConnectionState state) {
    Checks.notNull(state, "state");
    ClientStage<ConnectionStateChange> stage = gate.newStage();
    gate.execute(() -> conductor.whenState(state, stage), stage);
    return stage;
  }

  @Override
  public void connect() {
    gate.execute(conductor::connect);
  }

  @Override
  public CompletionStage<Void> close() {
    ClientStage<Void> closed = gate.newStage();
    gate.execute(() -> conductor.closeConnection(closed), closed);
    return closed;
  }

  @Override
  public CompletionStage<Duration> ping() {
    ClientStage<Duration> result = gate.newStage();
    gate.execute(() -> conductor.ping(result), result);
    return result;
  }

  @Override
  public Optional<String> createRecoveryKey() {
    // Built on demand from what the loop published; each value is the latest, read one by one.
    String key = published.get().recoverableConnectionKey();
    if (key == null) {
      return Optional.empty(); // RTN16g2
    }
    Map<String, String> serials = new LinkedHashMap<>();
    for (RealChannel c : channels.all()) {
      String serial = c.core.published.channelSerial();
      if (serial != null) {
        serials.put(c.name(), serial);
      }
    }
    return Optional.of(new RecoveryKey(key, published.msgSerial(), serials).toJson());
  }
}
