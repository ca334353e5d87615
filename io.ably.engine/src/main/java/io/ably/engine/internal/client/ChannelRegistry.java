package io.ably.engine.internal.client;

import io.ably.api.Channel;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.wire.ProtocolMessage;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client's channels as the loop knows them: adopted by name, told of every connection state
 * change that concerns them (RTL3), handed their inbound protocol messages, and the listeners of
 * channels created and released. A channelSerial from a recovery key is given to the first
 * channel of its name only (RTN16j). One of the conductor's parts; loop-confined.
 */
@EventLoopConfined
final class ChannelRegistry {
  private final CallbackDispatcher callbacks;
  private final Counters counters;
  private final ClientLog log;
  /** Channels adopted on the loop, by name. */
  private final Map<String, ChannelCore> channels = new LinkedHashMap<>();
  /** Channel serials from the recovery key not yet used (RTN16j); each is used once. */
  private final Map<String, String> recoveredSerials;
  /** Listeners told of channels created and released (Channels.onCreated / onReleased). */
  private final List<Consumer<Channel>> createdListeners = new ArrayList<>();
  private final List<Consumer<Channel>> releasedListeners = new ArrayList<>();

  ChannelRegistry(CallbackDispatcher callbacks, Counters counters, ClientLog log, Map<String, String> recoveredSerials) {
    this.callbacks = callbacks;
    this.counters = counters;
    this.log = log;
    this.recoveredSerials = new HashMap<>(recoveredSerials);
  }

  /** Adopts a channel created on a user thread; false if it was released. */
  boolean adopt(ChannelCore core, ConnectionState connection) {
    if (core.registered) {
      return channels.get(core.name) == core;
    }
    core.register(connection, recoveredSerials.remove(core.name));
    channels.put(core.name, core);
    counters.channels(channels.size());
    tell(createdListeners, core, "channel created listener");
    return true;
  }

  /** Forgets a released channel and tells the listeners. */
  void remove(ChannelCore core) {
    if (channels.get(core.name) == core) {
      channels.remove(core.name);
      counters.channels(channels.size());
    }
    tell(releasedListeners, core, "channel released listener");
  }

  /** The listeners of channel creation ({@code true}) or release. */
  List<Consumer<Channel>> listeners(boolean created) {
    return created ? createdListeners : releasedListeners;
  }

  private void tell(List<Consumer<Channel>> listeners, ChannelCore core, String what) {
    Channel channel = core.facade;
    for (Consumer<Channel> l : List.copyOf(listeners)) {
      callbacks.dispatch(what, () -> l.accept(channel));
    }
  }

  /** RTL3: every channel follows the connection into {@code state}. */
  void connectionState(ConnectionState state, ErrorInfo reason) {
    for (ChannelCore c : List.copyOf(channels.values())) {
      c.onConnectionState(state, reason);
    }
  }

  /** RTN11d: every channel starts afresh. */
  void reinitialize() {
    for (ChannelCore c : List.copyOf(channels.values())) {
      c.reinitialize();
    }
  }

  /** A protocol message for one channel. */
  void onChannelMessage(ProtocolMessage pm) {
    ChannelCore core = pm.channel() == null ? null : channels.get(pm.channel());
    if (core == null) {
      log.log(Level.DEBUG, () -> pm.action() + " for unknown channel " + pm.channel() + " ignored");
      return;
    }
    switch (pm.action()) {
      case ATTACHED -> core.onAttached(pm);
      case DETACHED -> core.onDetached(pm);
      case MESSAGE -> core.onMessages(pm);
      case PRESENCE -> core.onPresence(pm);
      case SYNC -> core.onSync(pm);
      case ERROR -> core.onError(pm.error() != null ? pm.error()
          : ErrorInfo.of(ErrorCode.CHANNEL_OPERATION_FAILED, "channel error without a reason"));
      default -> log.log(Level.DEBUG, () -> pm.action() + " for " + pm.channel() + " not handled yet");
    }
  }
}
