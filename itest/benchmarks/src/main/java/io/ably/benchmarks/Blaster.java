package io.ably.benchmarks;

import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.wire.Action;
import io.ably.wire.ConnectionDetails;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal realtime server that measures clients, not itself (issue #20), run in a JVM of its own.
 * It answers the handshake with CONNECTED, every ATTACH with ATTACHED, every ping, DETACH and
 * CLOSE; then, in two modes chosen by channel name:
 *
 * <ul>
 *   <li>receive path: a MESSAGE published on {@code blast-N} is acknowledged, then N MESSAGE frames
 *       go to that connection on that channel as fast as the socket takes them (written while the
 *       channel is writable, flushed every 64 frames and when it stops being writable). The frames
 *       are one pre-encoded frame with the sequence number patched in: the message name and the
 *       protocol message id are the ten-digit number {@code 0000000000} … in order;
 *   <li>send path: every other MESSAGE is acknowledged at once, without routing, and the ACKs of one
 *       read are flushed together.
 * </ul>
 *
 * <pre>java -cp benchmarks.jar io.ably.benchmarks.Blaster [--port N]</pre>
 *
 * <p>It prints {@code listening on ws://127.0.0.1:PORT} when ready, like the testkit server.
 */
public final class Blaster {
  /** The channel prefix that asks for a blast; the rest of the name is the number of messages. */
  static final String BLAST_PREFIX = "blast-";
  /** The payload of every blasted message: 100 bytes, as in the other sections. */
  static final int PAYLOAD_BYTES = 100;
  private static final String PLACEHOLDER = "0000000000";
  private static final int MAX_FRAME = 1 << 20;

  private Blaster() {}

  /**
   * Runs the blaster until the process is stopped.
   *
   * @param args {@code --port N} (default 0, any free port)
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 0;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      WebSocketServerProtocolConfig ws =
          WebSocketServerProtocolConfig.newBuilder()
              .websocketPath("/")
              .checkStartsWith(true)
              .maxFramePayloadLength(MAX_FRAME)
              .build();
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 512 * 1024))
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(65_536))
                          .addLast(new WebSocketServerProtocolHandler(ws))
                          .addLast(new WebSocketFrameAggregator(MAX_FRAME))
                          .addLast(new Connection());
                    }
                  })
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
              .sync()
              .channel();
      InetSocketAddress bound = (InetSocketAddress) server.localAddress();
      System.out.println("listening on ws://127.0.0.1:" + bound.getPort());
      System.out.flush();
      server.closeFuture().sync();
    } finally {
      group.shutdownGracefully();
    }
  }

  /** One client connection: its format, and the blast in progress. Confined to its loop. */
  private static final class Connection extends SimpleChannelInboundHandler<WebSocketFrame> {
    private WireFormat format = WireFormat.MSGPACK;
    private ProtocolCodec codec = ProtocolCodec.of(format);
    private ChannelHandlerContext ctx;
    /** The encoded MESSAGE frame of the blast in progress, and where its digits are. */
    private ByteBuf template;
    private int[] digitsAt = new int[0];
    private long next;
    private long total;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hs) {
        this.ctx = ctx;
        List<String> f = new QueryStringDecoder(hs.requestUri()).parameters().get("format");
        format = f != null && f.contains("json") ? WireFormat.JSON : WireFormat.MSGPACK;
        codec = ProtocolCodec.of(format);
        String id = "blaster-" + Integer.toHexString(System.identityHashCode(ctx.channel()));
        ConnectionDetails details =
            new ConnectionDetails(null, id + "-key", 65_536L, 524_288L, 1_000_000L, 1_000_000L, 120_000L, 15_000L,
                "blaster", "local", null);
        send(ProtocolMessage.builder(Action.CONNECTED).connectionId(id).connectionKey(id + "-key")
            .connectionDetails(details).build());
        ctx.flush();
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (!(frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)) {
        return;
      }
      ProtocolMessage pm = codec.decode(frame.content().nioBuffer());
      switch (pm.action()) {
        case HEARTBEAT -> send(ProtocolMessage.builder(Action.HEARTBEAT).id(pm.id()).build());
        case ATTACH -> send(ProtocolMessage.builder(Action.ATTACHED).channel(pm.channel()).channelSerial("0").build());
        case DETACH -> send(ProtocolMessage.builder(Action.DETACHED).channel(pm.channel()).build());
        case CLOSE -> {
          send(ProtocolMessage.builder(Action.CLOSED).build());
          ctx.flush();
          ctx.close();
        }
        case MESSAGE -> {
          List<String> serials = new ArrayList<>();
          for (int i = 0; i < pm.messages().size(); i++) {
            serials.add("s" + pm.msgSerial() + ":" + i);
          }
          send(ProtocolMessage.builder(Action.ACK).msgSerial(pm.msgSerial()).count(1)
              .res(List.of(new io.ably.wire.PublishResult(serials))).build());
          String channel = pm.channel();
          if (channel != null && channel.startsWith(BLAST_PREFIX) && template == null) {
            startBlast(channel, Long.parseLong(channel.substring(BLAST_PREFIX.length())));
          }
        }
        default -> {
          // nothing else is answered
        }
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        blast();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void send(ProtocolMessage pm) {
      ByteBuf buf = Unpooled.wrappedBuffer(codec.encode(pm));
      ctx.write(format == WireFormat.JSON ? new TextWebSocketFrame(buf) : new BinaryWebSocketFrame(buf), ctx.voidPromise());
    }

    private void startBlast(String channel, long count) {
      Message m = Message.builder().name(PLACEHOLDER).data(MessageData.text(Workloads.payload(PAYLOAD_BYTES))).build();
      ProtocolMessage pm =
          ProtocolMessage.builder(Action.MESSAGE).channel(channel).id("blast:" + PLACEHOLDER).connectionId("publisher")
              .timestampMillis(System.currentTimeMillis()).messages(List.of(m)).build();
      byte[] bytes = codec.encode(pm);
      byte[] marker = PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
      List<Integer> found = new ArrayList<>();
      for (int i = 0; i + marker.length <= bytes.length; i++) {
        if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
          found.add(i);
          i += marker.length - 1;
        }
      }
      digitsAt = found.stream().mapToInt(Integer::intValue).toArray();
      template = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
      next = 0;
      total = count;
      blast();
    }

    private void blast() {
      if (template == null) {
        return;
      }
      Channel ch = ctx.channel();
      int len = template.readableBytes();
      while (next < total && ch.isWritable()) {
        ByteBuf frame = ctx.alloc().buffer(len);
        frame.writeBytes(template, 0, len);
        long n = next++;
        for (int at : digitsAt) {
          long v = n;
          for (int d = PLACEHOLDER.length() - 1; d >= 0; d--) {
            frame.setByte(at + d, '0' + (int) (v % 10));
            v /= 10;
          }
        }
        ctx.write(format == WireFormat.JSON ? new TextWebSocketFrame(frame) : new BinaryWebSocketFrame(frame),
            ctx.voidPromise());
        if ((n & 63) == 63) {
          ctx.flush();
        }
      }
      ctx.flush();
      if (next >= total) {
        release();
      }
    }

    private void release() {
      if (template != null) {
        template.release();
        template = null;
      }
    }
  }
}
