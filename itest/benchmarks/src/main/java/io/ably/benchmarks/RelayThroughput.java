package io.ably.benchmarks;

import io.ably.api.message.Message;
import io.ably.itest.AblyTestServer;
import io.ably.wire.Action;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How many messages per second the testkit server relays from one publisher to one subscriber on
 * loopback (MessagePack, 100-byte text payloads, at most {@code window} unacknowledged publishes).
 * The clients are bare Netty WebSockets, so the figure is the server's, not a client library's.
 *
 * <p>Run: {@code java -cp itest/benchmarks/target/benchmarks.jar io.ably.benchmarks.RelayThroughput
 * [messages] [window]}.
 */
public final class RelayThroughput {
  private RelayThroughput() {}

  /**
   * Runs the measurement and prints one line per round.
   *
   * @param args optional message count (default 200000) and window (default 1000)
   * @throws InterruptedException if interrupted
   * @throws ExecutionException if a client fails to connect
   * @throws TimeoutException if a client does not connect in time
   */
  public static void main(String[] args)
      throws InterruptedException, ExecutionException, TimeoutException {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    EventLoopGroup clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try (AblyTestServer server = AblyTestServer.builder().historyLimit(1_000).start()) {
      for (int round = 1; round <= 3; round++) {
        double rate = run(server, clients, messages, window, "relay-" + round);
        System.out.printf(
            Locale.ROOT, "round %d: %,d messages relayed in order, %,.0f msg/s%n", round, messages, rate);
      }
    } finally {
      clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static double run(
      AblyTestServer server, EventLoopGroup group, int messages, int window, String channel)
      throws InterruptedException, ExecutionException, TimeoutException {
    CountDownLatch received = new CountDownLatch(messages);
    CountDownLatch attached = new CountDownLatch(1);
    long[] expected = {0};
    Channel sub =
        connect(server, group, pm -> {
          if (pm.action() == Action.ATTACHED) {
            attached.countDown();
          } else if (pm.action() == Action.MESSAGE) {
            long seq = Long.parseLong(pm.messages().get(0).name());
            if (seq != expected[0]++) {
              throw new IllegalStateException("out of order: " + seq);
            }
            received.countDown();
          }
        });
    send(sub, ProtocolMessage.builder(Action.ATTACH).channel(channel).build());
    if (!attached.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no ATTACHED");
    }
    Semaphore inFlight = new Semaphore(window);
    Channel pub =
        connect(server, group, pm -> {
          if (pm.action() == Action.ACK) {
            inFlight.release(pm.count());
          }
        });
    String payload = "x".repeat(100);
    long start = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      inFlight.acquire();
      send(
          pub,
          ProtocolMessage.builder(Action.MESSAGE)
              .channel(channel)
              .msgSerial((long) i)
              .messages(List.of(Message.ofText(Integer.toString(i), payload)))
              .build());
    }
    if (!received.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + (messages - received.getCount()) + " received");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pub.close().sync();
    sub.close().sync();
    return messages / seconds;
  }

  private static void send(Channel ch, ProtocolMessage pm) {
    byte[] bytes = ProtocolCodec.of(WireFormat.MSGPACK).encode(pm);
    ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), ch.voidPromise());
  }

  private static Channel connect(
      AblyTestServer server, EventLoopGroup group, Consumer<ProtocolMessage> onMessage)
      throws InterruptedException, ExecutionException, TimeoutException {
    URI uri =
        URI.create(
            "ws://127.0.0.1:" + server.port() + "/?format=msgpack&v=6&key="
                + server.defaultKey().keyStr().replace(":", "%3A"));
    WebSocketClientHandshaker handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(
            uri, WebSocketVersion.V13, null, true, new DefaultHttpHeaders(), 1 << 20);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    Channel ch =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel c) {
                    c.pipeline()
                        .addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20))
                        .addLast(
                            new SimpleChannelInboundHandler<Object>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                if (!handshaker.isHandshakeComplete()) {
                                  handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                                  return;
                                }
                                if (msg instanceof BinaryWebSocketFrame f) {
                                  ProtocolMessage pm =
                                      ProtocolCodec.of(WireFormat.MSGPACK).decode(((WebSocketFrame) f).content().nioBuffer());
                                  if (pm.action() == Action.CONNECTED) {
                                    connected.complete(null);
                                  }
                                  onMessage.accept(pm);
                                }
                              }
                            });
                  }
                })
            .connect(uri.getHost(), uri.getPort())
            .sync()
            .channel();
    handshaker.handshake(ch).sync();
    connected.get(10, TimeUnit.SECONDS);
    return ch;
  }
}
