package io.ably.itest.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted realtime endpoint for fallback proofs: on a given address and port it either answers
 * every WebSocket upgrade with one JSON frame and closes, or refuses the upgrade with an HTTP
 * status. Counts the requests it saw.
 */
final class FakeRealtimeServer implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;
  /** Upgrade requests (or HTTP requests) received. */
  final AtomicInteger requests = new AtomicInteger();

  private FakeRealtimeServer(String host, int port, String frameJson, HttpResponseStatus refuseWith) {
    listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536));
                    if (refuseWith != null) {
                      ch.pipeline().addLast(new Refuser(refuseWith));
                    } else {
                      ch.pipeline().addLast(new OneFrame(frameJson));
                    }
                  }
                })
            .bind(host, port)
            .syncUninterruptibly()
            .channel();
  }

  /** Answers every upgrade with {@code frameJson} in a text frame, then closes the socket. */
  static FakeRealtimeServer answering(String host, int port, String frameJson) {
    return new FakeRealtimeServer(host, port, frameJson, null);
  }

  /** Answers every upgrade request with an HTTP {@code status}. */
  static FakeRealtimeServer refusing(String host, int port, HttpResponseStatus status) {
    return new FakeRealtimeServer(host, port, null, status);
  }

  private final class Refuser extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final HttpResponseStatus status;

    Refuser(HttpResponseStatus status) {
      this.status = status;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      requests.incrementAndGet();
      DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Completes the upgrade, sends the frame and closes the socket. */
  private final class OneFrame extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String json;

    OneFrame(String json) {
      this.json = json;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      requests.incrementAndGet();
      WebSocketServerHandshaker handshaker =
          new WebSocketServerHandshakerFactory("ws://localhost/", null, true).newHandshaker(request);
      if (handshaker == null) {
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
        return;
      }
      ctx.pipeline().remove(this);
      handshaker
          .handshake(ctx.channel(), request)
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  ctx.channel().writeAndFlush(new TextWebSocketFrame(json)).addListener(ChannelFutureListener.CLOSE);
                } else {
                  ctx.close();
                }
              });
    }
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
