package io.ably.engine.internal.testing;

import io.ably.wire.Action;
import io.ably.wire.ConnectionDetails;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A tiny Ably-like WebSocket server on 127.0.0.1 for the engine's own tests (the full testkit lives
 * in itest, which depends on this module): CONNECTED on upgrade, HEARTBEAT echo, a garbage frame
 * for a HEARTBEAT with id "garbage", a hang-up for id "hangup", and 503 to an upgrade on
 * {@code /unavailable}. {@link #close()} stops it and its threads.
 */
public final class TinyAblyServer implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  private TinyAblyServer() throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536))
                        .addLast(new UnavailablePath())
                        .addLast(new WebSocketServerProtocolHandler("/", null, true, 1 << 20, false, true))
                        .addLast(new TinyAbly());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  /**
   * Starts a server on an ephemeral loopback port.
   *
   * @return the server
   * @throws InterruptedException if interrupted while binding
   */
  public static TinyAblyServer start() throws InterruptedException {
    return new TinyAblyServer();
  }

  /**
   * Returns the port.
   *
   * @return the port
   */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Answers 503 to an upgrade on /unavailable, as a failing front end would. */
  private static final class UnavailablePath extends SimpleChannelInboundHandler<FullHttpRequest> {
    UnavailablePath() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (req.uri().startsWith("/unavailable")) {
        req.release();
        DefaultFullHttpResponse res =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE);
        HttpUtil.setContentLength(res, 0);
        ctx.writeAndFlush(res);
        return;
      }
      ctx.fireChannelRead(req);
    }
  }

  /** CONNECTED on upgrade; echoes HEARTBEATs; garbage or a hang-up when asked. */
  private static final class TinyAbly extends SimpleChannelInboundHandler<WebSocketFrame> {
    private WireFormat format = WireFormat.MSGPACK;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
        format = hc.requestUri().contains("format=json") ? WireFormat.JSON : WireFormat.MSGPACK;
        send(ctx, ProtocolMessage.builder(Action.CONNECTED).connectionId("c1")
            .connectionDetails(new ConnectionDetails(null, "c1!k", null, null, null, null, null, 15_000L, null, null, null))
            .build());
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      ProtocolMessage pm = ProtocolCodec.of(format).decode(frame.content().nioBuffer());
      if (pm.action() == Action.HEARTBEAT && "garbage".equals(pm.id())) {
        ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0xc1})));
      } else if (pm.action() == Action.HEARTBEAT && "hangup".equals(pm.id())) {
        ctx.close();
      } else if (pm.action() == Action.HEARTBEAT) {
        send(ctx, ProtocolMessage.builder(Action.HEARTBEAT).id(pm.id()).build());
      } else if (pm.action() == Action.CLOSE) {
        send(ctx, ProtocolMessage.builder(Action.CLOSED).build());
      }
    }

    private void send(ChannelHandlerContext ctx, ProtocolMessage pm) {
      byte[] bytes = ProtocolCodec.of(format).encode(pm);
      ctx.writeAndFlush(format == WireFormat.JSON
          ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
          : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }
  }
}
