package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.wire.PayloadEncoder;
import java.util.LinkedHashMap;
import java.util.function.Supplier;
import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.PublishedState;
import io.ably.engine.internal.connection.ConnectKey;
import io.ably.engine.internal.connection.ConnectionConfig;
import io.ably.engine.internal.connection.ConnectionEffect;
import io.ably.engine.internal.connection.ConnectionSignal;
import io.ably.engine.internal.connection.ConnectionStateMachine;
import io.ably.engine.internal.connection.MachineState;
import io.ably.engine.internal.connection.TimerKind;
import io.ably.engine.internal.connection.Transition;
import io.ably.engine.internal.transport.ConnectionUrl;
import io.ably.engine.internal.transport.ConnectivityCheck;
import io.ably.engine.internal.transport.TransportFailure;
import io.ably.engine.internal.transport.TransportListener;
import io.ably.engine.internal.transport.WebSocketTransport;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.RecoveryKey;
import io.ably.wire.WireFormat;
import io.ably.wire.WireFormatException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The loop-owned root of one client: feeds the pure {@link ConnectionStateMachine} with signals
 * from the transport, timers and the user, and carries out the effects it returns, in order. Every
 * method runs on the client's event loop; other threads reach it by scheduling a task there.
 */
@EventLoopConfined
final class RealtimeConductor implements TransportListener {
  private final EventLoop loop;
  private final ClientOptions options;
  private final ConnectionStateMachine machine;
  private final PublishedState publishedState;
  private final CallbackDispatcher callbacks;
  private final SslContext ssl;
  private final LongSupplier nanoClock;
  private final ConnectionUrl.Credential credential;
  private final WireFormat format;
  /** The machine's state: replaced on every transition. */
  private MachineState state;
  /** The transport of the current attempt, or null. */
  private WebSocketTransport transport;
  /** The machine's id of {@link #transport}. */
  private long transportId = -1;
  /** Armed timers by kind, with the machine's id and delay. */
  private final Map<TimerKind, Timer> timers = new EnumMap<>(TimerKind.class);
  /** Time of the last frame received, for the sliding idle timer (RTN23a). */
  private long lastActivityNanos;
  /** State-change listeners, in registration order. */
  private final List<Consumer<ConnectionStateChange>> listeners = new ArrayList<>();
  /** The change that last entered each state, for whenState. */
  private final Map<ConnectionState, ConnectionStateChange> lastEntered = new EnumMap<>(ConnectionState.class);
  /** Stages waiting for a state. */
  private final List<Waiter> waiters = new ArrayList<>();
  /** Group number of the next waiter. */
  private long nextWaiterGroup;
  /** Pings sent and not yet echoed, by id. */
  private final Map<String, Ping> pings = new HashMap<>();
  /** Pings asked for while connecting or disconnected, sent once connected (RTN13d). */
  private final List<CompletableFuture<Duration>> deferredPings = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom();
  private final Counters counters;
  private final ClientLog log;
  /** The id of the connection before the current attempt, to tell a resume from a new one. */
  private String lastConnectionId;
  /** Listeners told of channels created and released (Channels.onCreated / onReleased). */
  private final List<Consumer<Channel>> createdListeners = new ArrayList<>();
  private final List<Consumer<Channel>> releasedListeners = new ArrayList<>();
  /** Channels adopted on the loop, by name. */
  private final Map<String, ChannelCore> channels = new LinkedHashMap<>();
  /** Publishes waiting for an ACK/NACK or for the connection. */
  private final PublishQueue<Pending> queue = new PublishQueue<>();
  /** The largest message the service accepts (CD2c, TO3l8). */
  private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  /** Channel serials from the recovery key (RTN16j); immutable, read by user threads. */
  private final Map<String, String> recoveredSerials;

  static final long DEFAULT_MAX_MESSAGE_SIZE = 65536;

  /** What a queued publish stands for. */
  private record Pending(ChannelCore channel, CompletableFuture<PublishResult> stage) {}

  private record Timer(long id, long delayNanos, ScheduledFuture<?> future) {}

  /** A stage waiting for a state; waiters of one group (a close) complete together. */
  private record Waiter(ConnectionState state, CompletableFuture<ConnectionStateChange> stage, long group) {}

  private record Ping(long sentNanos, CompletableFuture<Duration> result, ScheduledFuture<?> timeout) {}

