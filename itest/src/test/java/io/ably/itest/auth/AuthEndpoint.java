package io.ably.itest.auth;

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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A tiny token endpoint on loopback, as an application's backend would serve an {@code authUrl}:
 * every request is answered by a handler (asynchronously), and recorded.
 */
final class AuthEndpoint implements AutoCloseable {
  /** A request: method, path, the query and form parameters merged, headers (lower case). */
  record Request(String method, String path, Map<String, String> params, Map<String, String> headers) {}

  /** A response: status, content type, body. */
  record Response(int status, String contentType, String body) {}

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;
  /** Every request received, in order. */
  final List<Request> requests = new CopyOnWriteArrayList<>();

  AuthEndpoint(Function<Request, CompletionStage<Response>> handler) {
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
                                req.headers().forEach(e -> h.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
                                QueryStringDecoder q = new QueryStringDecoder(req.uri());
                                Map<String, String> params = new LinkedHashMap<>();
                                q.parameters().forEach((k, v) -> params.put(k, v.get(0)));
                                String body = req.content().toString(StandardCharsets.UTF_8);
                                if (!body.isEmpty()) {
                                  new QueryStringDecoder(body, false)
                                      .parameters()
                                      .forEach((k, v) -> params.put(k, v.get(0)));
                                }
                                Request r = new Request(req.method().name(), q.path(), params, h);
                                requests.add(r);
                                handler.apply(r).whenComplete(
                                    (res, e) -> {
                                      Response out = e != null ? new Response(500, "text/plain", e.toString()) : res;
                                      byte[] b = out.body().getBytes(StandardCharsets.UTF_8);
                                      DefaultFullHttpResponse resp =
                                          new DefaultFullHttpResponse(
                                              HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(out.status()),
                                              Unpooled.wrappedBuffer(b));
                                      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, out.contentType());
                                      HttpUtil.setContentLength(resp, b.length);
                                      ctx.writeAndFlush(resp);
                                    });
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
  }

  /** The endpoint's URL with this path and query. */
  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + pathAndQuery;
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
