package io.ably.itest.rest;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A scripted HTTP host for REST fallback proofs, on a chosen loopback address and port: it answers
 * every request with a fixed status and body, or never answers at all. Records the request lines.
 */
final class HttpStub implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;
  /** The request lines received ({@code GET /time}), in order. */
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** The headers of each request, names lower case, in the order of {@link #requests}. */
  final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();

  private HttpStub(String host, int port, HttpResponseStatus status, String contentType, String body) {
    listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20))
                        .addLast(
                            new SimpleChannelInboundHandler<FullHttpRequest>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                Map<String, String> h = new LinkedHashMap<>();
                                req.headers().forEach(e -> h.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
                                headers.add(h);
                                requests.add(req.method() + " " + req.uri());
                                if (status == null) {
                                  return; // a host that never answers
                                }
                                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                                DefaultFullHttpResponse res =
                                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
                                res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
                                res.headers().set("X-Ably-Errorcode", "50000");
                                res.headers().set("X-Ably-Errormessage", "scripted failure");
                                HttpUtil.setContentLength(res, b.length);
                                ctx.writeAndFlush(res);
                              }
                            });
                  }
                })
            .bind(host, port)
            .syncUninterruptibly()
            .channel();
  }

  /** Answers every request with {@code status} and a plain-text body. */
  static HttpStub answering(String host, int port, HttpResponseStatus status) {
    return new HttpStub(host, port, status, "text/plain", "scripted " + status.code());
  }

  /** Answers every request with {@code status} and a body of the given type. */
  static HttpStub answering(String host, int port, HttpResponseStatus status, String contentType, String body) {
    return new HttpStub(host, port, status, contentType, body);
  }

  /** Accepts connections and reads requests, but never answers. */
  static HttpStub silent(String host, int port) {
    return new HttpStub(host, port, null, null, null);
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