  RealtimeConductor(
      EventLoop loop, ClientOptions options, PublishedState published,
      CallbackDispatcher callbacks, SslContext ssl, LongSupplier nanoClock, Counters counters,
      ClientLog log) {
    this.loop = loop;
    this.log = log;
    this.counters = counters;
    this.options = options;
    this.publishedState = published;
    this.callbacks = callbacks;
    this.ssl = ssl;
    this.nanoClock = nanoClock;
    this.machine = new ConnectionStateMachine(ConnectionConfig.from(options), new SplittableRandom());
    this.format = options.useBinaryProtocol() ? WireFormat.MSGPACK : WireFormat.JSON;
    this.credential =
        options.key() != null
            ? new ConnectionUrl.KeyCredential(options.key())
            : options.token() != null ? new ConnectionUrl.TokenCredential(options.token()) : null;
    String recoverKey = null;
    Map<String, String> serials = Map.of();
    if (options.recover() != null) {
      RecoveryKey parsed = RecoveryKey.parse(options.recover());
      if (parsed == null) {
        log.log(Level.WARNING, () -> "the recover option is not a recovery key; connecting afresh (RTN16f1)");
      } else {
        recoverKey = parsed.connectionKey();
        serials = parsed.channelSerials(); // RTN16j
        queue.startAt(parsed.msgSerial()); // RTN16f
        published.msgSerial(parsed.msgSerial());
      }
    }
    this.recoveredSerials = Map.copyOf(serials);
    this.state = machine.initialState(recoverKey);
    lastEntered.put(
        ConnectionState.INITIALIZED,
        new ConnectionStateChange(
            ConnectionState.INITIALIZED, ConnectionState.INITIALIZED, ConnectionEvent.INITIALIZED, null, null));
  }

  // ---------------------------------------------------------------------------------------
  // User operations (scheduled on the loop by RealConnection)
  // ---------------------------------------------------------------------------------------

  void connect() {
    signal(new ConnectionSignal.Connect(nanoClock.getAsLong()));
  }

  void close(CompletableFuture<Void> closed) {
    assert loop.inEventLoop();
    if (state.state() == ConnectionState.CLOSED) {
      callbacks.dispatch("close stage", () -> closed.complete(null));
      return;
    }
    if (state.state() == ConnectionState.FAILED) {
      // Nothing to close (RTN12): the stage reports why the connection is not usable.
      AblyException failed = new AblyException(reasonOr(lastEntered.get(ConnectionState.FAILED), ErrorCode.CONNECTION_FAILED));
      callbacks.dispatch("close stage", () -> closed.completeExceptionally(failed));
      return;
    }
    CompletableFuture<ConnectionStateChange> ended = new CompletableFuture<>();
    long group = nextWaiterGroup++;
    waiters.add(new Waiter(ConnectionState.CLOSED, ended, group));
    waiters.add(new Waiter(ConnectionState.FAILED, ended, group));
    ended.whenComplete(
        (change, e) -> {
          if (change != null && change.current() == ConnectionState.FAILED) {
            closed.completeExceptionally(new AblyException(reasonOr(change, ErrorCode.CONNECTION_FAILED)));
          } else {
            closed.complete(null);
          }
        });
    signal(new ConnectionSignal.Close(nanoClock.getAsLong()));
  }

  void addListener(Consumer<ConnectionStateChange> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<ConnectionStateChange> listener) {
    listeners.remove(listener);
  }

  void whenState(ConnectionState wanted, CompletableFuture<ConnectionStateChange> stage) {
    if (state.state() == wanted) {
      ConnectionStateChange change = lastEntered.get(wanted);
      callbacks.dispatch("whenState stage", () -> stage.complete(change));
    } else {
      waiters.add(new Waiter(wanted, stage, nextWaiterGroup++));
    }
  }

  /** RTN13: a HEARTBEAT with a random id, answered by the echo with the same id. */
  void ping(CompletableFuture<Duration> result) {
    ConnectionState s = state.state();
    if (s == ConnectionState.CONNECTED) {
      sendPing(result);
    } else if (s == ConnectionState.CONNECTING || s == ConnectionState.DISCONNECTED) {
      deferredPings.add(result); // RTN13d
    } else {
      ErrorInfo error = stateError(s);
      callbacks.dispatch("ping stage", () -> result.completeExceptionally(new AblyException(error)));
    }
  }

