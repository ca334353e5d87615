package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.PublishedState;
import io.ably.engine.internal.rest.TokenSource;
import io.ably.engine.internal.connection.ConnectKey;
import io.ably.engine.internal.connection.ConnectionConfig;
import io.ably.engine.internal.connection.ConnectionEffect;
import io.ably.engine.internal.connection.ConnectionSignal;
import io.ably.engine.internal.connection.ConnectionStateMachine;
import io.ably.engine.internal.connection.MachineState;
import io.ably.engine.internal.connection.TimerKind;
import io.ably.engine.internal.connection.Transition;
import io.ably.engine.internal.transport.ConnectionUrl;
import io.ably.engine.internal.transport.Transport;
import io.ably.engine.internal.transport.TransportFailure;
import io.ably.engine.internal.transport.TransportListener;
import io.ably.api.auth.TokenDetails;
import io.ably.wire.Action;
import io.ably.wire.AuthDetails;
import io.ably.wire.ChannelCipher;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.RecoveryKey;
import io.ably.wire.WireFormatException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The loop-owned root of one client: feeds the pure {@link ConnectionStateMachine} with signals
 * from the transport, timers and the user, and carries out every effect it returns, in order. Its
 * other jobs are parts of their own: {@link Publisher} (publishing and acknowledgements),
 * {@link PingTracker}, {@link ChannelRegistry} (channels, RTL3 fan-out) and
 * {@link ConnectionNotifier} (listeners and waiters). Every method runs on the client's event
 * loop; other threads reach it through {@link LoopGate}.
 */
@EventLoopConfined
final class RealtimeConductor implements TransportListener, ChannelContext {
  private final EventLoop loop;
  private final ClientOptions options;
  private final ConnectionStateMachine machine;
  private final PublishedState publishedState;
  private final CallbackDispatcher callbacks;
  private final Network network;
  private final LongSupplier nanoClock;
  private final ConnectionUrl.Credential credential;
  /** The client's tokens with token auth (RSA4), else null: the connect URL takes a fresh one. */
  private final TokenSource tokens;
  /** authorize() calls waiting for the connection to take their token (RTC8a3), in order. */
  private final List<BiConsumer<TokenDetails, AblyException>> pendingAuthorize = new ArrayList<>();
  /** The token the pending authorize() calls wait for the connection to take. */
  private TokenDetails authorizing;
  private final Counters counters;
  private final ClientLog log;
  private final LoopGate gate;
  private final ConnectionNotifier notifier;
  private final PingTracker pings;
  private final Publisher publisher;
  private final ChannelRegistry channels;
  /** The clientId CONNECTED confirmed, with basic auth (RSA7b3), or null. */
  private String identifiedClientId;
  /** The machine's state: replaced on every transition. */
  private MachineState state;
  /** The transport of the current attempt, or null. */
  private Transport transport;
  /** The machine's id of {@link #transport}. */
  private long transportId = -1;
  /** Armed timers by kind, with the machine's id and delay. */
  private final Map<TimerKind, Timer> timers = new EnumMap<>(TimerKind.class);
  /** Time of the last frame received, for the sliding idle timer (RTN23a). */
  private long lastActivityNanos;
  /** The id of the connection before the current attempt, to tell a resume from a new one. */
  private String lastConnectionId;
  /** The IVs of every channel cipher of this client: one random source, not one per channel. */
  private final ChannelCipher.IvSource ivSource;
  /** True while a signal's effects run: the machine must never be signalled from inside one. */
  private boolean signalling;

  private record Timer(long id, long delayNanos, ScheduledFuture<?> future) {}

  RealtimeConductor(
      EventLoop loop, ClientOptions options, PublishedState published, CallbackDispatcher callbacks,
      Network network, LongSupplier nanoClock, Counters counters, ClientLog log) {
    this(loop, options, published, callbacks, network, nanoClock, counters, log, null);
  }

