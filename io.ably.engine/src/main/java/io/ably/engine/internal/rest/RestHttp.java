package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ClientOptions.ProxyOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.RestCounters;
import io.ably.engine.internal.connection.RealtimeHosts;
import io.ably.engine.internal.transport.Proxies;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * HTTP/1.1 for the REST client on one event loop (RSC15, TO3l3, TO3l4): a small keep-alive pool of
 * connections per host, TLS with SNI and hostname verification, the client's proxy, a connect
 * timeout ({@code httpOpenTimeout}) and a whole-request timeout per attempt ({@code
 * httpRequestTimeout}), a response size limit, and host fallback: on a refused or unresolvable
 * host, a timeout, a connection lost before the response, or a 500–504, the call is sent to the
 * next host (fallbacks in random order, RSC15a); a fallback that answered is tried first for
 * {@code fallbackRetryTimeout} (RSC15f). Every Netty failure becomes an {@link AblyException}.
 *
 * <p>Loop-confined: every method runs on the client's event loop and nothing here blocks it. Host
 * names are resolved by the resolver group the client passes in (a non-blocking one).
 */
@EventLoopConfined
final class RestHttp {
  /** The largest response body accepted; a larger one fails the call. */
  static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
  /** Idle keep-alive connections kept per host. */
  static final int MAX_IDLE_PER_HOST = 4;
  /** Fallback hosts tried after the first host, at most (RSC15a, httpMaxRetryCount). */
  static final int MAX_FALLBACK_ATTEMPTS = 3;
  /** No fallback is started after this long since the call began (RSC15a, httpMaxRetryDuration). */
  static final long MAX_RETRY_DURATION_NANOS = TimeUnit.SECONDS.toNanos(15);

  private static final String HANDLER = "ably-rest-exchange";

  private final EventLoop loop;
  private final ClientOptions options;
  private final SslContext ssl;
  private final RealtimeHosts hosts;
  private final LongSupplier nanoClock;
  private final RestCounters counters;
  private final Bootstrap bootstrap;
  /** The client's asynchronous resolver: of the service's hosts, or of the proxy's own name. */
  private final AddressResolverGroup<InetSocketAddress> resolver;
  private final SplittableRandom random = new SplittableRandom();
  /** Idle keep-alive connections by host; loop-confined. */
  private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();
  /** Every connection open now, to close them all with the client. */
  private final Set<Channel> open = new HashSet<>();
  /** The fallback host that last answered (RSC15f), or {@code null}. */
  private String preferredHost;
  /** Until when {@link #preferredHost} is tried first, on the nano clock. */
  private long preferredUntilNanos;
  private boolean closed;