  private void sendPing(CompletableFuture<Duration> result) {
    if (transport == null || !transport.isOpen()) {
      ErrorInfo e = stateError(ConnectionState.DISCONNECTED);
      callbacks.dispatch("ping stage", () -> result.completeExceptionally(new AblyException(e)));
      return;
    }
    String id = Long.toHexString(random.nextLong());
    long sent = nanoClock.getAsLong();
    ScheduledFuture<?> timeout =
        loop.schedule(
            () -> {
              Ping p = pings.remove(id);
              if (p != null) {
                ErrorInfo e = ErrorInfo.of(ErrorCode.TIMEOUT, "no answer to ping within " + options.realtimeRequestTimeout());
                callbacks.dispatch("ping stage", () -> p.result().completeExceptionally(new AblyException(e)));
              }
            },
            options.realtimeRequestTimeout().toNanos(),
            TimeUnit.NANOSECONDS);
    pings.put(id, new Ping(sent, result, timeout));
    transport.send(ProtocolMessage.builder(Action.HEARTBEAT).id(id).build());
  }

  private static ErrorInfo stateError(ConnectionState s) {
    return switch (s) {
      case SUSPENDED -> ErrorInfo.of(ErrorCode.CONNECTION_SUSPENDED, "connection is suspended");
      case CLOSING, CLOSED -> ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "connection is closed");
      case FAILED -> ErrorInfo.of(ErrorCode.CONNECTION_FAILED, "connection has failed");
      default -> ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "connection is not connected");
    };
  }


  // ---------------------------------------------------------------------------------------
  // Channels and publishing
  // ---------------------------------------------------------------------------------------

  ClientOptions options() {
    return options;
  }

  EventLoop loop() {
    return loop;
  }

  CallbackDispatcher callbacks() {
    return callbacks;
  }

  Counters counters() {
    return counters;
  }

  long now() {
    return nanoClock.getAsLong();
  }

  void log(Level level, Supplier<String> message) {
    log.log(level, message);
  }

  void logDebug(Supplier<String> message) {
    log.log(Level.DEBUG, message);
  }

  void logWarning(String message, Throwable thrown) {
    if (thrown == null) {
      log.log(Level.WARNING, () -> message);
    } else {
      log.log(Level.WARNING, () -> message, thrown);
    }
  }

  /** The channelSerial a recovery key gave for this channel, or null. Any thread. */
  String recoveredSerial(String name) {
    return recoveredSerials.get(name);
  }

  /** Adopts a channel created on a user thread; false if it was released. */
  boolean adopt(ChannelCore core) {
    if (core.registered) {
      return channels.get(core.name) == core;
    }
    core.register(state.state());
    channels.put(core.name, core);
    counters.channels(channels.size());
    tell(createdListeners, core, "channel created listener");
    return true;
  }

  /** The listeners of channel creation ({@code true}) or release; loop only. */
  List<Consumer<Channel>> channelListeners(boolean created) {
    return created ? createdListeners : releasedListeners;
  }

  private void tell(List<Consumer<Channel>> listeners, ChannelCore core, String what) {
    Channel channel = core.facade;
    for (Consumer<Channel> l : List.copyOf(listeners)) {
      callbacks.dispatch(what, () -> l.accept(channel));
    }
  }

  /** Sends a channel's ATTACH or DETACH if there is a transport; otherwise the machine resends later. */
  void sendIfConnected(ProtocolMessage pm) {
    if (transport != null && state.state() == ConnectionState.CONNECTED) {
      transport.send(pm);
    }
  }

  /** RTS4: detach (where it makes sense), then forget the channel. */
  void release(ChannelCore core, Runnable removeFromDirectory, CompletableFuture<Void> stage) {
    if (!adopt(core)) {
      removeFromDirectory.run();
      callbacks.dispatch("release stage", () -> stage.complete(null));
      return;
    }
    CompletableFuture<Void> detached = new CompletableFuture<>();
    ChannelState s = core.state();
    if (s == ChannelState.FAILED || s == ChannelState.INITIALIZED || s == ChannelState.DETACHED) {
      detached.complete(null);
    } else {
      core.detach(detached);
    }
    detached.whenComplete(
        (ok, e) ->
            loop.execute(
                () -> {
                  if (channels.get(core.name) == core) {
                    channels.remove(core.name);
                    counters.channels(channels.size());
                  }
                  failQueuedFor(core, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "channel " + core.name + " was released"));
                  core.released();
                  removeFromDirectory.run();
                  tell(releasedListeners, core, "channel released listener");
                  callbacks.dispatch("release stage", () -> stage.complete(null));
                }));
  }

  /** RTL6: publish one protocol message with one or more messages. */
  void publish(ChannelCore core, List<Message> messages, CompletableFuture<PublishResult> stage) {
    if (!adopt(core)) {
      refuse(stage, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "channel " + core.name + " was released"), core, messages.size());
      return;
    }
    ChannelState cs = core.state();
    if (cs == ChannelState.SUSPENDED || cs == ChannelState.FAILED) {
      refuse(stage, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID,
          "cannot publish: channel " + core.name + " is " + cs), core, messages.size()); // RTL6c4
      return;
    }
    ConnectionState s = state.state();
    boolean sendNow = s == ConnectionState.CONNECTED && transport != null;
    boolean queueIt =
        !sendNow
            && options.queueMessages()
            && (s == ConnectionState.INITIALIZED || s == ConnectionState.CONNECTING
                || s == ConnectionState.DISCONNECTED || s == ConnectionState.CONNECTED); // RTL6c2
    if (!sendNow && !queueIt) {
      refuse(stage, stateError(s), core, messages.size()); // RTL6c4
      return;
    }
    List<Message> wire = new ArrayList<>(messages.size());
    long size = 0;
    for (Message m : messages) {
      String own = options.clientId();
      if (m.clientId() != null && own != null && !"*".equals(own) && !own.equals(m.clientId())) {
        refuse(stage, ErrorInfo.of(ErrorCode.INVALID_CLIENT_ID,
            "message clientId " + m.clientId() + " does not match the client's " + own), core, messages.size()); // RTL6g3
        return;
      }
      Message encoded;
      try {
        encoded = PayloadEncoder.encode(m, core.cipher());
      } catch (AblyException e) {
        refuse(stage, e.errorInfo(), core, messages.size());
        return;
      }
      size += encoded.size();
      wire.add(encoded);
    }
    if (size > maxMessageSize) {
      refuse(stage, ErrorInfo.of(ErrorCode.MESSAGE_TOO_LARGE,
          "message size " + size + " exceeds the maximum of " + maxMessageSize + " bytes"), core, messages.size()); // RSL1i, TO3l8
      return;
    }
    PublishQueue.Entry<Pending> entry =
        new PublishQueue.Entry<>(core.name, List.copyOf(wire), new Pending(core, stage));
    if (sendNow) {
      transmit(queue.send(entry));
    } else {
      queue.queue(entry);
    }
    counters.pending(queue.pendingMessages());
  }

  private void transmit(PublishQueue.Entry<Pending> entry) {
    transport.send(entry.numbered());
    publishedState.msgSerial(queue.nextSerial());
    if (!entry.counted) {
      entry.counted = true;
      counters.published(entry.count);
      entry.owner.channel().published.published(entry.count);
    }
  }

  private void refuse(CompletableFuture<PublishResult> stage, ErrorInfo error, ChannelCore core, int count) {
    counters.pending(queue.pendingMessages());
    counters.refused(count);
    core.published.refused(count);
    AblyException failure = new AblyException(error);
    callbacks.dispatch("publish stage", () -> stage.completeExceptionally(failure));
  }

  /** Fails a channel's publishes still waiting for the connection (RTL6c4). */
  void failQueuedFor(ChannelCore core, ErrorInfo error) {
    for (PublishQueue.Entry<Pending> e : queue.removeQueued(p -> p.channel() == core)) {
      refuse(e.owner.stage(), error, core, e.count);
    }
  }

  private final PublishQueue.Outcome<Pending> outcome =
      new PublishQueue.Outcome<>() {
        @Override
        public void acknowledged(PublishQueue.Entry<Pending> entry, List<String> serials) {
          counters.pending(queue.pendingMessages()); // before the stage can be seen complete
          counters.acknowledged(entry.count);
          entry.owner.channel().published.acknowledged(entry.count);
          PublishResult result = new PublishResult(serials);
          CompletableFuture<PublishResult> stage = entry.owner.stage();
          callbacks.dispatch("publish stage", () -> stage.complete(result));
        }

        @Override
        public void refused(PublishQueue.Entry<Pending> entry, ErrorInfo error) {
          refuse(entry.owner.stage(), error, entry.owner.channel(), entry.count);
        }
      };

  private void onAck(ProtocolMessage pm, boolean ack) {
    if (pm.msgSerial() == null) {
      log.log(Level.WARNING, () -> pm.action() + " without msgSerial ignored");
      return;
    }
    int count = pm.count() == null ? 1 : pm.count();
    if (ack) {
      queue.ack(pm.msgSerial(), count, pm.res(), outcome);
    } else {
      ErrorInfo error = pm.error() != null ? pm.error()
          : ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "the service refused the message without a reason");
      queue.nack(pm.msgSerial(), count, error, outcome);
    }
  }

  private void onChannelMessage(ProtocolMessage pm) {
    ChannelCore core = pm.channel() == null ? null : channels.get(pm.channel());
    if (core == null) {
      log.log(Level.DEBUG, () -> pm.action() + " for unknown channel " + pm.channel() + " ignored");
      return;
    }
    switch (pm.action()) {
      case ATTACHED -> core.onAttached(pm);
      case DETACHED -> core.onDetached(pm);
      case MESSAGE -> core.onMessages(pm);
      case PRESENCE -> core.onChannelSerial(pm.channelSerial());
      case ERROR -> core.onError(pm.error() != null ? pm.error()
          : ErrorInfo.of(ErrorCode.CHANNEL_OPERATION_FAILED, "channel error without a reason"));
      default -> log.log(Level.DEBUG, () -> pm.action() + " for " + pm.channel() + " not handled yet");
    }
  }


  // ---------------------------------------------------------------------------------------
  // The machine
  // ---------------------------------------------------------------------------------------

  /** Applies a signal: new state, snapshot published, then the effects in order. */
  private void signal(ConnectionSignal s) {
    assert loop.inEventLoop();
    Transition t = machine.apply(state, s);
    state = t.next();
    publish();
    for (ConnectionEffect e : t.effects()) {
      apply(e);
    }
  }

  /** Feeds a signal later, never from inside an effect (the machine's contract). */
  private void signalLater(ConnectionSignal s) {
    loop.execute(() -> signal(s));
  }

  private void publish() {
    publishedState.publish(
        new PublishedState.Snapshot(
            state.state(), state.connectionId(), state.connectionKey(), state.errorReason(),
            state.recoverableConnectionKey()));
  }

  private void apply(ConnectionEffect e) {
    if (e instanceof ConnectionEffect.OpenTransport o) {
      openTransport(o);
    } else if (e instanceof ConnectionEffect.CloseTransport c) {
      if (transport != null && transportId == c.transportId()) {
        WebSocketTransport t = transport;
        transport = null;
        t.abort();
      }
    } else if (e instanceof ConnectionEffect.SendClose c) {
      if (transport != null && transportId == c.transportId()) {
        transport.send(ProtocolMessage.builder(Action.CLOSE).build());
      }
    } else if (e instanceof ConnectionEffect.CheckConnectivity c) {
      // RTN17j / REC3: is the network up at all before trying fallback hosts?
      ConnectivityCheck.start(
          loop, URI.create(options.connectivityCheckUrl()), ssl, options.proxy(),
          options.realtimeRequestTimeout(),
          online -> {
            log.log(Level.DEBUG, () -> "connectivity check: " + (online ? "online" : "offline"));
            signal(new ConnectionSignal.ConnectivityChecked(c.checkId(), online, nanoClock.getAsLong()));
          });
    } else if (e instanceof ConnectionEffect.StartTimer st) {
      startTimer(st.kind(), st.timerId(), st.delayNanos());
    } else if (e instanceof ConnectionEffect.CancelTimer ct) {
      Timer timer = timers.get(ct.kind());
      if (timer != null && timer.id() == ct.timerId()) {
        timers.remove(ct.kind());
        timer.future().cancel(false);
      }
    } else if (e instanceof ConnectionEffect.Emit em) {
      emit(em.change());
    } else if (e instanceof ConnectionEffect.Log l) {
      log.log(l.level(), l::message);
    } else if (e instanceof ConnectionEffect.ResetMsgSerial) {
      queue.resetSerial(); // RTN15c7
      publishedState.msgSerial(queue.nextSerial());
    } else if (e instanceof ConnectionEffect.ResendPending) {
      if (transport != null) {
        for (PublishQueue.Entry<Pending> entry : queue.resend()) {
          transmit(entry); // RTN19a
        }
      }
    } else if (e instanceof ConnectionEffect.FailPending f) {
      for (PublishQueue.Entry<Pending> entry : queue.drain()) {
        refuse(entry.owner.stage(), f.reason(), entry.owner.channel(), entry.count); // RTN7e, RTN7d
      }
    }
    // The channel effects (ReattachChannels, SuspendChannels, DetachChannels, FailChannels) are
    // carried out by feeding every connection state change to each channel's machine (RTL3).
  }

  private void openTransport(ConnectionEffect.OpenTransport o) {
    URI uri;
    try {
      ConnectionUrl.Continuation continuation =
          o.key() instanceof ConnectKey.Resume ? ConnectionUrl.Continuation.RESUME
              : o.key() instanceof ConnectKey.Recover ? ConnectionUrl.Continuation.RECOVER
                  : ConnectionUrl.Continuation.NONE;
      uri = ConnectionUrl.build(options, o.host(), credential, continuation, o.key().connectionKey());
    } catch (AblyException refused) {
      // 40103 / 40106: nothing to retry; the machine treats a connection-level error as fatal.
      signalLater(new ConnectionSignal.ErrorReceived(o.transportId(), refused.errorInfo(), nanoClock.getAsLong()));
      return;
    }
    transportId = o.transportId();
    lastActivityNanos = nanoClock.getAsLong();
    transport =
        WebSocketTransport.open(
            loop, uri, format, ssl, options.proxy(), options.realtimeRequestTimeout(), this, counters);
    counters.transportOpened();
  }

  private void startTimer(TimerKind kind, long id, long delayNanos) {
    Timer old = timers.remove(kind);
    if (old != null) {
      old.future().cancel(false);
    }
    ScheduledFuture<?> f = loop.schedule(() -> timerFired(kind, id), delayNanos, TimeUnit.NANOSECONDS);
    timers.put(kind, new Timer(id, delayNanos, f));
  }

  private void timerFired(TimerKind kind, long id) {
    Timer timer = timers.get(kind);
    if (timer == null || timer.id() != id) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (kind == TimerKind.IDLE) {
      // RTN23a, sliding: fire only after a whole idle window without any inbound frame.
      long quietFor = now - lastActivityNanos;
      if (quietFor < timer.delayNanos()) {
        long rest = timer.delayNanos() - quietFor;
        timers.put(kind, new Timer(id, timer.delayNanos(), loop.schedule(() -> timerFired(kind, id), rest, TimeUnit.NANOSECONDS)));
        return;
      }
    }
    timers.remove(kind);
    signal(new ConnectionSignal.TimerFired(kind, id, now));
  }

  private void emit(ConnectionStateChange change) {
    if (change.event() != ConnectionEvent.UPDATE) {
      lastEntered.put(change.current(), change);
      countContinuity(change.current());
    }
    if (change.current() == ConnectionState.CONNECTED && change.event() != ConnectionEvent.UPDATE) {
      List<CompletableFuture<Duration>> deferred = new ArrayList<>(deferredPings);
      deferredPings.clear();
      deferred.forEach(this::sendPing);
    } else if (change.current() != ConnectionState.CONNECTING
        && change.current() != ConnectionState.DISCONNECTED
        && change.current() != ConnectionState.CONNECTED) {
      failPings(stateError(change.current()));
    }
    for (Consumer<ConnectionStateChange> l : List.copyOf(listeners)) {
      callbacks.dispatch("connection state listener", () -> l.accept(change));
    }
    if (change.event() == ConnectionEvent.UPDATE) {
      return;
    }
    for (ChannelCore c : List.copyOf(channels.values())) {
      c.onConnectionState(change.current(), change.reason()); // RTL3
    }
    Set<Long> done = new HashSet<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.state() == change.current()) {
        it.remove();
        done.add(w.group());
        callbacks.dispatch("whenState stage", () -> w.stage().complete(change));
      }
    }
    // A close() waits for CLOSED or FAILED with one stage: drop its other waiter too.
    waiters.removeIf(w -> done.contains(w.group()));
  }

  /** Counts resumes (same id) and failed resumes (new id) of an established connection. */
  private void countContinuity(ConnectionState entered) {
    if (entered == ConnectionState.CONNECTED) {
      String id = state.connectionId();
      if (lastConnectionId != null) {
        if (lastConnectionId.equals(id)) {
          counters.resumed();
        } else {
          counters.resumeFailed();
        }
      }
      lastConnectionId = id;
    } else if (entered == ConnectionState.CLOSED || entered == ConnectionState.FAILED) {
      lastConnectionId = null; // a later connect() starts a new connection, not a resume
    }
  }

  private void failPings(ErrorInfo error) {
    List<CompletableFuture<Duration>> failed = new ArrayList<>(deferredPings);
    deferredPings.clear();
    for (Ping p : pings.values()) {
      p.timeout().cancel(false);
      failed.add(p.result());
    }
    pings.clear();
    for (CompletableFuture<Duration> f : failed) {
      callbacks.dispatch("ping stage", () -> f.completeExceptionally(new AblyException(error)));
    }
  }

  private static ErrorInfo reasonOr(ConnectionStateChange change, ErrorCode fallback) {
    return change.reason() != null ? change.reason() : ErrorInfo.of(fallback, "connection " + change.current());
  }

  // ---------------------------------------------------------------------------------------
  // Transport events
  // ---------------------------------------------------------------------------------------

  @Override
  public void onOpen(WebSocketTransport t) {
    // Nothing to do: the machine waits for CONNECTED (RTN14c counts from the attempt's start).
  }

  @Override
  public void onMessage(WebSocketTransport t, ProtocolMessage pm) {
    if (t != transport) {
      return;
    }
    long now = nanoClock.getAsLong();
    lastActivityNanos = now;
    switch (pm.action()) {
      case CONNECTED -> {
        if (pm.connectionDetails() != null && pm.connectionDetails().maxMessageSize() != null
            && pm.connectionDetails().maxMessageSize() > 0) {
          maxMessageSize = pm.connectionDetails().maxMessageSize();
        }
        String key = pm.connectionDetails() != null && pm.connectionDetails().connectionKey() != null
            ? pm.connectionDetails().connectionKey()
            : pm.connectionKey();
        signal(new ConnectionSignal.ConnectedReceived(
            transportId, pm.connectionId(), key, pm.connectionDetails(), pm.error(), now));
      }
      case DISCONNECTED -> signal(new ConnectionSignal.DisconnectedReceived(transportId, pm.error(), now));
      case CLOSED -> signal(new ConnectionSignal.ClosedReceived(transportId, pm.error(), now));
      case ERROR -> {
        if (pm.channel() == null) {
          signal(new ConnectionSignal.ErrorReceived(transportId, pm.error(), now));
        } else {
          onChannelMessage(pm); // RTL14
        }
      }
      case ACK -> onAck(pm, true);
      case NACK -> onAck(pm, false);
      case ATTACHED, DETACHED, MESSAGE, PRESENCE, SYNC -> onChannelMessage(pm);
      case HEARTBEAT -> {
        Ping p = pm.id() == null ? null : pings.remove(pm.id());
        if (p != null) {
          p.timeout().cancel(false);
          Duration rtt = Duration.ofNanos(now - p.sentNanos());
          counters.ping(rtt);
          callbacks.dispatch("ping stage", () -> p.result().complete(rtt));
        }
      }
      default -> log.log(Level.DEBUG, () -> pm.action() + " ignored");
    }
  }

  @Override
  public void onProtocolError(WebSocketTransport t, WireFormatException error) {
    if (t != transport) {
      return;
    }
    log.log(Level.WARNING, () -> "undecodable frame from the server, dropping the transport: " + error.errorInfo());
    transport = null;
    t.abort();
    signal(new ConnectionSignal.TransportFailed(transportId, error.errorInfo(), false, nanoClock.getAsLong()));
  }

  @Override
  public void onClosed(WebSocketTransport t, TransportFailure failure) {
    if (t != transport) {
      return; // closed by an effect, or superseded
    }
    transport = null;
    ErrorInfo error = failure != null ? failure.error()
        : ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "transport closed");
    boolean fallback = failure != null && failure.qualifiesForFallback();
    signal(new ConnectionSignal.TransportFailed(transportId, error, fallback, nanoClock.getAsLong()));
  }
}
