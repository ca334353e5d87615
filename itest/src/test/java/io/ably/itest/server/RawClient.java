package io.ably.itest.server;

import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bare WebSocket client for testing the testkit server at the protocol level: sends
 * ProtocolMessages or raw bytes, records every message received, and notices the socket closing.
 */
final class RawClient implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final BlockingQueue<ProtocolMessage> received = new LinkedBlockingQueue<>();
  private final List<ProtocolMessage> history = new ArrayList<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final WireFormat format;
  private final Channel channel;

  private RawClient(URI uri, WireFormat format) throws Exception {
    this(uri, format, null);
  }

  private RawClient(URI uri, WireFormat format, SslContext ssl) throws Exception {
    this.format = format;
    // Netty's protocol handler owns the handshake and reports completion only once the
    // WebSocket encoder and decoder are in place, so no frame can be written too early.
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .allowExtensions(true)
            .maxFramePayloadLength(1 << 20)
            .handshakeTimeoutMillis(TIMEOUT.toMillis())
            .build();
    CompletableFuture<Void> handshaken = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
                    }
                    ch.pipeline()
                        .addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20))
                        .addLast(new WebSocketClientProtocolHandler(config))
                        .addLast(
                            new SimpleChannelInboundHandler<WebSocketFrame>() {
                              @Override
                              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                  handshaken.complete(null);
                                } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                                  handshaken.completeExceptionally(new IllegalStateException("handshake timed out"));
                                }
                              }

                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                if (f instanceof TextWebSocketFrame || f instanceof BinaryWebSocketFrame) {
                                  WireFormat fmt =
                                      f instanceof TextWebSocketFrame ? WireFormat.JSON : WireFormat.MSGPACK;
                                  received.add(ProtocolCodec.of(fmt).decode(f.content().nioBuffer()));
                                }
                              }

                              @Override
                              public void channelInactive(ChannelHandlerContext ctx) {
                                closed.complete(null);
                                handshaken.completeExceptionally(new IllegalStateException("closed"));
                              }

                              @Override
                              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                handshaken.completeExceptionally(cause);
                                ctx.close();
                              }
                            });
                  }
                });
    channel = b.connect(uri.getHost(), uri.getPort()).sync().channel();
    handshaken.get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
  }

  /** Connects to {@code ws://host:port/?query}. */
  static RawClient connect(int port, String query, WireFormat format) throws Exception {
    return connect("127.0.0.1", port, query, format);
  }

  /** Connects to {@code ws://host:port/?query}. */
  static RawClient connect(String host, int port, String query, WireFormat format) throws Exception {
    String q = query + (query.isEmpty() ? "" : "&") + "format=" + format.paramValue() + "&v=6";
    return new RawClient(URI.create("ws://" + host + ":" + port + "/?" + q), format);
  }

  /** Connects to {@code wss://host:port/?query}, trusting what {@code ssl} trusts. */
  static RawClient connectTls(URI base, String query, WireFormat format, SslContext ssl) throws Exception {
    String q = query + "&format=" + format.paramValue() + "&v=6";
    return new RawClient(URI.create(base + "?" + q), format, ssl);
  }

  void send(ProtocolMessage pm) {
    sendRaw(ProtocolCodec.of(format).encode(pm));
  }

  void sendRaw(byte[] bytes) {
    WebSocketFrame frame =
        format == WireFormat.JSON
            ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
            : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
    channel.writeAndFlush(frame).syncUninterruptibly();
  }

  /** Waits for the next received message that matches, skipping (and keeping) the others. */
  ProtocolMessage await(Predicate<ProtocolMessage> match) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      ProtocolMessage pm = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (pm == null) {
        throw new AssertionError("no matching message within " + TIMEOUT + "; got " + history);
      }
      history.add(pm);
      if (match.test(pm)) {
        return pm;
      }
    }
  }

  /**
   * Tells whether no matching message arrives within {@code window} (others are kept in the
   * history). Used to show that something is NOT sent, so the window is short and explicit.
   */
  boolean noneWithin(Duration window, Predicate<ProtocolMessage> match) throws InterruptedException {
    long deadline = System.nanoTime() + window.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      ProtocolMessage pm = received.poll(left, TimeUnit.NANOSECONDS);
      if (pm == null) {
        return true;
      }
      history.add(pm);
      if (match.test(pm)) {
        return false;
      }
    }
  }

  /** Returns the next message, whatever it is. */
  ProtocolMessage next() throws InterruptedException {
    return await(pm -> true);
  }

  /** Returns the messages received so far that were not yet taken, without waiting. */
  List<ProtocolMessage> drain() {
    List<ProtocolMessage> out = new ArrayList<>();
    received.drainTo(out);
    return out;
  }

  /** Waits until the server closes the socket. */
  void awaitClosed() throws Exception {
    closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
