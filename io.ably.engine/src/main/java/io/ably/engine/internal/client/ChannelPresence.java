package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.PresenceGetParams;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.presence.PresenceMap;
import io.ably.wire.PayloadEncoder;
import io.ably.wire.ProtocolMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The presence of one channel on the loop: its {@link PresenceMap} fed by PRESENCE and SYNC, the
 * events delivered to presence listeners, {@code get} calls waiting for the sync (RTP11a), and
 * presence actions waiting for the channel to attach (RTP16b). Owned by its {@link ChannelCore};
 * every method runs on the client's event loop.
 */
@EventLoopConfined
final class ChannelPresence {
  private final ChannelCore core;
  private final ChannelContext ctx;
  private final PresenceMap map = new PresenceMap();
  /** Listeners, replaced (never mutated) so a dispatched delivery keeps the set it saw. */
  private Listener[] listeners = new Listener[0];
  /** get() calls waiting for the end of the sync (RTP11a). */
  private final List<Waiter> gets = new ArrayList<>();
  /** Presence actions waiting for ATTACHED (RTP16b). */
  private final List<Queued> queued = new ArrayList<>();
  /** This connection's own members, by clientId only (RTP17, RTP17h), for re-entry (RTP17i). */
  private final Map<String, PresenceMessage> own = new LinkedHashMap<>();

  /** One subscribe() call: the actions it wants (null: all) and its listener. */
  record Listener(Set<PresenceAction> actions, Consumer<? super PresenceMessage> listener) {}

  private record Waiter(PresenceGetParams params, ClientStage<List<PresenceMessage>> stage) {}

  private record Queued(PresenceMessage message, ClientStage<PublishResult> stage) {}

  ChannelPresence(ChannelCore core, ChannelContext ctx) {
    this.core = core;
    this.ctx = ctx;
  }

  // ---- inbound ----

  /** A PRESENCE protocol message (RTP2). */
  void onPresence(ProtocolMessage pm) {
    List<PresenceMessage> messages = decode(pm);
    remember(messages);
    deliver(map.onPresence(messages));
    changed();
  }

  /** A SYNC protocol message (RTP18). */
  void onSync(ProtocolMessage pm) {
    List<PresenceMessage> messages = decode(pm);
    remember(messages);
    deliver(map.onSync(pm.channelSerial(), messages, System.currentTimeMillis()));
    changed();
  }

  /** ATTACHED with HAS_PRESENCE: a sync follows (RTP1). */
  void startSync() {
    map.startSync();
    changed();
  }

  /** ATTACHED without HAS_PRESENCE: every member leaves (RTP19a). */
  void attachedWithoutPresence() {
    deliver(map.leaveAll(System.currentTimeMillis()));
    changed();
  }

  /** DETACHED or FAILED: the set is emptied without events (RTP5a). */
  void clear() {
    map.clear();
    own.clear();
    core.published.presence(0, 0);
    changed();
  }

