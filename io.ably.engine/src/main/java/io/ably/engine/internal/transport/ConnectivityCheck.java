package io.ably.engine.internal.transport;

import io.ably.api.ClientOptions.ProxyOptions;
import io.ably.engine.internal.EventLoopConfined;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
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
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connectivity check before fallback hosts are tried (REC3, RTN17j): one HTTP GET whose answer
 * counts as "online" when it is a 200 whose body contains {@code yes}. Runs on the client's event
 * loop and reports exactly once, there, in a later task (never from inside {@link #start}). An
 * {@code https} URL is always checked over TLS with the JDK's default trust, whatever the client's
 * own {@code tls} and {@code trustStore} settings: the check asks about the internet, not about the
 * client's private service.
 */
@EventLoopConfined
public final class ConnectivityCheck {
  private final EventLoop loop;
  private final Consumer<Boolean> result;
  /** True once the result was reported. */
  private boolean reported;

  private ConnectivityCheck(EventLoop loop, Consumer<Boolean> result) {
    this.loop = loop;
    this.result = result;
  }

  /**
   * Returns the TLS context of every {@code https} check: the JDK's default trust and hostname
   * verification. Built on first use, which reads the JDK's trust store: call it off the loop.
   *
   * @return the context
   */
  public static SslContext tls() {
    return DefaultTls.CONTEXT;
  }

  /** Holds the shared context, built on first use. */
  private static final class DefaultTls {
    static final SslContext CONTEXT = build();

    private static SslContext build() {
      try {
        return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
      } catch (SSLException e) {
        throw new IllegalStateException("the JDK's default TLS cannot be set up", e);
      }
    }
  }

  /**
   * Starts a check.
   *
   * @param loop the client's event loop
   * @param url the check URL
   * @param tls the context for an {@code https} URL, {@link #tls()}
   * @param proxy an HTTP CONNECT proxy, or {@code null}
   * @param resolver the client's asynchronous address resolver
   * @param timeout the limit of the whole check
   * @param result called once on {@code loop}, in a later task, with {@code true} for online
   */
  public static void start(
      EventLoop loop, URI url, SslContext tls, ProxyOptions proxy,
      AddressResolverGroup<InetSocketAddress> resolver, Duration timeout, Consumer<Boolean> result) {
    assert loop.inEventLoop();
    ConnectivityCheck check = new ConnectivityCheck(loop, result);
    Channel[] ch = new Channel[1];
    loop.schedule(
        () -> {
          if (!check.reported) {
            check.report(false);
            if (ch[0] != null) {
              ch[0].close();
            }
          }
        },
        timeout.toNanos(),
        TimeUnit.NANOSECONDS);
    Proxies.resolveProxy(
        loop, resolver, proxy,
        (proxyAddress, failed) -> {
          if (failed != null) {
            check.report(false);
          } else if (!check.reported) {
            ch[0] = check.run(url, tls, proxy, proxyAddress, resolver, timeout);
          }
        });
  }

  /** Reports once, in a later task of the loop, so a caller never hears back from inside start(). */
  private void report(boolean online) {
    if (!reported) {
      reported = true;
      loop.execute(() -> result.accept(online));
    }
  }

  private Channel run(
      URI url, SslContext tls, ProxyOptions proxy, InetSocketAddress proxyAddress,
      AddressResolverGroup<InetSocketAddress> resolver, Duration timeout) {
    boolean https = "https".equals(url.getScheme());
    String host = url.getHost();
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (proxy != null) {
                      p.addLast(Proxies.handler(proxy, proxyAddress));
                    }
                    if (https) {
                      p.addLast(tls.newHandler(ch.alloc(), host, port));
                    }
                    p.addLast(new HttpClientCodec(), new HttpObjectAggregator(8_192))
                        .addLast(
                            new SimpleChannelInboundHandler<FullHttpResponse>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
                                String body = res.content().toString(StandardCharsets.UTF_8);
                                report(res.status().code() == 200 && body.contains("yes"));
                                ctx.close();
                              }

                              @Override
                              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                report(false);
                                ctx.close();
                              }

                              @Override
                              public void channelInactive(ChannelHandlerContext ctx) {
                                report(false);
                              }
                            });
                  }
                });
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
    req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return Proxies.connect(b, resolver, proxy != null, host, port)
            .addListener(
                f -> {
                  if (f.isSuccess()) {
                    // Written once connected: a write before that would fail.
                    ((io.netty.channel.ChannelFuture) f).channel().writeAndFlush(req);
                  } else {
                    req.release();
                    report(false);
                  }
                })
            .channel();
  }
}
