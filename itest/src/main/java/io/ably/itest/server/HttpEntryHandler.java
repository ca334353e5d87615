package io.ably.itest.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of every HTTP connection: a WebSocket upgrade becomes a realtime connection,
 * anything else goes to the REST handler.
 */
final class HttpEntryHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String NAME = "ably-http-entry";

  private final ServerConductor server;
  private final RestHandler rest;
  private final boolean tls;

  HttpEntryHandler(ServerConductor server, RestHandler rest, boolean tls) {
    this.server = server;
    this.rest = rest;
    this.tls = tls;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      rest.handle(ctx, req);
      return;
    }
    String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
    WebSocketServerHandshakerFactory factory =
        new WebSocketServerHandshakerFactory(
            (tls ? "wss://" : "ws://") + host + "/", null, true, server.config.maxFrameSize());
    WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ConnectParams params =
        ConnectParams.parse(req.uri(), req.headers().get(HttpHeaderNames.AUTHORIZATION));
    Transport transport = new Transport(ctx.channel(), params.format(), server.faults);
    long idleMillis = server.config.maxIdleInterval().toMillis();
    if (idleMillis > 0) {
      // A HEARTBEAT well within maxIdleInterval of outbound silence (RTN23, PROTOCOL.md §4.7).
      ctx.pipeline()
          .addLast("ably-idle", new IdleStateHandler(0, idleMillis * 2 / 3, 0, TimeUnit.MILLISECONDS));
    }
    ctx.pipeline()
        .addLast("ws-aggregator", new WebSocketFrameAggregator(server.config.maxFrameSize()))
        .addLast(RealtimeFrameHandler.NAME, new RealtimeFrameHandler(server, transport));
    ctx.pipeline().remove(this);
    handshaker
        .handshake(ctx.channel(), req)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                server.execute(() -> server.onOpen(transport, params));
              } else {
                ctx.close();
              }
            });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