  /** As above, with the client's token source, used when the options ask for token auth. */
  RealtimeConductor(
      EventLoop loop, ClientOptions options, PublishedState published, CallbackDispatcher callbacks,
      Network network, LongSupplier nanoClock, Counters counters, ClientLog log, TokenSource tokens) {
    this.tokens = tokens != null && options.usesTokenAuth() ? tokens : null;
    this.loop = loop;
    this.log = log;
    this.counters = counters;
    this.options = options;
    this.publishedState = published;
    this.callbacks = callbacks;
    callbacks.readGate(this::readsPaused);
    this.network = network;
    this.nanoClock = nanoClock;
    this.gate = new LoopGate(loop, callbacks);
    this.ivSource = randomSource()::nextBytes;
    this.machine = new ConnectionStateMachine(ConnectionConfig.from(options), new SplittableRandom());
    this.credential =
        options.key() != null
            ? new ConnectionUrl.KeyCredential(options.key())
            : options.token() != null ? new ConnectionUrl.TokenCredential(options.token()) : null;
    this.notifier = new ConnectionNotifier(callbacks);
    this.pings = new PingTracker(loop, callbacks, counters, nanoClock, options.realtimeRequestTimeout());
    this.publisher = new Publisher(options, published, callbacks, counters, log);
    String recoverKey = null;
    Map<String, String> serials = Map.of();
    if (options.recover() != null) {
      RecoveryKey parsed = RecoveryKey.parse(options.recover());
      if (parsed == null) {
        log.log(Level.WARNING, () -> "the recover option is not a recovery key; connecting afresh (RTN16f1)");
      } else {
        recoverKey = parsed.connectionKey();
        serials = parsed.channelSerials(); // RTN16j
        publisher.startAt(parsed.msgSerial()); // RTN16f
      }
    }
    this.channels = new ChannelRegistry(callbacks, counters, log, serials);
    this.state = machine.initialState(recoverKey);
  }

  /**
   * The client's random source, made on the creating thread: a DRBG seeded once, so that no IV
   * costs a read of the system's entropy or a lock shared by every client, as a {@code new
   * SecureRandom()} per channel did.
   */
  private static SecureRandom randomSource() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /** The client's options; immutable. Any thread. */
  ClientOptions options() {
    return options;
  }

  /** The gate the facades hand work to this loop through. Any thread. */
  LoopGate gate() {
    return gate;
  }

  // ---------------------------------------------------------------------------------------
  // User operations (scheduled on the loop by the facades)
  // ---------------------------------------------------------------------------------------

  void connect() {
    signal(new ConnectionSignal.Connect(nanoClock.getAsLong()));
  }

  /** Inbound backpressure: the callbacks lag (or caught up), so the transport stops (or reads). */
  private void readsPaused(boolean paused) {
    if (!paused) {
      lastActivityNanos = nanoClock.getAsLong(); // the idle window (RTN23a) starts again now
    }
    if (transport != null) {
      transport.pauseReading(paused);
    }
  }

  /**
   * {@code connection().close()}: in INITIALIZED there is nothing to close and the state stays
   * INITIALIZED (the spec's table of connection states and operations: close is a no-op there),
   * so {@code closed} completes at once; otherwise as {@link #close(ClientStage, Runnable)}.
   */
  void closeConnection(ClientStage<Void> closed) {
    assert loop.inEventLoop();
    if (state.state() == ConnectionState.INITIALIZED) {
      callbacks.dispatch("close stage", () -> closed.succeed(null));
      return;
    }
    close(closed, () -> {});
  }

  /**
   * RTN12: closes; {@code closed} completes on the callback thread once CLOSED (or fails once
   * FAILED), and {@code then} runs on the loop at that moment, never through the application's
   * executor. Releasing the client closes from INITIALIZED too (to CLOSED, failing what was
   * queued), so that nothing queued waits for a client that is gone.
   */
  void close(ClientStage<Void> closed, Runnable then) {
    assert loop.inEventLoop();
    ConnectionState now = state.state();
    if (now == ConnectionState.CLOSED || now == ConnectionState.FAILED) {
      ended(notifier.lastEntered(now), closed, then);
      return;
    }
    notifier.onLoopWhenEntering(
        Set.of(ConnectionState.CLOSED, ConnectionState.FAILED), change -> ended(change, closed, then));
    signal(new ConnectionSignal.Close(nanoClock.getAsLong()));
  }

  private void ended(ConnectionStateChange change, ClientStage<Void> closed, Runnable then) {
    if (change.current() == ConnectionState.FAILED) {
      // Nothing to close (RTN12): the stage reports why the connection is not usable.
      AblyException failed = new AblyException(reasonOr(change, ErrorCode.CONNECTION_FAILED));
      callbacks.dispatch("close stage", () -> closed.fail(failed));
    } else {
      callbacks.dispatch("close stage", () -> closed.succeed(null));
    }
    then.run();
  }

