package io.ably.benchmarks;

import io.ably.api.message.Message;
import io.ably.wire.Action;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The floor: a bare Netty WebSocket client that speaks just enough of the protocol (CONNECTED,
 * ATTACH, MESSAGE, ACK, HEARTBEAT, CLOSE) with the project's wire codec, in the same format and
 * frames as the clients measured, with no state machine, no queue and no callback hop. Whatever a
 * real client adds on top of this is its own cost. Each connection's state is confined to its
 * channel's event loop; callers' operations are handed to that loop, as a real client's are.
 */
final class NettyFloor implements Subject {
  private final Target target;
  private final String key;
  private final EventLoopGroup group;
  private final ProtocolCodec codec;

  /**
   * A floor whose event-loop threads are named after {@code key}.
   *
   * @param target the server and format
   * @param key the subject key, also the thread name prefix
   * @param threads event-loop threads
   */
  NettyFloor(Target target, String key, int threads) {
    this.target = target;
    this.key = key;
    this.group =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory(key, true), NioIoHandler.newFactory());
    this.codec = ProtocolCodec.of(target.format());
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public String title() {
    return "bare Netty WebSocket (floor)";
  }

  @Override
  public String threadPrefix() {
    return key;
  }

  @Override
  public CompletableFuture<Endpoint> connect(boolean echo) {
    String format = target.format() == WireFormat.MSGPACK ? "msgpack" : "json";
    URI uri =
        URI.create(
            "ws://" + target.host() + ":" + target.port() + "/?v=5&format=" + format + "&echo=" + echo
                + "&key=" + URLEncoder.encode(target.key(), StandardCharsets.UTF_8));
    WebSocketClientHandshaker handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(
            uri, WebSocketVersion.V13, null, true, new DefaultHttpHeaders(), 1 << 20);
    FloorEndpoint endpoint = new FloorEndpoint(handshaker);
    ChannelFuture connecting =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel c) {
                    c.pipeline()
                        .addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), endpoint);
                  }
                })
            .connect(uri.getHost(), uri.getPort());
    connecting.addListener(
        f -> {
          if (f.isSuccess()) {
            endpoint.channel = connecting.channel();
            handshaker
                .handshake(connecting.channel())
                .addListener(
                    h -> {
                      if (!h.isSuccess()) {
                        endpoint.connected.completeExceptionally(h.cause());
                      }
                    });
          } else {
            endpoint.connected.completeExceptionally(f.cause());
          }
        });
    return endpoint.connected.thenApply(v -> endpoint);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One floor connection; every field but the futures is touched by its event loop only. */
  private final class FloorEndpoint extends SimpleChannelInboundHandler<Object> implements Endpoint {
    private final WebSocketClientHandshaker handshaker;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Set once the TCP connection is up, before any operation can be called. */
    private Channel channel;
    /** Loop-confined: attaches awaiting ATTACHED, by channel. */
    private final Map<String, CompletableFuture<Void>> attaching = new HashMap<>();
    /** Loop-confined: subscribers by channel. */
    private final Map<String, Consumer<String>> subscribers = new HashMap<>();
    /** Loop-confined: publishes awaiting ACK or NACK, in msgSerial order. */
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    /** Loop-confined: pings awaiting their HEARTBEAT, by id. */
    private final Map<String, CompletableFuture<Void>> pings = new HashMap<>();
    /** Loop-confined: the next msgSerial. */
    private long msgSerial;
    /** Loop-confined: the next ping id. */
    private long pingId;

    FloorEndpoint(WebSocketClientHandshaker handshaker) {
      this.handshaker = handshaker;
    }

    private EventLoop loop() {
      return channel.eventLoop();
    }

    @Override
    public CompletableFuture<Void> attach(String name) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loop()
          .execute(
              () -> {
                attaching.put(name, done);
                send(ProtocolMessage.builder(Action.ATTACH).channel(name).build());
              });
      return done;
    }

    @Override
    public void subscribe(String name, Consumer<String> onName) {
      loop().execute(() -> subscribers.put(name, onName));
    }

    @Override
    public CompletableFuture<Void> publish(String name, String messageName, String text) {
      CompletableFuture<Void> acked = new CompletableFuture<>();
      loop()
          .execute(
              () -> {
                pending.add(acked);
                send(
                    ProtocolMessage.builder(Action.MESSAGE)
                        .channel(name)
                        .msgSerial(msgSerial++)
                        .messages(List.of(Message.ofText(messageName, text)))
                        .build());
              });
      return acked;
    }

    @Override
    public CompletableFuture<Void> ping() {
      CompletableFuture<Void> pong = new CompletableFuture<>();
      loop()
          .execute(
              () -> {
                String id = Long.toString(pingId++);
                pings.put(id, pong);
                send(ProtocolMessage.builder(Action.HEARTBEAT).id(id).build());
              });
      return pong;
    }

    @Override
    public CompletableFuture<Void> close() {
      loop()
          .execute(
              () -> {
                if (channel.isActive()) {
                  send(ProtocolMessage.builder(Action.CLOSE).build());
                  loop().schedule(this::closeSocket, 5, TimeUnit.SECONDS);
                } else {
                  closed.complete(null);
                }
              });
      return closed;
    }

    private void closeSocket() {
      if (channel.isActive()) {
        var unused = channel.writeAndFlush(new CloseWebSocketFrame()).addListener(f -> channel.close());
      }
      var unused2 = channel.close();
    }

    private void send(ProtocolMessage message) {
      byte[] bytes = codec.encode(message);
      ByteBuf buf = Unpooled.wrappedBuffer(bytes);
      WebSocketFrame frame =
          target.binary() ? new BinaryWebSocketFrame(buf) : new TextWebSocketFrame(buf);
      var unused = channel.writeAndFlush(frame, channel.voidPromise());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      connected.completeExceptionally(new IllegalStateException("connection lost before CONNECTED"));
      closed.complete(null);
      IllegalStateException lost = new IllegalStateException("connection closed");
      pending.forEach(f -> f.completeExceptionally(lost));
      pending.clear();
      attaching.values().forEach(f -> f.completeExceptionally(lost));
      pings.values().forEach(f -> f.completeExceptionally(lost));
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      connected.completeExceptionally(cause);
      ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (!handshaker.isHandshakeComplete()) {
        handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
        return;
      }
      if (!(msg instanceof BinaryWebSocketFrame) && !(msg instanceof TextWebSocketFrame)) {
        return;
      }
      ProtocolMessage pm = codec.decode(((WebSocketFrame) msg).content().nioBuffer());
      switch (pm.action()) {
        case CONNECTED -> connected.complete(null);
        case ATTACHED -> {
          CompletableFuture<Void> done = attaching.remove(pm.channel());
          if (done != null) {
            done.complete(null);
          }
        }
        case MESSAGE -> {
          Consumer<String> subscriber = subscribers.get(pm.channel());
          if (subscriber != null) {
            for (Message m : pm.messages()) {
              subscriber.accept(m.name());
            }
          }
        }
        case ACK -> complete(pm, null);
        case NACK -> complete(pm, new IllegalStateException("NACK: " + pm.error()));
        case HEARTBEAT -> {
          CompletableFuture<Void> pong = pm.id() == null ? null : pings.remove(pm.id());
          if (pong != null) {
            pong.complete(null);
          }
        }
        case CLOSED -> closeSocket();
        case ERROR -> {
          IllegalStateException error = new IllegalStateException("ERROR: " + pm.error());
          connected.completeExceptionally(error);
          CompletableFuture<Void> done = pm.channel() == null ? null : attaching.remove(pm.channel());
          if (done != null) {
            done.completeExceptionally(error);
          }
        }
        default -> {}
      }
    }

    private void complete(ProtocolMessage ack, RuntimeException failure) {
      int count = ack.count() == null ? 1 : ack.count();
      for (int i = 0; i < count && !pending.isEmpty(); i++) {
        CompletableFuture<Void> f = pending.poll();
        if (failure == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(failure);
        }
      }
    }
  }
}
