package io.ably.itest.server;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.itest.server.ServerConductor.RefusedException;
import io.ably.wire.WireFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST endpoints (PROTOCOL.md §8.2): routes each request to its endpoint and writes the
 * response. The I/O thread only copies the request; every request is served by a task on the state
 * loop, and whatever goes wrong there becomes an error response, never an exception for Netty.
 */
final class RestHandler {
  private static final System.Logger LOG = System.getLogger(RestHandler.class.getName());

  private final ServerConductor server;
  private final TokenRequests tokenRequests;
  private final RestChannels channels;
  private final AppProvisioning apps;

  RestHandler(ServerConductor server) {
    this.server = server;
    this.tokenRequests = new TokenRequests(server);
    this.channels = new RestChannels(server);
    this.apps = new AppProvisioning(server);
  }

  /** Serves one request (I/O thread); the request is only valid during this call, so it is copied. */
  void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
    RestRequest r;
    try {
      if (req.decoderResult().isFailure()) {
        throw new IllegalArgumentException("malformed HTTP request");
      }
      r = RestRequest.of(req, ctx.channel().localAddress());
    } catch (IllegalArgumentException e) {
      ErrorInfo error = ErrorInfo.of(ErrorCode.BAD_REQUEST, "bad request: " + e.getMessage());
      write(ctx, false, RestResponse.error(WireFormat.JSON, error));
      return;
    }
    server.execute(() -> write(ctx, r.keepAlive(), serve(r)));
  }

  /** Serves a request on the state loop. Never throws. */
  private RestResponse serve(RestRequest r) {
    assert server.loop.inEventLoop();
    Call call = new Call();
    RestResponse res;
    try {
      res = route(r, call);
    } catch (RefusedException e) {
      res = RestResponse.error(RestFormat.responseFormat(r.accept()), e.error);
    } catch (AblyException e) {
      res = RestResponse.error(RestFormat.responseFormat(r.accept()), e.errorInfo());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "REST " + r.method() + " " + r.path() + " failed", e);
      res =
          RestResponse.error(
              RestFormat.responseFormat(r.accept()),
              ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "internal error: " + e));
    }
    if (call.credentials != null) {
      String outcome = res.status < 400 ? "succeeded" : "failed";
      server.stats.add(
          ServerConductor.appIdOf(call.credentials.keyName()), "apiRequests.all." + outcome, 1,
          server.nowMillis());
    }
    return res;
  }

  /** What one request authenticated as, once it has. */
  private static final class Call {
    Credentials credentials;
  }

  private Credentials authenticate(RestRequest r, Call call) throws RefusedException {
    call.credentials = RestAuth.authenticate(server, r);
    return call.credentials;
  }

  private RestResponse route(RestRequest r, Call call) throws RefusedException {
    List<String> s = r.segments();
    String method = r.method();
    int n = s.size();
    String head = n == 0 ? "" : s.get(0);
    switch (head) {
      case "is-the-internet-up.txt" -> {
        // The connectivity check (REC3), so clients can be pointed at the testkit for it.
        if (n == 1 && method.equals("GET")) {
          return new RestResponse(200, "text/plain", "yes\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
      }
      case "time" -> {
        if (n == 1 && method.equals("GET")) {
          return RestResponse.of(200, WireFormat.JSON, List.of(server.nowMillis()));
        }
      }
      case "keys" -> {
        if (n == 3 && method.equals("POST") && s.get(2).equals("requestToken")) {
          return tokenRequests.requestToken(r, s.get(1));
        }
      }
      case "apps" -> {
        if (n == 1 && method.equals("POST")) {
          return apps.create(r);
        }
        if (n == 2 && method.equals("DELETE")) {
          return apps.delete(authenticate(r, call), s.get(1));
        }
      }
      case "messages" -> {
        if (n == 1 && method.equals("POST")) {
          return channels.batchPublish(r, authenticate(r, call));
        }
      }
      case "stats" -> {
        if (n == 1 && method.equals("GET")) {
          Credentials c = authenticate(r, call);
          RestAuth.requireAnywhere(c, "stats");
          return stats(r, c);
        }
      }
      case "channels" -> {
        if (n >= 2) {
          RestResponse res = routeChannel(r, call, s.get(1), s.subList(2, n), method);
          if (res != null) {
            return res;
          }
        }
      }
      default -> {
        // not found below
      }
    }
    throw Credentials.refused(ErrorCode.NOT_FOUND, "no such resource: " + method + " " + r.path());
  }

  /** Routes {@code /channels/{name}/rest…}; {@code null} if no endpoint matches. */
  private RestResponse routeChannel(
      RestRequest r, Call call, String name, List<String> rest, String method)
      throws RefusedException {
    String path = String.join("/", rest);
    boolean get = method.equals("GET");
    if (path.isEmpty() && get) {
      RestAuth.require(authenticate(r, call), name, "channel-metadata");
      return channels.details(r, name);
    }
    if (path.equals("messages") && method.equals("POST")) {
      Credentials c = authenticate(r, call);
      RestAuth.require(c, name, "publish");
      return channels.publish(r, c, name);
    }
    if ((path.equals("messages") || path.equals("history")) && get) {
      RestAuth.require(authenticate(r, call), name, "history");
      return channels.history(r, name, path);
    }
    if (path.equals("presence") && get) {
      RestAuth.requireEither(authenticate(r, call), name, "presence", "subscribe");
      return channels.presence(r, name);
    }
    if (path.equals("presence/history") && get) {
      RestAuth.require(authenticate(r, call), name, "history");
      return channels.presenceHistory(r, name);
    }
    return null;
  }

  /** {@code GET /stats} (RSC6): this app's counters as Stats entries, paged by interval. */
  private RestResponse stats(RestRequest r, Credentials c) throws RefusedException {
    String unitParam = r.param("unit");
    ServerStats.Unit unit = unitParam == null ? ServerStats.Unit.MINUTE : ServerStats.Unit.parse(unitParam);
    if (unit == null) {
      throw Credentials.refused(
          ErrorCode.INVALID_PARAMETER, "unit must be minute, hour, day or month, was " + unitParam);
    }
    String start = r.param("start");
    String end = r.param("end");
    boolean backwards = Paging.backwards(r);
    int limit = Paging.limit(r);
    String appId = ServerConductor.appIdOf(c.keyName());
    long now = server.nowMillis();
    List<ServerStats.Interval> intervals =
        server.stats.intervals(
            appId, unit, start == null ? 0 : Paging.number(start, "start"),
            end == null ? Long.MAX_VALUE : Paging.number(end, "end"), now);
    Paging.Page<ServerStats.Interval> page =
        Paging.page(
            intervals, i -> new Paging.Position(i.startMillis(), 0), backwards, limit,
            r.param(Paging.CURSOR), "stats");
    List<Object> out = new ArrayList<>();
    for (ServerStats.Interval i : page.items()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("intervalId", i.intervalId());
      entry.put("unit", unit.wireName());
      entry.put("schema", "https://schemas.ably.com/json/app-stats-0.0.5.json");
      entry.put("appId", appId);
      entry.put("entries", i.entries());
      if (i.inProgress() != null) {
        entry.put("inProgress", i.inProgress());
      }
      out.add(entry);
    }
    RestResponse res = RestResponse.of(200, RestFormat.responseFormat(r.accept()), out);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("start", start);
    params.put("end", end);
    params.put("direction", backwards ? "backwards" : "forwards");
    params.put("limit", Integer.toString(limit));
    params.put("unit", unit.wireName());
    Paging.links(res, "stats", params, r.param(Paging.CURSOR), page);
    return res;
  }

  /** Writes a response; Netty queues it on the connection's own I/O thread. */
  private static void write(ChannelHandlerContext ctx, boolean keepAlive, RestResponse res) {
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(res.status),
            Unpooled.wrappedBuffer(res.body));
    if (res.contentType != null) {
      out.headers().set(HttpHeaderNames.CONTENT_TYPE, res.contentType);
    }
    for (Map.Entry<String, String> h : res.headers) {
      out.headers().add(h.getKey(), h.getValue());
    }
    HttpUtil.setContentLength(out, res.body.length);
    HttpUtil.setKeepAlive(out, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(out, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
