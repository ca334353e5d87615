package io.ably.itest.client;

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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted, misbehaving realtime endpoint on loopback: it completes each WebSocket handshake
 * and then hands the connection to a {@link Script}, which decides every frame the client gets.
 * Counts connections and keeps the text of every frame the client sent.
 */
final class HostileServer implements AutoCloseable {
  /** What the server does on one connection; called on the server's own loop. */
  interface Script {
    /** The handshake is complete; {@code connection} counts from 1. */
    void opened(Peer peer, int connection);

    /**
     * The client sent a frame (its payload as text: the client speaks JSON here). By default a
     * HEARTBEAT (a ping, RTN13) is echoed, so {@code connection().ping()} works, and a CLOSE is
     * answered with CLOSED, so closing a client does not wait out its timeout (RTN12b).
     */
    default void received(Peer peer, int connection, String frame) {
      if (frame.matches("(?s).*\"action\":0[,}].*")) {
        peer.text(frame);
      } else if (frame.matches("(?s).*\"action\":7[,}].*")) {
        peer.text("{\"action\":8}");
      }
    }
  }

  /**
   * Answers the HTTP upgrade request itself instead of completing a WebSocket handshake: for
   * handshake abuse. Called on the server's loop; {@code connection} counts from 1.
   */
  interface Handshake {
    void request(Channel channel, FullHttpRequest request, int connection);
  }

  /** One client connection, as the script sees it. */
  static final class Peer {
    private final Channel channel;

    Peer(Channel channel) {
      this.channel = channel;
    }

    void text(String json) {
      channel.writeAndFlush(new TextWebSocketFrame(json));
    }

    void textBytes(byte[] bytes) {
      channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    void binary(byte[] bytes) {
      channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    void drop() {
      channel.close();
    }

    /** Stops reading what the client sends: its writes fill the socket buffers, then wait. */
    void stopReading() {
      channel.config().setAutoRead(false);
    }

    /** Sends one text message in fragments of {@code fragment} bytes (RFC 6455 continuation). */
    void fragmentedText(byte[] payload, int fragment) {
      for (int at = 0; at < payload.length; at += fragment) {
        int n = Math.min(fragment, payload.length - at);
        boolean last = at + n >= payload.length;
        io.netty.buffer.ByteBuf part = Unpooled.wrappedBuffer(payload, at, n);
        channel.write(at == 0
            ? new TextWebSocketFrame(last, 0, part)
            : new io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame(last, 0, part));
      }
      channel.flush();
    }

    /**
     * Writes {@code count} text frames made by {@code frame} as fast as the client reads them:
     * while the socket takes writes, then again each time it drains (checked every millisecond on
     * the server's loop). {@code progress} learns how many were written and whether the socket is
     * full now.
     */
    void flood(int count, java.util.function.IntFunction<String> frame, Flood progress) {
      channel.eventLoop().execute(() -> floodFrom(0, count, frame, progress));
    }

    private void floodFrom(int next, int count, java.util.function.IntFunction<String> frame, Flood progress) {
      int i = next;
      while (i < count && channel.isActive() && channel.isWritable()) {
        channel.write(new TextWebSocketFrame(frame.apply(i++)));
        if ((i & 63) == 0) {
          channel.flush();
        }
      }
      channel.flush();
      boolean moved = i != progress.written.get();
      progress.written.set(i);
      progress.full.set(i < count && channel.isActive());
      progress.stalledChecks = moved ? 0 : progress.stalledChecks + 1;
      if (progress.stalledChecks >= 200) {
        progress.stalled.countDown(); // full and not drained for 200 checks: the client stopped reading
      }
      if (i < count && channel.isActive()) {
        int from = i;
        channel.eventLoop().schedule(() -> floodFrom(from, count, frame, progress), 1, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** A flood's progress, for the test thread. */
  static final class Flood {
    /** Frames written so far. */
    final AtomicInteger written = new AtomicInteger();
    /** Whether the socket was full (the client not reading) at the last check. */
    final java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
    /** Opened once the socket has stayed full, nothing written, for 200 checks (~200 ms). */
    final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
    /** Consecutive checks without progress; the server's loop only. */
    private int stalledChecks;
  }

  /** A CONNECTED that carries everything the spec requires, with the given id. */
  static String connected(String connectionId, long maxIdleMillis) {
    return "{\"action\":4,\"connectionId\":\"" + connectionId + "\",\"connectionKey\":\"key-"
        + connectionId + "\",\"connectionDetails\":{\"connectionKey\":\"key-" + connectionId
        + "\",\"maxIdleInterval\":" + maxIdleMillis + ",\"connectionStateTtl\":120000}}";
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;
  private final Script script;
  private final Handshake handshake;
  /** Connections whose handshake completed. */
  final AtomicInteger connections = new AtomicInteger();
  /** Every frame the client sent, in order, as text. */
  final Queue<String> received = new ConcurrentLinkedQueue<>();

  HostileServer(Script script) {
    this(script, null);
  }

  /** A server that answers every upgrade request with {@code handshake}, never a WebSocket. */
  HostileServer(Handshake handshake) {
    this((peer, n) -> {}, handshake);
  }

  private HostileServer(Script script, Handshake handshake) {
    this.script = script;
    this.handshake = handshake;
    listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536), new Upgrade());
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
  }

  int port() {
    return ((java.net.InetSocketAddress) listener.localAddress()).getPort();
  }

  private final class Upgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (handshake != null) {
        handshake.request(ctx.channel(), request, connections.incrementAndGet());
        return;
      }
      WebSocketServerHandshaker handshaker =
          new WebSocketServerHandshakerFactory("ws://127.0.0.1/", null, true, 1 << 20).newHandshaker(request);
      if (handshaker == null) {
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
        return;
      }
      ctx.pipeline().remove(this);
      handshaker.handshake(ctx.channel(), request).addListener(f -> {
        if (!f.isSuccess()) {
          ctx.close();
          return;
        }
        int n = connections.incrementAndGet();
        Peer peer = new Peer(ctx.channel());
        ctx.pipeline().addLast(new SimpleChannelInboundHandler<WebSocketFrame>() {
          @Override
          protected void channelRead0(ChannelHandlerContext c, WebSocketFrame frame) {
            String text = frame.content().toString(StandardCharsets.UTF_8);
            received.add(text);
            script.received(peer, n, text);
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            c.close();
          }
        });
        script.opened(peer, n);
      });
    }
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