  void addListener(Consumer<ConnectionStateChange> listener) {
    notifier.addListener(listener);
  }

  void removeListener(Consumer<ConnectionStateChange> listener) {
    notifier.removeListener(listener);
  }

  void whenState(ConnectionState wanted, ClientStage<ConnectionStateChange> stage) {
    notifier.whenState(state.state(), wanted, stage);
  }

  /** RTN13. */
  void ping(ClientStage<Duration> result) {
    pings.ping(result, state.state(), transport);
  }

  // ---------------------------------------------------------------------------------------
  // Channels and publishing
  // ---------------------------------------------------------------------------------------

  /**
   * The connectionStateTtl now: from the latest CONNECTED's connectionDetails (CD2f), else the
   * default. On the loop.
   */
  long connectionStateTtlNanos() {
    return state.session().connectionStateTtlNanos();
  }

  /** Adopts a channel created on a user thread; false if it was released. */
  boolean adopt(ChannelCore core) {
    return channels.adopt(core, state.state());
  }

  /** The listeners of channel creation ({@code true}) or release. */
  List<Consumer<io.ably.api.Channel>> channelListeners(boolean created) {
    return channels.listeners(created);
  }

  /** RTS4: detach (where it makes sense), then forget the channel. */
  void release(ChannelCore core, Runnable removeFromDirectory, ClientStage<Void> stage) {
    if (!adopt(core)) {
      removeFromDirectory.run();
      callbacks.dispatch("release stage", () -> stage.succeed(null));
      return;
    }
    ChannelState s = core.state();
    Runnable forget =
        () -> {
          channels.remove(core);
          publisher.failQueuedFor(core, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "channel " + core.name + " was released"));
          core.released();
          removeFromDirectory.run();
          callbacks.dispatch("release stage", () -> stage.succeed(null));
        };
    if (s == ChannelState.FAILED || s == ChannelState.INITIALIZED || s == ChannelState.DETACHED) {
      forget.run();
    } else {
      core.detach(error -> forget.run()); // on the loop, whatever the detach's outcome
    }
  }

  /** RTL6: publish one protocol message with one or more messages. */
  void publish(ChannelCore core, List<Message> messages, ClientStage<PublishResult> stage) {
    if (!adopt(core)) {
      AblyException released = new AblyException(
          ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "channel " + core.name + " was released"));
      counters.refused(messages.size());
      callbacks.dispatch("publish stage", () -> stage.fail(released));
      return;
    }
    publisher.publish(core, messages, stage, state.state(), transport);
  }

  // ---- ChannelContext ----

  @Override
  public Duration requestTimeout() {
    return options.realtimeRequestTimeout();
  }

  @Override
  public Duration channelRetryTimeout() {
    return options.channelRetryTimeout();
  }

  @Override
  public long now() {
    return nanoClock.getAsLong();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> f = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void execute(Runnable task) {
    gate.execute(task);
  }

  @Override
  public ChannelCipher.IvSource ivSource() {
    return ivSource;
  }

  @Override
  public CallbackDispatcher callbacks() {
    return callbacks;
  }

  @Override
  public Counters counters() {
    return counters;
  }

  @Override
  public void log(Level level, Supplier<String> message) {
    log.log(level, message);
  }

  @Override
  public void logWarning(String message, Throwable thrown) {
    if (thrown == null) {
      log.log(Level.WARNING, () -> message);
    } else {
      log.log(Level.WARNING, () -> message, thrown);
    }
  }

  @Override
  public void sendIfConnected(ProtocolMessage pm) {
    if (transport != null && state.state() == ConnectionState.CONNECTED) {
      transport.send(pm);
    }
  }

  @Override
  public String connectionId() {
    return state.connectionId();
  }

  @Override
  public String clientId() {
    // RSA7b3, RSA12: the clientId the connection confirmed, else the token's, else the option
    if (tokens != null) {
      return tokens.published().get().clientId();
    }
    return identifiedClientId != null ? identifiedClientId : options.clientId();
  }

  // ---------------------------------------------------------------------------------------
  // In-band re-authentication (RTC8, RTN22)
  // ---------------------------------------------------------------------------------------

  /**
   * Puts a token authorize() obtained to use (RTC8): the machine decides how (in band when
   * CONNECTED, RTC8a; a new attempt when CONNECTING, RTC8b; a connect otherwise, RTC8c), and {@code
   * done} completes on the CONNECTED that confirms it (RTC8a3) or fails on the ERROR that refuses it
   * (RTC8a2) or when the connection ends. Event loop only.
   */
  void reauthorize(TokenDetails details, BiConsumer<TokenDetails, AblyException> done) {
    assert loop.inEventLoop();
    if (tokens == null) {
      // Basic auth: the connection goes on with the key; REST requests use the token (RSA10a).
      log.log(Level.INFO, () -> "authorize(): the connection keeps its basic authentication");
      done.accept(details, null);
      return;
    }
    pendingAuthorize.add(done);
    authorizing = details;
    signalSoon(new ConnectionSignal.Reauthorize(nanoClock.getAsLong())); // RTC8a, RTC8b, RTC8c
  }

  /** RTN22: the service asks for a new token; get one and send it in band. */
  private void serverAuth() {
    if (tokens == null) {
      log.log(Level.WARNING, () -> "the service asked to re-authenticate, but the client uses basic auth");
      return;
    }
    long id = transportId;
    tokens.token(
        true,
        (details, error) -> {
          if (transportId != id || transport == null || state.state() != ConnectionState.CONNECTED) {
            return; // the connection changed meanwhile: the next connect takes the new token
          }
          if (error != null) {
            signalSoon(new ConnectionSignal.AuthFailed(id, error.errorInfo(), nanoClock.getAsLong())); // RSA4c3
            return;
          }
          signalSoon(new ConnectionSignal.Reauthorize(nanoClock.getAsLong())); // RTC8a: in band
        });
  }

  /** Completes the waiting authorize() calls: with their token, or with the error. */
  private void authorizeCompleted(ErrorInfo error) {
    if (pendingAuthorize.isEmpty()) {
      return;
    }
    List<BiConsumer<TokenDetails, AblyException>> waiting = new ArrayList<>(pendingAuthorize);
    pendingAuthorize.clear();
    TokenDetails details = authorizing;
    authorizing = null;
    for (BiConsumer<TokenDetails, AblyException> w : waiting) {
      if (error == null) {
        w.accept(details, null);
      } else {
        w.accept(null, new AblyException(error));
      }
    }
  }

  @Override
  public void publishPresence(ChannelCore core, List<PresenceMessage> presence, ClientStage<PublishResult> stage) {
    publisher.publishPresence(core, presence, stage, state.state(), transport); // RTP8, RTP14
  }

  @Override
  public void failQueuedFor(ChannelCore core, ErrorInfo error) {
    publisher.failQueuedFor(core, error);
  }

  // ---------------------------------------------------------------------------------------
  // The machine
  // ---------------------------------------------------------------------------------------

  /** Applies a signal: new state, snapshot published, then the effects in order. */
  private void signal(ConnectionSignal s) {
    assert loop.inEventLoop();
    assert !signalling : "signal " + s + " from inside an effect";
    Transition t = machine.apply(state, s);
    state = t.next();
    publish();
    signalling = true;
    try {
      for (ConnectionEffect e : t.effects()) {
        apply(e);
      }
    } finally {
      signalling = false;
    }
    ConnectionState now = state.state();
    if (!pendingAuthorize.isEmpty() && (now == ConnectionState.FAILED || now == ConnectionState.CLOSED)) {
      authorizeCompleted(
          state.errorReason() != null
              ? state.errorReason()
              : ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "the connection closed before taking the token"));
    }
  }

  /** Feeds a signal now, or in a later task when called from inside an effect. */
  private void signalSoon(ConnectionSignal s) {
    if (signalling) {
      signalLater(s);
    } else {
      signal(s);
    }
  }

  /** Feeds a signal in a later task, never from inside an effect (the machine's contract). */
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
        Transport t = transport;
        transport = null;
        t.abort();
      }
    } else if (e instanceof ConnectionEffect.SendAuth a) {
      // RTC8a, RTN22: the token the source holds now, in band
      TokenDetails current = tokens != null ? tokens.current() : null;
      if (transport != null && transportId == a.transportId() && current != null) {
        transport.send(ProtocolMessage.builder(Action.AUTH).auth(new AuthDetails(current.token())).build());
      }
    } else if (e instanceof ConnectionEffect.SendClose c) {
      if (transport != null && transportId == c.transportId()) {
        transport.send(ProtocolMessage.builder(Action.CLOSE).build());
      }
    } else if (e instanceof ConnectionEffect.CheckConnectivity c) {
      // RTN17j / REC3: is the network up at all before trying fallback hosts? Answered later.
      network.checkConnectivity(
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
      publisher.resetSerial(); // RTN15c7
    } else if (e instanceof ConnectionEffect.ResendPending) {
      if (transport != null) {
        publisher.resend(transport); // RTN19a
      }
    } else if (e instanceof ConnectionEffect.FailPending f) {
      publisher.failAll(f.reason()); // RTN7e, RTN7d
    } else if (e instanceof ConnectionEffect.ReattachChannels) {
      channels.connectionState(ConnectionState.CONNECTED, null); // RTL3d
    } else if (e instanceof ConnectionEffect.SuspendChannels s) {
      channels.connectionState(ConnectionState.SUSPENDED, s.reason()); // RTL3c
    } else if (e instanceof ConnectionEffect.DetachChannels) {
      channels.connectionState(ConnectionState.CLOSED, null); // RTL3b
    } else if (e instanceof ConnectionEffect.FailChannels f) {
      channels.connectionState(ConnectionState.FAILED, f.reason()); // RTL3a
    } else if (e instanceof ConnectionEffect.ReinitializeChannels) {
      channels.reinitialize(); // RTN11d
    } else {
      throw new AssertionError(e);
    }
  }

  private void openTransport(ConnectionEffect.OpenTransport o) {
    if (tokens == null) {
      openTransport(o, credential);
      return;
    }
    transportId = o.transportId(); // the attempt; a token that comes late for another is dropped
    tokens.token(
        o.renewToken(), // RTN14b, RTN15h2: a refused token is replaced first
        (details, error) -> {
          if (transportId != o.transportId() || transport != null || !attemptPending()) {
            return; // the attempt ended (timeout, close) while the token was coming
          }
          long now = nanoClock.getAsLong();
          if (error != null) {
            ErrorInfo cause = error.errorInfo();
            if (cause.code() == ErrorCode.TOKEN_NOT_RENEWABLE.code()) {
              signalSoon(new ConnectionSignal.ErrorReceived(o.transportId(), cause, now)); // RSA4a
            } else {
              signalSoon(new ConnectionSignal.AuthFailed(o.transportId(), cause, now)); // RSA4c, RSA4d
            }
            return;
          }
          openTransport(o, new ConnectionUrl.TokenCredential(details.token()));
        });
  }

  /** Whether the machine still waits for the outcome of a transport it asked to open. */
  private boolean attemptPending() {
    return state.state() == ConnectionState.CONNECTING || state.state() == ConnectionState.CLOSING;
  }

  private void openTransport(ConnectionEffect.OpenTransport o, ConnectionUrl.Credential credential) {
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
    transport = network.open(uri, this);
    if (callbacks.readsPaused()) {
      transport.pauseReading(true); // the application still lags: the new transport waits too
    }
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
      // Not while reading is paused for the application (inbound backpressure): the silence is ours
      long quietFor = callbacks.readsPaused() ? 0 : now - lastActivityNanos;
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
    boolean entered = change.event() != ConnectionEvent.UPDATE;
    if (entered) {
      countContinuity(change.current());
    }
    ConnectionState now = change.current();
    if (now == ConnectionState.CONNECTED && entered) {
      pings.connected(transport);
    } else if (now != ConnectionState.CONNECTING && now != ConnectionState.DISCONNECTED
        && now != ConnectionState.CONNECTED) {
      pings.failAll(ClientErrors.notConnected(now));
    }
    notifier.tell(change);
    if (entered && (now == ConnectionState.CONNECTING || now == ConnectionState.DISCONNECTED
        || now == ConnectionState.CLOSING)) {
      // States with no channel effect of their own: the channels still learn of them, so that an
      // attach asked for now knows the connection's state (RTL4b, RTL3e). CONNECTED, SUSPENDED,
      // FAILED and CLOSED reached them through their effects, earlier in this transition.
      channels.connectionState(now, change.reason());
    }
    notifier.resolve(change);
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

  private static ErrorInfo reasonOr(ConnectionStateChange change, ErrorCode fallback) {
    return change.reason() != null ? change.reason() : ErrorInfo.of(fallback, "connection " + change.current());
  }

  // ---------------------------------------------------------------------------------------
  // Transport events
  // ---------------------------------------------------------------------------------------

  @Override
  public void onOpen(Transport t) {
    // Nothing to do: the machine waits for CONNECTED (RTN14c counts from the attempt's start).
  }

  @Override
  public void onWritable(Transport t) {
    if (t == transport && state.state() == ConnectionState.CONNECTED) {
      publisher.flush(t);
    }
  }

  @Override
  public void onMessage(Transport t, ProtocolMessage pm) {
    if (t != transport) {
      return;
    }
    long now = nanoClock.getAsLong();
    lastActivityNanos = now;
    switch (pm.action()) {
      case CONNECTED -> {
        if (pm.connectionDetails() != null) {
          publisher.maxMessageSize(pm.connectionDetails().maxMessageSize());
        }
        String key = pm.connectionDetails() != null && pm.connectionDetails().connectionKey() != null
            ? pm.connectionDetails().connectionKey()
            : pm.connectionKey();
        String confirmed = pm.connectionDetails() != null ? pm.connectionDetails().clientId() : null;
        if (confirmed != null && options.clientId() != null && !confirmed.equals("*")
            && !confirmed.equals(options.clientId())) {
          // RSA15c: the connection is for another clientId than the options say
          signal(new ConnectionSignal.ErrorReceived(
              transportId,
              ErrorInfo.of(
                  ErrorCode.INCOMPATIBLE_CREDENTIALS,
                  "the connection's clientId " + confirmed + " is not the client's " + options.clientId()
                      + " (RSA15c)"),
              now));
          return;
        }
        if (tokens != null) {
          tokens.identified(confirmed); // RSA7b3, RTC4a
        } else {
          identifiedClientId = confirmed;
        }
        signal(new ConnectionSignal.ConnectedReceived(
            transportId, pm.connectionId(), key, pm.connectionDetails(), pm.error(), now));
        authorizeCompleted(null);
      }
      case AUTH -> serverAuth(); // RTN22
      case DISCONNECTED -> signal(new ConnectionSignal.DisconnectedReceived(transportId, pm.error(), now));
      case CLOSED -> signal(new ConnectionSignal.ClosedReceived(transportId, pm.error(), now));
      case ERROR -> {
        if (pm.channel() == null) {
          signal(new ConnectionSignal.ErrorReceived(transportId, pm.error(), now));
          authorizeCompleted(pm.error() != null ? pm.error() : ErrorInfo.of(ErrorCode.CONNECTION_FAILED, "the service refused the connection")); // RTC8a2
        } else {
          channels.onChannelMessage(pm); // RTL14
        }
      }
      case ACK, NACK -> {
        String impossible = publisher.onAck(pm, pm.action() == Action.ACK);
        if (impossible != null) {
          onProtocolError(t, new WireFormatException(impossible)); // resent after the resume
        }
      }
      case ATTACHED, DETACHED, MESSAGE, PRESENCE, SYNC -> channels.onChannelMessage(pm);
      case HEARTBEAT -> pings.onHeartbeat(pm.id(), now);
      default -> log.log(Level.DEBUG, () -> pm.action() + " ignored");
    }
  }

  @Override
  public void onProtocolError(Transport t, WireFormatException error) {
    if (t != transport) {
      return;
    }
    if (error.unknownAction()) {
      // RTF1: a newer protocol's action is ignored, not a protocol error; it still shows the
      // connection is alive (RTN23a)
      lastActivityNanos = nanoClock.getAsLong();
      log.log(Level.DEBUG, () -> "frame ignored: " + error.errorInfo().message() + " (RTF1)");
      return;
    }
    log.log(Level.WARNING, () -> "undecodable frame from the server, dropping the transport: " + error.errorInfo());
    transport = null;
    t.abort();
    signal(new ConnectionSignal.TransportFailed(transportId, error.errorInfo(), false, nanoClock.getAsLong()));
  }

  @Override
  public void onClosed(Transport t, TransportFailure failure) {
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
