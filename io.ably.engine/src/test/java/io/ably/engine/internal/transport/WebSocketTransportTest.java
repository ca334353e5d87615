package io.ably.engine.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.engine.internal.Counters;
import io.ably.engine.internal.testing.TinyAblyServer;
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
import io.netty.resolver.AddressResolverGroup;
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
 * The transport against {@link TinyAblyServer}. (The full testkit lives in itest, which depends on
 * this module; end-to-end proofs of the client are there.)
 */
class WebSocketTransportTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private EventLoopGroup clientGroup;
  private TinyAblyServer server;
  private int port;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  /** The client's resolver: Netty's asynchronous DNS, as the engine uses it. */
  private AddressResolverGroup<InetSocketAddress> resolver;
  /** True while open() runs on the loop: nothing may be reported then. Loop only. */
  private boolean opening;
  /** The failure last reported. Loop, then read after the event was taken. */
  private volatile TransportFailure lastFailure;

  @BeforeEach
  void startServer() throws InterruptedException {
    server = TinyAblyServer.start();
    port = server.port();
    clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    resolver = Resolvers.platform();
  }

  @AfterEach
  void stopServer() {
    server.close();
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    resolver.close();
  }

  /** Records the listener's calls as strings, checking they run on the transport's loop. */
  private final class Recorder implements TransportListener {
    private final EventLoop loop;

    Recorder(EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public void onOpen(Transport transport) {
      assertTrue(loop.inEventLoop());
      events.add("open");
    }

    @Override
    public void onMessage(Transport transport, ProtocolMessage message) {
      assertTrue(loop.inEventLoop());
      events.add(message.action() + (message.id() == null ? "" : ":" + message.id()));
    }

    @Override
    public void onProtocolError(Transport transport, WireFormatException error) {
      events.add("protocol-error:" + error.code());
    }

    @Override
    public void onWritable(Transport transport) {
      assertTrue(loop.inEventLoop());
    }

    @Override
    public void onClosed(Transport transport, TransportFailure failure) {
      assertTrue(loop.inEventLoop());
      if (opening) {
        events.add("reported from inside open()");
      }
      lastFailure = failure;
      events.add(failure == null ? "closed" : "failed:" + failure.error().code() + ":" + failure.qualifiesForFallback());
    }
  }

  private WebSocketTransport open(EventLoop loop, String pathAndQuery, WireFormat format) throws Exception {
    return open(loop, URI.create("ws://127.0.0.1:" + port + pathAndQuery), format, TIMEOUT);
  }

  /** Opens on the loop, as the conductor does, noting any report made from inside open(). */
  private WebSocketTransport open(EventLoop loop, URI uri, WireFormat format, Duration timeout) throws Exception {
    return loop.submit(
            () -> {
              opening = true;
              try {
                return WebSocketTransport.open(
                    loop, uri, format, null, null, resolver, timeout, new Recorder(loop), new Counters());
              } finally {
                opening = false;
              }
            })
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
    onLoop(loop, t::abort);
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
    open(loop, refused, WireFormat.JSON, TIMEOUT);
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

  @Test
  void anUnknownHostFailsAtOnceWithTheHostNamedAndNeverFromInsideOpen() throws Exception {
    EventLoop loop = clientGroup.next();
    // A long timeout: the failure must be the look-up's, not the attempt's timing out.
    open(loop, URI.create("ws://realtime.nowhere.invalid:" + port + "/?format=json"), WireFormat.JSON, Duration.ofSeconds(60));
    assertEquals("failed:80003:true", next(), "an unknown host qualifies for a fallback host (RTN17f)");
    assertTrue(lastFailure.error().message().contains("realtime.nowhere.invalid"), lastFailure.error().message());
    assertNull(events.poll(), "nothing reported from inside open()");
  }

  @Test
  void aRefusedConnectionIsNeverReportedFromInsideOpen() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    EventLoop loop = clientGroup.next();
    open(loop, URI.create("ws://localhost:" + closedPort + "/?format=json"), WireFormat.JSON, TIMEOUT);
    assertEquals("failed:80003:true", next());
    assertNull(events.poll());
  }

  @Test
  void reservedNamesNeverReachAResolverRFC6761() {
    assertTrue(Resolvers.reserved("x.invalid"));
    assertTrue(Resolvers.reserved("X.INVALID."));
    assertTrue(Resolvers.reserved("invalid"));
    assertFalse(Resolvers.reserved("invalid.example.com"));
    assertFalse(Resolvers.reserved("localhost"));
  }
}
