package io.ably.engine.internal.rest;

import io.ably.api.ClientOptions;
import io.ably.api.auth.Auth;
import io.ably.api.rest.BatchPublishResult;
import io.ably.api.rest.BatchPublishSpec;
import io.ably.api.rest.HttpPaginatedResponse;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.rest.RestChannels;
import io.ably.api.rest.RestClient;
import io.ably.api.rest.RestMetrics;
import io.ably.api.rest.Stats;
import io.ably.api.rest.StatsParams;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EngineLoops;
import io.ably.engine.internal.transport.Resolvers;
import io.ably.engine.internal.RestCounters;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The engine's REST-only {@link RestClient}: binds the client to one event loop (shared, or its own
 * group with {@code eventLoopThreads}) and its callbacks to one callback executor. Thread-safe;
 * holds no mutable state of its own.
 */
public final class RealRestClient implements RestClient {
  private final ClientOptions options;
  private final String name;
  private final EventLoopGroup privateGroup;
  /** The private group's resolver, closed with it; null on the shared loops. */
  private final AddressResolverGroup<InetSocketAddress> privateResolver;
  private final RealRest rest;

  /**
   * Creates a client.
   *
   * @param options the options
   */
  public RealRestClient(ClientOptions options) {
    this.options = options;
    this.name =
        options.name() != null ? options.name() : "ably-rest-" + Integer.toHexString(System.identityHashCode(this));
    this.privateGroup =
        options.eventLoopThreads() > 0 ? EngineLoops.privateIo(options.eventLoopThreads(), name) : null;
    EventLoop loop = (privateGroup != null ? privateGroup : EngineLoops.sharedIo()).next();
    this.privateResolver = privateGroup != null ? Resolvers.platform() : null;
    AddressResolverGroup<InetSocketAddress> resolver =
        privateResolver != null ? privateResolver : EngineLoops.sharedResolver();
    ClientLog log = new ClientLog(name, options.logLevel());
    CallbackDispatcher callbacks = new CallbackDispatcher(options, log, new Counters(), loop);
    this.rest =
        new RealRest(
            new RestCore(loop, options, null, resolver, callbacks, log, new RestCounters(), System::nanoTime));
  }

  @Override
  public RestChannels channels() {
    return rest.channels();
  }

  @Override
  public Auth auth() {
    return rest.auth();
  }

  @Override
  public CompletionStage<Instant> time() {
    return rest.time();
  }

  @Override
  public CompletionStage<PaginatedResult<Stats>> stats(StatsParams params) {
    return rest.stats(params);
  }

  @Override
  public CompletionStage<List<BatchPublishResult>> batchPublish(List<BatchPublishSpec> specs) {
    return rest.batchPublish(specs);
  }

  @Override
  public CompletionStage<HttpPaginatedResponse> request(
      String method, String path, Map<String, String> params, String jsonBody,
      Map<String, String> headers) {
    return rest.request(method, path, params, jsonBody, headers);
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
  public RestMetrics metrics() {
    return rest.metrics();
  }

  @Override
  public void close() {
    rest.close();
    if (privateGroup != null) {
      privateResolver.close();
      privateGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "RestClient[" + name + "]";
  }
}