  /**
   * Creates the HTTP layer of one client. Called on any thread; used on {@code loop} only.
   *
   * @param loop the client's event loop
   * @param options the client's options
   * @param ssl the TLS context, or {@code null} without TLS
   * @param resolver the resolver of host names (never blocks the loop)
   * @param nanoClock the clock
   * @param counters where requests are counted
   */
  RestHttp(
      EventLoop loop, ClientOptions options, SslContext ssl, AddressResolverGroup<InetSocketAddress> resolver,
      LongSupplier nanoClock, RestCounters counters) {
    this.loop = loop;
    this.options = options;
    this.ssl = options.tls() ? ssl : null;
    this.hosts = RealtimeHosts.from(options);
    this.nanoClock = nanoClock;
    this.counters = counters;
    this.resolver = resolver;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, options.httpOpenTimeout().toMillis())));
  }

  /**
   * Sends a call, trying fallback hosts as needed. Event loop only.
   *
   * @param call the call
   * @param done called once on the loop with the response of the host that answered (any status
   *     but a 500–504 with hosts left to try), or with the error of the last attempt
   */
  void send(HttpCall call, BiConsumer<HttpResult, AblyException> done) {
    assert loop.inEventLoop();
    if (closed) {
      done.accept(null, closedError());
      return;
    }
    new Request(call, done, hostOrder()).tryNext();
  }

  /** Closes every connection; calls in flight fail with 80017. Event loop only. */
  void close() {
    assert loop.inEventLoop();
    closed = true;
    for (Channel ch : new ArrayList<>(open)) {
      ch.close();
    }
    idle.clear();
  }

  /** The hosts of one call: the preferred fallback, the primary, then shuffled fallbacks. */
  List<String> hostOrder() {
    List<String> order = new ArrayList<>(2 + MAX_FALLBACK_ATTEMPTS);
    if (preferredHost != null && nanoClock.getAsLong() - preferredUntilNanos < 0) {
      order.add(preferredHost); // RSC15f
    } else {
      preferredHost = null;
    }
    if (!hosts.primary().equals(preferredHost)) {
      order.add(hosts.primary());
    }
    List<String> fallbacks = new ArrayList<>(hosts.fallbacks());
    fallbacks.remove(preferredHost);
    for (int i = fallbacks.size() - 1; i > 0; i--) { // RSC15a: random order
      Collections.swap(fallbacks, i, random.nextInt(i + 1));
    }
    for (int i = 0; i < fallbacks.size() && order.size() < 1 + MAX_FALLBACK_ATTEMPTS; i++) {
      order.add(fallbacks.get(i));
    }
    return order;
  }

  /**
   * Remembers a host that answered: a fallback is tried first for {@code fallbackRetryTimeout}
   * (RSC15f); the primary clears nothing. Event loop only.
   *
   * @param host the host
   */
  void answeredBy(String host) {
    if (!host.equals(hosts.primary()) && !host.equals(preferredHost)) {
      preferredHost = host;
      preferredUntilNanos = nanoClock.getAsLong() + options.fallbackRetryTimeout().toNanos();
    }
  }

  private int port() {
    return options.tls() ? options.tlsPort() : options.port();
  }

  private static AblyException closedError() {
    return AblyException.of(ErrorCode.CONNECTION_CLOSED, "the REST client is closed");
  }

  /** One call across its attempts. */
  private final class Request {
    private final HttpCall call;
    private final BiConsumer<HttpResult, AblyException> done;
    private final List<String> order;
    private final long startNanos = nanoClock.getAsLong();
    private int next;
    /** Whether a reused connection that closed under the call has been replaced once already. */
    private boolean freshRetried;
    private boolean finished;

    Request(HttpCall call, BiConsumer<HttpResult, AblyException> done, List<String> order) {
      this.call = call;
      this.done = done;
      this.order = order;
    }

    void tryNext() {
      String host = order.get(next++);
      if (next > 1) {
        counters.restFallback();
      }
      attempt(host, false);
    }

    private void attempt(String host, boolean fresh) {
      if (closed) {
        finish(null, closedError());
        return;
      }
      Channel ch = fresh ? null : pollIdle(host);
      if (ch != null) {
        exchange(ch, host, true);
        return;
      }
      // The proxy's own name, if any, is resolved without blocking first; the host by the proxy.
      Proxies.resolveProxy(
          loop, resolver, options.proxy(),
          (proxyAddress, unresolved) -> {
            if (unresolved != null) {
              failed(host, connectError(host, unresolved), false); // another host: the same proxy
              return;
            }
            ChannelFuture f = connect(host, proxyAddress);
            f.addListener(
                x -> {
                  if (x.isSuccess()) {
                    exchange(f.channel(), host, false);
                  } else {
                    failed(host, connectError(host, x.cause()), true);
                  }
                });
          });
    }

    private void exchange(Channel ch, String host, boolean reused) {
      Exchange x = new Exchange(this, ch, host, reused);
      ExchangeHandler h = (ExchangeHandler) ch.pipeline().get(HANDLER);
      if (h == null || !ch.isActive()) {
        x.lost();
        return;
      }
      h.current = x;
      x.timeout =
          loop.schedule(x::timedOut, options.httpRequestTimeout().toNanos(), TimeUnit.NANOSECONDS);
      ch.writeAndFlush(request(host))
          .addListener(
              w -> {
                if (!w.isSuccess()) {
                  x.error(w.cause());
                }
              });
    }

    private FullHttpRequest request(String host) {
      byte[] body = call.body();
      FullHttpRequest r =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1,
              HttpMethod.valueOf(call.method()),
              call.target(),
              body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
      r.headers().set(HttpHeaderNames.HOST, hostHeader(host));
      for (Map.Entry<String, String> e : call.headers().entrySet()) {
        r.headers().set(e.getKey(), e.getValue());
      }
      HttpUtil.setContentLength(r, body == null ? 0 : body.length);
      return r;
    }

    private String hostHeader(String host) {
      String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
      int port = port();
      boolean defaultPort = options.tls() ? port == 443 : port == 80;
      return defaultPort ? h : h + ":" + port;
    }

    /** An attempt failed; {@code qualifies} says whether another host may be tried (RSC15l). */
    void failed(String host, AblyException error, boolean qualifies) {
      if (host.equals(preferredHost)) {
        preferredHost = null; // RSC15f: it failed, so the primary comes first again
      }
      boolean more =
          next < order.size() && nanoClock.getAsLong() - startNanos < MAX_RETRY_DURATION_NANOS;
      if (qualifies && more && !closed) {
        tryNext();
      } else {
        finish(null, error);
      }
    }

    void answered(HttpResult result) {
      counters.restResponse();
      boolean serverError = result.status() >= 500 && result.status() <= 504;
      if (serverError) {
        boolean more =
            next < order.size() && nanoClock.getAsLong() - startNanos < MAX_RETRY_DURATION_NANOS;
        if (more && !closed) {
          if (result.host().equals(preferredHost)) {
            preferredHost = null;
          }
          tryNext(); // RSC15l: 500-504 qualify for a fallback
          return;
        }
      } else {
        answeredBy(result.host());
      }
      finish(result, null);
    }

    private void finish(HttpResult result, AblyException error) {
      if (finished) {
        return;
      }
      finished = true;
      done.accept(result, error);
    }
  }

  /** One request on one connection. */
  private final class Exchange {
    private final Request request;
    private final Channel channel;
    private final String host;
    private final boolean reused;
    ScheduledFuture<?> timeout;
    private boolean over;

    Exchange(Request request, Channel channel, String host, boolean reused) {
      this.request = request;
      this.channel = channel;
      this.host = host;
      this.reused = reused;
    }

    private boolean end() {
      if (over) {
        return false;
      }
      over = true;
      if (timeout != null) {
        timeout.cancel(false);
      }
      ExchangeHandler h = (ExchangeHandler) channel.pipeline().get(HANDLER);
      if (h != null && h.current == this) {
        h.current = null;
      }
      return true;
    }

    void response(FullHttpResponse res) {
      if (!end()) {
        return;
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : res.headers()) {
        headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(e.getValue());
      }
      headers.replaceAll((k, v) -> List.copyOf(v));
      byte[] body = ByteBufUtil.getBytes(res.content());
      boolean keepAlive = HttpUtil.isKeepAlive(res);
      release(channel, host, keepAlive);
      request.answered(new HttpResult(res.status().code(), Collections.unmodifiableMap(headers), body, host));
    }

    /** The connection closed before the response. */
    void lost() {
      if (!end()) {
        return;
      }
      channel.close();
      if (reused && !request.freshRetried && !closed) {
        // A kept-alive connection the server closed meanwhile: once, on a new connection.
        request.freshRetried = true;
        request.attempt(host, true);
        return;
      }
      request.failed(
          host,
          closed
              ? closedError()
              : AblyException.of(
                  ErrorCode.INTERNAL_CONNECTION_ERROR,
                  "the connection to " + host + " closed before the response"),
          true);
    }

    void timedOut() {
      if (!end()) {
        return;
      }
      channel.close();
      request.failed(
          host,
          AblyException.of(
              ErrorCode.TIMEOUT,
              "no response from " + host + " within httpRequestTimeout "
                  + options.httpRequestTimeout().toMillis() + " ms (TO3l4)"),
          true);
    }

    void error(Throwable cause) {
      if (!end()) {
        return;
      }
      channel.close();
      if (tooLong(cause)) {
        request.failed(
            host,
            new AblyException(
                ErrorInfo.of(
                    ErrorCode.INVALID_MESSAGE_DATA,
                    "the response from " + host + " is larger than " + MAX_RESPONSE_BYTES
                        + " bytes or its headers are too long"),
                cause),
            false);
      } else if (hasCause(cause, SSLException.class)) {
        request.failed(
            host,
            new AblyException(
                ErrorInfo.of(ErrorCode.INTERNAL_CONNECTION_ERROR, "TLS with " + host + " failed: " + cause.getMessage()),
                cause),
            false);
      } else {
        request.failed(
            host,
            new AblyException(
                ErrorInfo.of(
                    ErrorCode.INTERNAL_CONNECTION_ERROR,
                    "the request to " + host + " failed: " + cause),
                cause),
            true);
      }
    }
  }

  /**
   * Whether a failure is an oversized response: Netty's TooLongFrameException or a subclass (the
   * aggregator raises the base class for a response body over the limit; its package is in a
   * module the engine does not read, hence the name).
   */
  private static boolean tooLong(Throwable t) {
    if (t instanceof TooLongHttpContentException
        || t instanceof TooLongHttpHeaderException
        || t instanceof TooLongHttpLineException) {
      return true;
    }
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("io.netty.handler.codec.TooLongFrameException")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private AblyException connectError(String host, Throwable cause) {
    if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      return new AblyException(
          ErrorInfo.of(
              ErrorCode.TIMEOUT,
              "could not connect to " + host + " within httpOpenTimeout "
                  + options.httpOpenTimeout().toMillis() + " ms (TO3l3)"),
          cause);
    }
    return new AblyException(
        ErrorInfo.of(
            ErrorCode.INTERNAL_CONNECTION_ERROR, "could not connect to " + host + ": " + cause),
        cause);
  }

  private Channel pollIdle(String host) {
    ArrayDeque<Channel> q = idle.get(host);
    if (q == null) {
      return null;
    }
    Channel ch;
    while ((ch = q.pollFirst()) != null) {
      if (ch.isActive()) {
        return ch;
      }
    }
    return null;
  }

  private void release(Channel ch, String host, boolean keepAlive) {
    ArrayDeque<Channel> q = idle.computeIfAbsent(host, h -> new ArrayDeque<>());
    if (keepAlive && !closed && ch.isActive() && q.size() < MAX_IDLE_PER_HOST) {
      q.addFirst(ch); // the most recently used first: the least likely to have been closed
    } else {
      ch.close();
    }
  }

  private ChannelFuture connect(String host, InetSocketAddress proxyAddress) {
    int port = port();
    ProxyOptions proxy = options.proxy();
    Bootstrap b =
        bootstrap
            .clone()
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (proxy != null) {
                      p.addLast("proxy", Proxies.handler(proxy, proxyAddress));
                    }
                    if (ssl != null) {
                      p.addLast("tls", ssl.newHandler(ch.alloc(), host, port)); // SNI + hostname check
                    }
                    p.addLast("http", new HttpClientCodec())
                        .addLast("http-aggregator", new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                        .addLast(HANDLER, new ExchangeHandler());
                  }
                });
    // The client's resolver group resolves the host off the loop, or the proxy does.
    ChannelFuture f = Proxies.connect(b, resolver, proxy != null, host, port);
    Channel ch = f.channel();
    open.add(ch);
    counters.restConnectionOpened();
    ch.closeFuture()
        .addListener(
            x -> {
              open.remove(ch);
              ArrayDeque<Channel> q = idle.get(host);
              if (q != null) {
                q.remove(ch);
              }
            });
    return f;
  }

  /** The last handler of a REST connection: hands the response or the failure to its exchange. */
  private static final class ExchangeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    /** The exchange waiting for a response on this connection, or {@code null}. */
    Exchange current;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
      Exchange x = current;
      if (x != null) {
        x.response(res);
      } else {
        ctx.close(); // a response nobody asked for: the connection cannot be trusted
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      Exchange x = current;
      if (x != null) {
        x.lost();
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Exchange x = current;
      if (x != null) {
        x.error(cause);
      }
      ctx.close();
    }
  }
}
