package io.ably.engine.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.engine.internal.Counters;
import io.ably.wire.Action;
import io.ably.wire.ConnectionDetails;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import io.ably.wire.WireFormatException;
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
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transport against a tiny WebSocket server: CONNECTED on upgrade, HEARTBEAT echo, a garbage
 * frame on request, 503 on {@code /unavailable}. (The full testkit lives in itest, which depends on
 * this module; end-to-end proofs of the client are there.)
 */
class WebSocketTransportTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private EventLoopGroup serverGroup;
  private EventLoopGroup clientGroup;
  private Channel server;
  private int port;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void startServer() throws InterruptedException {
    serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(serverGroup)
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
    port = ((InetSocketAddress) server.localAddress()).getPort();
  }

  @AfterEach
  void stopServer() {
    server.close().syncUninterruptibly();
    serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
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

  /** CONNECTED on upgrade; echoes HEARTBEATs; sends garbage when asked by a HEARTBEAT with id "garbage". */
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
      }
    }

    private void send(ChannelHandlerContext ctx, ProtocolMessage pm) {
      byte[] bytes = ProtocolCodec.of(format).encode(pm);
      ctx.writeAndFlush(format == WireFormat.JSON
          ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
          : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }
  }

  /** Records the listener's calls as strings, checking they run on the transport's loop. */
  private final class Recorder implements TransportListener {
    private final EventLoop loop;

    Recorder(EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public void onOpen(WebSocketTransport transport) {
      assertTrue(loop.inEventLoop());
      events.add("open");
    }

    @Override
    public void onMessage(WebSocketTransport transport, ProtocolMessage message) {
      assertTrue(loop.inEventLoop());
      events.add(message.action() + (message.id() == null ? "" : ":" + message.id()));
    }

    @Override
    public void onProtocolError(WebSocketTransport transport, WireFormatException error) {
      events.add("protocol-error:" + error.code());
    }

    @Override
    public void onClosed(WebSocketTransport transport, TransportFailure failure) {
      assertTrue(loop.inEventLoop());
      events.add(failure == null ? "closed" : "failed:" + failure.error().code() + ":" + failure.qualifiesForFallback());
    }
  }

  private WebSocketTransport open(EventLoop loop, String pathAndQuery, WireFormat format) throws Exception {
    URI uri = URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    return loop.submit(() -> WebSocketTransport.open(loop, uri, format, null, null, TIMEOUT, new Recorder(loop), new Counters()))
        .get(5, TimeUnit.SECONDS);
  }

  private String next() throws InterruptedException {
    String e = events.poll(10, TimeUnit.SECONDS);
    assertTrue(e != null, "no event within 10 s");
    return e;
  }

  private static void onLoop(EventLoop loop, Runnable r) throws Exception {
    loop.submit(r).get(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void opensDeliversDecodedFramesAndClosesWithoutAFailure(WireFormat format) throws Exception {
    EventLoop loop = clientGroup.next();
    WebSocketTransport t = open(loop, "/?format=" + format.paramValue(), format);
    assertEquals("open", next());
    assertEquals("CONNECTED", next());
    onLoop(loop, () -> assertTrue(t.send(ProtocolMessage.builder(Action.HEARTBEAT).id("p1").build())));
    assertEquals("HEARTBEAT:p1", next());
    onLoop(loop, t::close);
    assertEquals("closed", next());
    onLoop(loop, () -> assertFalse(t.send(ProtocolMessage.builder(Action.HEARTBEAT).build())));
    assertNull(events.poll());
  }

  @Test
  void anUndecodableFrameIsAProtocolErrorAndTheTransportStaysOpen() throws Exception {
    EventLoop loop = clientGroup.next();
    WebSocketTransport t = open(loop, "/?format=msgpack", WireFormat.MSGPACK);
    assertEquals("open", next());
    assertEquals("CONNECTED", next());
    onLoop(loop, () -> t.send(ProtocolMessage.builder(Action.HEARTBEAT).id("garbage").build()));
    assertEquals("protocol-error:80013", next());
    onLoop(loop, () -> t.send(ProtocolMessage.builder(Action.HEARTBEAT).id("after").build()));
    assertEquals("HEARTBEAT:after", next());
    onLoop(loop, t::abort);
    assertEquals("closed", next());
  }

  @Test
  void aServerThatHangsUpIsADisconnectionThatDoesNotAskForAFallback() throws Exception {
    EventLoop loop = clientGroup.next();
    WebSocketTransport t = open(loop, "/?format=msgpack", WireFormat.MSGPACK);
    assertEquals("open", next());
    assertEquals("CONNECTED", next());
    onLoop(loop, () -> t.send(ProtocolMessage.builder(Action.HEARTBEAT).id("hangup").build()));
    assertEquals("failed:80003:false", next());
  }

  @Test
  void aRefusedConnectionAndAn503UpgradeQualifyForAFallbackHostRTN17f() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    EventLoop loop = clientGroup.next();
    URI refused = URI.create("ws://127.0.0.1:" + closedPort + "/?format=json");
    onLoop(loop, () -> WebSocketTransport.open(loop, refused, WireFormat.JSON, null, null, TIMEOUT, new Recorder(loop), new Counters()));
    assertEquals("failed:80003:true", next());

    open(loop, "/unavailable?format=json", WireFormat.JSON);
    assertEquals("failed:80003:true", next());
  }

  @Test
  void aConnectionBrokenBeforeTheWebSocketOpenedQualifiesButNotOnceOpenNorATlsFailureRTN17f() {
    java.net.SocketException reset = new java.net.SocketException("Connection reset");
    assertTrue(WebSocketTransport.classify(reset, true).qualifiesForFallback(), "a host that resets while connecting");
    assertFalse(WebSocketTransport.classify(reset, false).qualifiesForFallback(), "a live connection that broke: resume");
    assertFalse(
        WebSocketTransport.classify(new javax.net.ssl.SSLHandshakeException("bad certificate"), true).qualifiesForFallback(),
        "every host would present the same certificate problem");
    assertEquals(80003, WebSocketTransport.classify(reset, true).error().code());
  }
}
