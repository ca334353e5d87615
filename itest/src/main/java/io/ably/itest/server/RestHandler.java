package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/** The REST endpoints a realtime client uses (PROTOCOL.md §8). Requests are served on the state loop. */
final class RestHandler {
  private final ServerConductor server;

  RestHandler(ServerConductor server) {
    this.server = server;
  }

  /** Serves one request; the request is only valid during this call, so its parts are copied. */
  void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
    String path = new QueryStringDecoder(req.uri()).path();
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpMethod method = req.method();
    server.execute(
        () -> {
          if (method.equals(HttpMethod.GET) && path.equals("/time")) {
            respond(ctx, keepAlive, HttpResponseStatus.OK, "[" + server.nowMillis() + "]");
          } else {
            error(ctx, keepAlive, ErrorInfo.of(ErrorCode.NOT_FOUND, "no such resource: " + path));
          }
        });
  }

  private static void error(ChannelHandlerContext ctx, boolean keepAlive, ErrorInfo e) {
    String body =
        "{\"error\":{\"message\":" + com.alibaba.fastjson2.JSON.toJSONString(e.message())
            + ",\"code\":" + e.code() + ",\"statusCode\":" + e.statusCode() + "}}";
    respond(ctx, keepAlive, HttpResponseStatus.valueOf(e.statusCode()), body);
  }

  private static void respond(
      ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String json) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    HttpUtil.setContentLength(res, res.content().readableBytes());
    HttpUtil.setKeepAlive(res, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(res, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
