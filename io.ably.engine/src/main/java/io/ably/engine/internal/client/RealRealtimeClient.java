package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.Channels;
import io.ably.api.ClientMetrics;
import io.ably.api.ClientOptions;
import io.ably.api.Connection;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ChannelDirectory;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EngineLoops;
import io.ably.engine.internal.PublishedState;
import io.ably.engine.internal.RestCounters;
import io.ably.engine.internal.rest.RealRest;
import io.ably.engine.internal.rest.RestCore;
import io.ably.api.rest.Rest;
import io.ably.api.rest.RestMetrics;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The engine's {@link RealtimeClient}: binds the client to one event loop for life and builds its
 * conductor there. Thread-safe; holds no mutable state of its own.
 */
public final class RealRealtimeClient implements RealtimeClient {
  private final ClientOptions options;
  private final String name;
  private final EventLoop loop;
  private final EventLoopGroup privateGroup;
  private final RealtimeConductor conductor;
  private final RealConnection connection;
  private final PublishedState published;
  private final Counters counters = new Counters();
  private final RealChannels channels;
  private final RealRest rest;

  /**
   * Creates a client; it starts connecting at once when {@code autoConnect} is on.
   *
   * @param options the options
   */
  public RealRealtimeClient(ClientOptions options) {
    this.options = options;
    this.name = options.name() != null ? options.name() : "ably-" + Integer.toHexString(System.identityHashCode(this));
    this.privateGroup =
        options.eventLoopThreads() > 0 ? EngineLoops.privateIo(options.eventLoopThreads(), name) : null;
    this.loop = (privateGroup != null ? privateGroup : EngineLoops.sharedIo()).next();
    SslContext ssl = options.tls() ? sslContext(options) : null;
    this.published = new PublishedState();
    ClientLog log = new ClientLog(name, options.logLevel());
    this.conductor =
        new RealtimeConductor(
            loop, options, published, new CallbackDispatcher(options, log, counters, loop), ssl,
            System::nanoTime, counters, log);
    // The REST operations share the loop, callbacks and TLS context (the resolver is a placeholder
    // until the client's non-blocking resolver is wired in).
    this.rest =
        new RealRest(
            new RestCore(
                loop, options, ssl, DefaultAddressResolverGroup.INSTANCE, conductor.callbacks(), log,
                new RestCounters(), System::nanoTime));
    ChannelDirectory<RealChannel> directory = new ChannelDirectory<>();
    this.channels = new RealChannels(loop, conductor, name, directory, rest);
    this.connection = new RealConnection(loop, conductor, published, directory);
    if (options.autoConnect()) {
      connection.connect();
    }
  }

  private static SslContext sslContext(ClientOptions options) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
      if (options.trustStore() != null) {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(options.trustStore());
        b.trustManager(tmf);
      }
      return b.build();
    } catch (SSLException | GeneralSecurityException e) {
      throw new AblyException(
          io.ably.api.ErrorInfo.of(ErrorCode.INVALID_PARAMETER, "trustStore cannot be used for TLS: " + e.getMessage()), e);
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
        counters.messagesPending(), counters.channels(), rest.metrics());
  }

  /** Closes the connection; a private event-loop group is shut down once CLOSED or FAILED. */
  @Override
  public void close() {
    rest.close();
    ConnectionState s = connection.state();
    if (s == ConnectionState.CLOSED && privateGroup == null) {
      return;
    }
    connection
        .close()
        .whenComplete(
            (ok, e) -> {
              if (privateGroup != null) {
                privateGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
              }
            });
  }
}
