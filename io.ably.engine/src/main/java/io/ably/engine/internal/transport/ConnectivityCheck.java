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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connectivity check before fallback hosts are tried (REC3, RTN17j): one HTTP GET whose answer
 * counts as "online" when it is a 200 whose body contains {@code yes}. Runs on the client's event
 * loop and reports exactly once, there.
 */
@EventLoopConfined
public final class ConnectivityCheck {
  private final Consumer<Boolean> result;
  /** True once the result was reported. */
  private boolean reported;

  private ConnectivityCheck(Consumer<Boolean> result) {
    this.result = result;
  }

  /**
   * Starts a check.
   *
   * @param loop the client's event loop
   * @param url the check URL
   * @param ssl the client TLS context, for an {@code https} URL
   * @param proxy an HTTP CONNECT proxy, or {@code null}
   * @param timeout the limit of the whole check
   * @param result called once on {@code loop} with {@code true} for online
   */
  public static void start(
      EventLoop loop, URI url, SslContext ssl, ProxyOptions proxy, Duration timeout,
      Consumer<Boolean> result) {
    assert loop.inEventLoop();
    new ConnectivityCheck(result).run(loop, url, ssl, proxy, timeout);
  }

  private void report(boolean online) {
    if (!reported) {
      reported = true;
      result.accept(online);
    }
  }

  private void run(EventLoop loop, URI url, SslContext ssl, ProxyOptions proxy, Duration timeout) {
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
                      p.addLast(Proxies.handler(proxy));
                    }
                    if (https && ssl != null) {
                      p.addLast(ssl.newHandler(ch.alloc(), host, port));
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
    Channel ch =
        Proxies.connect(b, proxy, host, port)
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
    loop.schedule(
        () -> {
          if (!reported) {
            report(false);
            ch.close();
          }
        },
        timeout.toNanos(),
        TimeUnit.NANOSECONDS);
  }
}
