package io.ably.engine.internal.client;

import io.ably.api.Channels;
import io.ably.api.ClientMetrics;
import io.ably.api.ClientOptions;
import io.ably.api.Connection;
import io.ably.api.RealtimeClient;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ChannelDirectory;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EngineLoops;
import io.ably.engine.internal.PublishedState;
import io.ably.api.auth.Auth;
import io.ably.api.rest.Rest;
import io.ably.api.rest.RestMetrics;
import io.ably.engine.internal.RestCounters;
import io.ably.engine.internal.rest.RealRest;
import io.ably.engine.internal.rest.RestCore;
import io.ably.engine.internal.transport.ClientTls;
import io.ably.engine.internal.transport.ConnectivityCheck;
import io.ably.engine.internal.transport.Resolvers;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine's {@link RealtimeClient}: binds the client to one event loop for life and builds its
 * conductor there. Thread-safe; holds no mutable state of its own.
 */
public final class RealRealtimeClient implements RealtimeClient {
  private final ClientOptions options;
  private final String name;
  private final Resources resources;
  private final RealtimeConductor conductor;
  private final CallbackDispatcher callbacks;
  private final RealConnection connection;
  private final Counters counters = new Counters();
  private final PublishedState published = new PublishedState();
  private final RealChannels channels;
  private final RealRest rest;
  /** The persistent subscriptions, or null without a store. */
  private final SubscriptionPersistence persistence;

  /**
   * What a client runs on: its event loop and that loop's resolver, and what to release once it
   * is closed (a private event-loop group and its resolver; nothing for the shared ones).
   *
   * @param loop the client's event loop, for life
   * @param resolver the asynchronous resolver of that loop
   * @param release run on the loop once the client is CLOSED or FAILED after a close
   */
  record Resources(EventLoop loop, AddressResolverGroup<InetSocketAddress> resolver, Runnable release) {
    static Resources of(ClientOptions options, String name) {
      if (options.eventLoopThreads() == 0) {
        return new Resources(EngineLoops.sharedIo().next(), EngineLoops.sharedResolver(), () -> {});
      }
      EventLoopGroup group = EngineLoops.privateIo(options.eventLoopThreads(), name);
      AddressResolverGroup<InetSocketAddress> resolver = Resolvers.platform();
      return new Resources(
          group.next(), resolver,
          () -> {
            resolver.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
          });
    }
  }

  /**
   * Creates a client; it starts connecting at once when {@code autoConnect} is on.
   *
   * @param options the options
   */
  public RealRealtimeClient(ClientOptions options) {
    this(options, null);
  }

