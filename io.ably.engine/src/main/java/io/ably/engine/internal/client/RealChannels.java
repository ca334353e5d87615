package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ChannelOptions;
import io.ably.api.Channels;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.Subscription;
import io.ably.api.internal.Checks;
import io.ably.api.state.ChannelState;
import io.ably.engine.internal.ChannelDirectory;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.rest.RealRest;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** The engine's {@link Channels}: a lock-free directory of channel facades. Thread-safe. */
final class RealChannels implements Channels {
  private final LoopGate gate;
  private final RealtimeConductor conductor;
  private final String clientName;
  private final ChannelDirectory<RealChannel> directory;
  /** The client's REST operations, for channel history (RTL10). */
  private final RealRest rest;
  /** The persistent subscriptions, or null; set once while the client is created. */
  private SubscriptionPersistence persistence;

  RealChannels(LoopGate gate, RealtimeConductor conductor, String clientName, ChannelDirectory<RealChannel> directory) {
    this(gate, conductor, clientName, directory, null);
  }

  RealChannels(
      LoopGate gate, RealtimeConductor conductor, String clientName,
      ChannelDirectory<RealChannel> directory, RealRest rest) {
    this.rest = rest;
    this.gate = gate;
    this.conductor = conductor;
    this.clientName = clientName;
    this.directory = directory;
  }

  @Override
  public Channel get(String name) {
    checkName(name);
    RealChannel existing = directory.get(name);
    return existing != null ? existing : created(directory.getOrCreate(name, n -> create(n, ChannelOptions.defaults())));
  }

  /** Has the loop adopt a channel at once, so listeners hear of its creation. */
  private RealChannel created(RealChannel channel) {
    gate.execute(() -> conductor.adopt(channel.core));
    return channel;
  }

  @Override
  public Channel get(String name, ChannelOptions options) {
    checkName(name);
    Checks.notNull(options, "options");
    RealChannel existing = directory.get(name);
    if (existing == null) {
      RealChannel[] created = new RealChannel[1];
      RealChannel c = created(directory.getOrCreate(name, n -> created[0] = create(n, options)));
      if (c == created[0]) {
        return c;
      }
      existing = c; // another thread created it first: apply the options as to an existing one
    }
    ChannelState s = existing.state();
    if ((s == ChannelState.ATTACHED || s == ChannelState.ATTACHING)
        && options.changesAttachment(existing.options())) {
      // RTS3c1: new params or modes need a new ATTACH, which get() must not do implicitly
      throw new AblyException(
          ErrorInfo.of(
              ErrorCode.BAD_REQUEST,
              "channels.get(\"" + name + "\", options) would change the params or modes of an "
                  + s + " channel; detach it first, or release it"));
    }
    RealChannel target = existing;
    gate.execute(() -> target.core.setOptions(options));
    return existing;
  }

  private RealChannel create(String name, ChannelOptions options) {
    ChannelCore core = new ChannelCore(conductor, name, options);
    RealChannel channel = new RealChannel(gate, conductor, clientName, core, rest);
    if (persistence != null) {
      persistence.adopt(core); // before the channel is published to the loop
      channel.persistence(persistence);
    }
    return channel;
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new AblyException(ErrorInfo.of(ErrorCode.INVALID_CHANNEL_NAME, "a channel name must not be empty"));
    }
  }

  @Override
  public boolean exists(String name) {
    return name != null && directory.get(name) != null;
  }

  @Override
  public CompletionStage<Void> release(String name) {
    ClientStage<Void> stage = gate.newStage();
    RealChannel c = name == null ? null : directory.get(name);
    if (c == null) {
      stage.succeed(null);
      return stage;
    }
    gate.execute(() -> conductor.release(c.core, () -> directory.remove(name, c), stage), stage);
    return stage;
  }

  @Override
  public Subscription onCreated(Consumer<Channel> listener) {
    Checks.notNull(listener, "listener");
    Consumer<Channel> registered = channel -> listener.accept(channel); // one per call
    gate.execute(() -> conductor.channelListeners(true).add(registered));
    return () -> gate.execute(() -> conductor.channelListeners(true).remove(registered));
  }

  @Override
  public Subscription onReleased(Consumer<Channel> listener) {
    Checks.notNull(listener, "listener");
    Consumer<Channel> registered = channel -> listener.accept(channel);
    gate.execute(() -> conductor.channelListeners(false).add(registered));
    return () -> gate.execute(() -> conductor.channelListeners(false).remove(registered));
  }

  @Override
  public Iterator<Channel> iterator() {
    return List.<Channel>copyOf(directory.all()).iterator();
  }

  /** Sets the persistent subscriptions, while the client is created, before any channel. */
  void persistence(SubscriptionPersistence p) {
    this.persistence = p;
  }
}
