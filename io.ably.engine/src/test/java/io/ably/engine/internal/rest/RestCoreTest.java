package io.ably.engine.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.RestCounters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
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
import io.ably.engine.internal.transport.Resolvers;
import io.netty.resolver.AddressResolverGroup;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request path's token-renewal hook (RSA4b) with a renewing credential, and error mapping,
 * against a scripted HTTP server on loopback.
 */
class RestCoreTest {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  /** The engine's own asynchronous resolver, as clients use it. */
  private final AddressResolverGroup<InetSocketAddress> resolver = Resolvers.platform();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private Channel server;

  @AfterEach
  void stop() {
    resolver.close();
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Answers GET /time: 401 with 40142 unless the token is {@code accepted}, else {@code [123]}. */
  private int serve(String accepted) {
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
                        .addLast(
                            new SimpleChannelInboundHandler<FullHttpRequest>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
                                authorizations.add(auth);
                                boolean ok = ("Bearer " + accepted).equals(auth);
                                byte[] body =
                                    (ok
                                            ? "[123]"
                                            : "{\"error\":{\"code\":40142,\"statusCode\":401,\"message\":\"expired\"}}")
                                        .getBytes(StandardCharsets.UTF_8);
                                DefaultFullHttpResponse res =
                                    new DefaultFullHttpResponse(
                                        HttpVersion.HTTP_1_1,
                                        ok ? HttpResponseStatus.OK : HttpResponseStatus.UNAUTHORIZED,
                                        Unpooled.wrappedBuffer(body));
                                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                                HttpUtil.setContentLength(res, body.length);
                                ctx.writeAndFlush(res);
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Tokens "old", then "new" (and so on) on each renewal. */
  private static final class Renewing implements RestCredentials {
    private final List<String> tokens;
    int renewals;

    Renewing(List<String> tokens) {
      this.tokens = tokens;
    }

    @Override
    public void authorization(boolean renew, BiConsumer<String, AblyException> then) {
      if (renew) {
        renewals++;
      }
      then.accept("Bearer " + tokens.get(Math.min(renewals, tokens.size() - 1)), null);
    }

    @Override
    public boolean canRenew() {
      return true;
    }

    @Override
    public boolean basic() {
      return false;
    }
  }

  private RestCore core(int port, RestCredentials credentials) {
    ClientOptions options =
        ClientOptions.builder().token("unused").host("127.0.0.1").port(port).tls(false).useBinaryProtocol(false).inlineCallbacks(true).build();
    EventLoop loop = group.next();
    return new RestCore(
        loop, options, null, resolver,
        new CallbackDispatcher(options, new ClientLog("test", Level.WARNING), new Counters(), loop),
        new ClientLog("test", Level.WARNING), new RestCounters(), System::nanoTime, credentials, null);
  }

  private static Instant time(RestCore core) throws Exception {
    return core.<Instant>submit(
            "time",
            done -> core.execute("GET", "/time", Map.of(), null, Map.of(), false, RestReaders::time, done))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void aTokenErrorIsAnsweredByOneRenewalAndOneRetryRSA4b() throws Exception {
    int port = serve("new");
    Renewing credentials = new Renewing(List.of("old", "new"));
    assertEquals(Instant.ofEpochMilli(123), time(core(port, credentials)));
    assertEquals(1, credentials.renewals);
    assertEquals(List.of("Bearer old", "Bearer new"), authorizations);
  }

  @Test
  void aTokenErrorAfterTheRenewalFailsWithTheServicesErrorAndNoSecondRenewalRSA4b() throws Exception {
    int port = serve("never");
    Renewing credentials = new Renewing(List.of("old", "new", "newer"));
    RestCore core = core(port, credentials);
    ExecutionException e = assertThrows(ExecutionException.class, () -> time(core));
    AblyException cause = assertInstanceOf(AblyException.class, e.getCause());
    assertEquals(40_142, cause.code());
    assertEquals(401, cause.statusCode());
    assertEquals(1, credentials.renewals);
    assertEquals(2, authorizations.size());
  }

  @Test
  void anErrorResponseTakesItsCodeFromTheBodyThenTheHeadersThenTheStatusHP6HP7() {
    HttpResult withBody =
        new HttpResult(
            400, Map.of("content-type", List.of("application/json")),
            "{\"error\":{\"code\":40010,\"statusCode\":400,\"message\":\"bad name\",\"href\":\"h\"}}"
                .getBytes(StandardCharsets.UTF_8),
            "host");
    ErrorInfo a = RestCore.errorOf(withBody, "rid");
    assertEquals(new ErrorInfo(40_010, 400, "bad name", "h", null, null, "rid"), a);

    HttpResult headersOnly =
        new HttpResult(
            503, Map.of("x-ably-errorcode", List.of("50003"), "x-ably-errormessage", List.of("busy")),
            new byte[0], "host");
    ErrorInfo b = RestCore.errorOf(headersOnly, null);
    assertEquals(50_003, b.code());
    assertEquals(503, b.statusCode());
    assertEquals("busy", b.message());

    HttpResult bare = new HttpResult(502, Map.of("content-type", List.of("text/html")), "<h1>".getBytes(StandardCharsets.UTF_8), "h2");
    ErrorInfo c = RestCore.errorOf(bare, null);
    assertEquals(0, c.code());
    assertEquals(502, c.statusCode());
    assertTrue(c.message().contains("502"), c::toString);
  }

  @Test
  void aClosedLoopFailsTheStageRatherThanThrowing() throws Exception {
    RestCore core = core(1, new Renewing(List.of("t")));
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    CompletableFuture<Instant> f = core.<Instant>submit("time", done -> done.complete(Instant.EPOCH)).toCompletableFuture();
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertTrue(assertInstanceOf(AblyException.class, e.getCause()).errorInfo().is(ErrorCode.CONNECTION_CLOSED));
  }
}