  /** Creates a client on given resources (tests); {@code null} for the options' own. */
  RealRealtimeClient(ClientOptions options, Resources given) {
    this.options = options;
    this.name = options.name() != null ? options.name() : "ably-" + Integer.toHexString(System.identityHashCode(this));
    this.resources = given != null ? given : Resources.of(options, name);
    EventLoop loop = resources.loop();
    // TLS contexts are built here, on the caller's thread: building one reads trust stores.
    SslContext ssl = options.tls() ? ClientTls.context(options) : null;
    SslContext checkTls =
        "https".equals(URI.create(options.connectivityCheckUrl()).getScheme()) ? ConnectivityCheck.tls() : null;
    ClientLog log = new ClientLog(name, options.logLevel());
    // Persistent subscriptions (issue #18): the store is read here, on the creating thread.
    this.persistence = SubscriptionPersistence.open(options, name, log);
    ClientOptions connectWith = persistence == null ? options : persistence.options(options);
    this.callbacks = new CallbackDispatcher(options, log, counters, loop);
    Network network = new NettyNetwork(loop, options, ssl, checkTls, resources.resolver(), counters);
    // The REST operations share the loop, its resolver, the callbacks and the TLS context; the
    // connection takes its tokens from the same source (RSA4, RTN14b, RTN15h2).
    RestCore restCore =
        new RestCore(
            loop, options, ssl, resources.resolver(), callbacks, log, new RestCounters(), System::nanoTime);
    this.rest = new RealRest(restCore);
    this.conductor =
        new RealtimeConductor(
            loop, connectWith, published, callbacks, network, System::nanoTime, counters, log, restCore.tokens());
    rest.auth().reauthorizeWith(conductor::reauthorize); // RTC8
    ChannelDirectory<RealChannel> directory = new ChannelDirectory<>();
    this.channels = new RealChannels(conductor.gate(), conductor, name, directory, rest);
    this.connection = new RealConnection(conductor.gate(), conductor, published, directory);
    if (persistence != null) {
      channels.persistence(persistence);
      persistence.start(loop, connection::createRecoveryKey, conductor::connectionStateTtlNanos, directory, counters);
    }
    if (options.autoConnect()) {
      connection.connect();
    }
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public Channels channels() {
    return channels;
  }

  @Override
  public Rest rest() {
    return rest;
  }

  @Override
  public Auth auth() {
    return rest.auth();
  }

  /**
   * Returns the REST counters.
   *
   * @return a snapshot
   */
  public RestMetrics restMetrics() {
    return rest.metrics();
  }

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ClientMetrics metrics() {
    PublishedState.Snapshot s = published.get();
    return new ClientMetrics(
        name, s.state(), s.connectionId(), counters.lastPing(), counters.pingPercentile(50),
        counters.pingPercentile(99), counters.pings(), counters.framesSent(), counters.framesReceived(),
        counters.bytesSent(), counters.bytesReceived(), counters.reconnects(), counters.resumes(),
        counters.failedResumes(), counters.listenerErrors(), counters.messagesPublished(),
        counters.messagesAcknowledged(), counters.messagesRefused(), counters.messagesReceived(),
        counters.messagesPending(), counters.channels(), rest.metrics(), counters.storeWrites(),
        counters.storeLastWriteMillis() == 0 ? null : java.time.Instant.ofEpochMilli(counters.storeLastWriteMillis()),
        counters.storeFailures());
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    rest.close();
    if (persistence != null) {
      if (!conductor.gate().tryExecute(persistence::closing)) { // a last write, before the connection closes
        persistence.closedWithoutLoop();
      }
    }
    ClientStage<Void> closed = conductor.gate().newStage();
    Runnable release = resources.release();
    // The release runs on the loop in a task after the stage's hand-off, so the stage still reaches
    // the callback thread through a loop that is about to stop; with a subscription store, once its
    // last write has reported on the loop too (bounded, should the store never return)
    Runnable releaseOnLoop = () -> resources.loop().execute(release);
    Runnable afterClose =
        persistence == null
            ? releaseOnLoop
            : () -> { // on the loop, as is the drain's completion: whichever comes first releases
              io.netty.util.concurrent.ScheduledFuture<?> bound = resources.loop().schedule(
                  releaseOnLoop, options.realtimeRequestTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
              persistence.drained().whenComplete((done, failure) -> {
                if (bound.cancel(false)) { // false: the bound ran and released already
                  releaseOnLoop.run();
                }
              });
            };
    if (!conductor.gate().tryExecute(() -> conductor.close(closed, afterClose))) {
      closed.succeed(null); // its own loop is gone: it was closed already
    }
    return closed;
  }

  @Override
  public void close() {
    CompletionStage<Void> closed = closeAsync();
    if (callbacks.onCallbackThread()) {
      return; // waiting here would wait for this very thread
    }
    long waitMillis = options.realtimeRequestTimeout().toMillis() + 1_000;
    try {
      closed.toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
      if (persistence != null) {
        persistence.awaitLastWrite(waitMillis); // the position this run ends at, on disk
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Ended FAILED (nothing left to close) or still closing after the bound: close() has no
      // result; closeAsync() reports either.
    }
  }
}