  /**
   * The channel entered a state, or was updated while ATTACHED: re-enter its own members (RTP17i),
   * send, or fail, what waited for it (RTP16, RTP5, RTP11d).
   */
  void channelState(ChannelStateChange change) {
    ChannelState state = change.current();
    switch (state) {
      case ATTACHED -> {
        if (!change.resumed()) {
          reenter();
        }
        List<Queued> send = List.copyOf(queued);
        queued.clear();
        for (Queued q : send) {
          ctx.publishPresence(core, List.of(q.message()), q.stage()); // RTP16b
        }
      }
      case SUSPENDED, DETACHED, FAILED -> {
        ErrorInfo error = ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID,
            "channel " + core.name + " became " + state + " before the presence action was sent");
        failQueued(error); // RTP5a, RTP5f, RTP16
        if (state == ChannelState.SUSPENDED) {
          failGets(ErrorInfo.of(ErrorCode.PRESENCE_OUT_OF_SYNC,
              "channel " + core.name + " is SUSPENDED: presence may be out of sync"), true); // RTP11d
        } else {
          failGets(ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID,
              "channel " + core.name + " is " + state), false);
        }
      }
      default -> {
        // INITIALIZED, ATTACHING, DETACHING: what waits keeps waiting
      }
    }
  }

  // ---- user operations ----

  /** RTP8, RTP9, RTP10, RTP14, RTP15: one presence action; {@code ownClientId} for the client's own id. */
  void publish(PresenceMessage action, boolean ownClientId, ClientStage<PublishResult> stage) {
    PresenceMessage message = action;
    if (ownClientId) {
      String clientId = ctx.clientId();
      if (clientId == null || "*".equals(clientId)) { // RTP8j
        fail(stage, ErrorInfo.of(ErrorCode.PRESENCE_CLIENT_ID_REQUIRED,
            "presence " + message.action() + " needs a clientId: set one in ClientOptions, or use the"
                + " *Client methods with a key that allows any clientId"));
        return;
      }
    }
    if (message.action() == PresenceAction.LEAVE && message.data() == null) {
      // RTP10a: leaving without data leaves with the member's latest data, if this connection knows it
      PresenceMessage entered = own.get(ownClientId ? ctx.clientId() : message.clientId());
      if (entered != null && entered.data() != null) {
        message = new PresenceMessage(null, PresenceAction.LEAVE, message.clientId(), null,
            entered.data(), null, message.extras(), 0);
      }
    }
    switch (core.state()) {
      case ATTACHED -> ctx.publishPresence(core, List.of(message), stage); // RTP16a
      case INITIALIZED -> { // RTP8d, RTP16b
        queued.add(new Queued(message, stage));
        core.attach(null);
      }
      case ATTACHING -> queued.add(new Queued(message, stage)); // RTP16b
      default -> fail(stage, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID,
          "cannot send presence: channel " + core.name + " is " + core.state())); // RTP16c
    }
  }

  /** RTP11: the members, now or once synced. */
  void get(PresenceGetParams params, ClientStage<List<PresenceMessage>> stage) {
    ChannelState s = core.state();
    if (s == ChannelState.DETACHED || s == ChannelState.FAILED) {
      fail(stage, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID,
          "cannot get presence: channel " + core.name + " is " + s));
      return;
    }
    if (s == ChannelState.SUSPENDED && params.waitForSync()) { // RTP11d
      fail(stage, ErrorInfo.of(ErrorCode.PRESENCE_OUT_OF_SYNC,
          "channel " + core.name + " is SUSPENDED: presence may be out of sync"));
      return;
    }
    if (s == ChannelState.INITIALIZED) {
      core.attach(null); // RTP11b
    }
    if (!params.waitForSync() || map.syncComplete()) {
      List<PresenceMessage> members = filter(params);
      ctx.callbacks().dispatch("presence get stage", () -> stage.succeed(members));
    } else {
      gets.add(new Waiter(params, stage));
    }
  }

  void addListener(Listener l) {
    Listener[] next = Arrays.copyOf(listeners, listeners.length + 1);
    next[listeners.length] = l;
    listeners = next;
    core.attachForSubscribe(); // RTP6d
  }

  void removeListener(Listener l) {
    List<Listener> all = new ArrayList<>(List.of(listeners));
    if (all.remove(l)) {
      listeners = all.toArray(new Listener[0]);
    }
  }

  /** The channel is being released: fail what waits, drop the listeners. */
  void released() {
    ErrorInfo gone = ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "channel " + core.name + " was released");
    failQueued(gone);
    failGets(gone, false);
    listeners = new Listener[0];
  }

  // ---- internals ----

  /**
   * RTP17b: ENTER, UPDATE and PRESENT of this connection, and its LEAVEs that are not synthesised,
   * update the own members (in arrival order: the service sends a connection its own events in
   * order).
   */
  private void remember(List<PresenceMessage> messages) {
    String connectionId = ctx.connectionId();
    if (connectionId == null) {
      return;
    }
    for (PresenceMessage m : messages) {
      if (!connectionId.equals(m.connectionId()) || m.clientId() == null) {
        continue;
      }
      switch (m.action()) {
        case ENTER, UPDATE, PRESENT -> own.put(m.clientId(), m);
        case LEAVE -> {
          if (m.id() != null && m.id().startsWith(connectionId + ":")) {
            own.remove(m.clientId());
          }
        }
        default -> {
          // ABSENT is never sent
        }
      }
    }
  }

  /**
   * RTP17i: on ATTACHED without RESUMED, enters every own member again with its data, and its id
   * if the connection is the same (RTP17g, RTP17g1); a failure is reported as an UPDATE with 91004
   * (RTP17e).
   */
  private void reenter() {
    String connectionId = ctx.connectionId();
    for (PresenceMessage m : List.copyOf(own.values())) {
      String id = connectionId != null && connectionId.equals(m.connectionId()) ? m.id() : null;
      PresenceMessage enter =
          new PresenceMessage(id, PresenceAction.ENTER, m.clientId(), null, m.data(), null, m.extras(), 0);
      ClientStage<PublishResult> stage = ctx.callbacks().newStage();
      stage.whenComplete(
          (ok, failure) -> {
            if (failure != null) {
              ErrorInfo cause = failure instanceof AblyException a ? a.errorInfo() : null;
              ErrorInfo error = ErrorInfo.of(ErrorCode.PRESENCE_REENTER_FAILED,
                  "automatic re-entry of " + m.clientId() + " on " + core.name + " failed: "
                      + (cause != null ? cause.message() : String.valueOf(failure)));
              ctx.execute(() -> core.reentryFailed(error));
            }
          });
      ctx.publishPresence(core, List.of(enter), stage);
    }
  }

  private List<PresenceMessage> decode(ProtocolMessage pm) {
    List<PresenceMessage> wire =
        PresenceMap.inherit(pm.id(), pm.connectionId(),
            pm.timestampMillis() == null ? 0 : pm.timestampMillis(), pm.presence()); // TP3a, TP3d, TP3g
    List<PresenceMessage> out = new ArrayList<>(wire.size());
    for (PresenceMessage m : wire) {
      PayloadEncoder.Decoded<PresenceMessage> d = PayloadEncoder.decode(m, core.cipher());
      if (!d.complete()) {
        ctx.logWarning("presence message " + m.id() + " on " + core.name + " not fully decoded: "
            + d.error().errorInfo(), null);
      }
      out.add(d.message());
    }
    return out;
  }

  private void changed() {
    core.published.presenceSynced(map.syncComplete());
    if (map.syncComplete() && !gets.isEmpty()) {
      List<Waiter> ready = List.copyOf(gets);
      gets.clear();
      for (Waiter w : ready) {
        List<PresenceMessage> members = filter(w.params());
        ctx.callbacks().dispatch("presence get stage", () -> w.stage().succeed(members));
      }
    }
  }

  private List<PresenceMessage> filter(PresenceGetParams params) {
    List<PresenceMessage> out = new ArrayList<>();
    for (PresenceMessage m : map.members()) {
      if ((params.clientId() == null || params.clientId().equals(m.clientId()))
          && (params.connectionId() == null || params.connectionId().equals(m.connectionId()))) {
        out.add(m);
      }
    }
    return List.copyOf(out);
  }

  private void deliver(List<PresenceMessage> events) {
    core.published.presence(events.size(), map.size());
    Listener[] ls = listeners;
    if (events.isEmpty() || ls.length == 0) {
      return;
    }
    ctx.callbacks().dispatch(
        "presence listener of " + core.name,
        () -> {
          for (PresenceMessage m : events) {
            for (Listener l : ls) {
              try {
                if (l.actions() == null || l.actions().contains(m.action())) {
                  l.listener().accept(m);
                }
              } catch (RuntimeException e) {
                core.published.listenerError();
                ctx.counters().listenerError();
                ctx.logWarning("presence listener of " + core.name + " threw", e);
              }
            }
          }
        });
  }

  private void failQueued(ErrorInfo error) {
    List<Queued> failed = List.copyOf(queued);
    queued.clear();
    for (Queued q : failed) {
      fail(q.stage(), error);
    }
  }

  private void failGets(ErrorInfo error, boolean onlyWaiting) {
    List<Waiter> failed = new ArrayList<>();
    for (Waiter w : gets) {
      if (!onlyWaiting || w.params().waitForSync()) {
        failed.add(w);
      }
    }
    gets.removeAll(failed);
    for (Waiter w : failed) {
      fail(w.stage(), error);
    }
  }

  private void fail(ClientStage<?> stage, ErrorInfo error) {
    AblyException e = new AblyException(error);
    ctx.callbacks().dispatch("presence stage", () -> stage.fail(e));
  }
}
