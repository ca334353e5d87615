package io.ably.itest.server;

import io.ably.api.ErrorInfo;
import io.ably.wire.Action;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import io.ably.wire.WireFormatException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.TimeUnit;

/**
 * Decodes client frames on the I/O thread and hands them to the state loop; answers HEARTBEAT
 * pings and WebSocket pings itself; sends a HEARTBEAT when the server has been silent too long.
 */
final class RealtimeFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  static final String NAME = "ably-realtime";
  private static final byte[] HEARTBEAT_JSON =
      ProtocolCodec.of(WireFormat.JSON).encode(ProtocolMessage.builder(Action.HEARTBEAT).build());
  private static final byte[] HEARTBEAT_MSGPACK =
      ProtocolCodec.of(WireFormat.MSGPACK).encode(ProtocolMessage.builder(Action.HEARTBEAT).build());

  private final ServerConductor server;
  private final Transport transport;
  /** Client frames held back by an inbound delay, oldest first (this channel's loop only). */
  private final java.util.ArrayDeque<HeldFrame> delayed = new java.util.ArrayDeque<>();
  /** Whether a drain of {@link #delayed} is scheduled (this channel's loop only). */
  private boolean drainScheduled;

  /** A client frame held back by {@link FaultSettings#inboundDelayMillis} until {@code dueNanos}. */
  private record HeldFrame(long dueNanos, ProtocolMessage message) {}

  RealtimeFrameHandler(ServerConductor server, Transport transport) {
    this.server = server;
    this.transport = transport;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      return;
    }
    if (frame instanceof CloseWebSocketFrame) {
      ctx.close();
      return;
    }
    if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) {
      return; // pongs and continuation fragments (aggregated before this handler)
    }
    if (server.faults.blackholeInbound || transport.closing()) {
      return; // a frame read after the server closed the transport is not acted on
    }
    // Decode by the format the client asked for on connect (PROTOCOL.md §1.2 `format`), not by the
    // frame's opcode: ably-java 1.5.0 sends its JSON (format=json) in binary frames.
    ProtocolMessage pm;
    try {
      pm = transport.codec().decode(frame.content().nioBuffer());
    } catch (WireFormatException e) {
      ErrorInfo error = e.errorInfo();
      server.execute(
          () -> {
            ServerConnection c = transport.connection;
            if (c != null) {
              server.discard(c);
            }
            transport.connection = null;
            server.refuse(transport, error);
          });
      return;
    }
    if (pm.action() == Action.HEARTBEAT) {
      transport.send(ProtocolMessage.builder(Action.HEARTBEAT).id(pm.id()).build()); // RTN13
      return;
    }
    long delay = server.faults.inboundDelayMillis;
    if (delay > 0 || !delayed.isEmpty()) {
      // held back, but never ahead of a frame read before it: TCP keeps a connection's order
      delayed.add(new HeldFrame(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay), pm));
      drainDelayed(ctx);
    } else {
      server.execute(() -> server.onFrame(transport, pm));
    }
  }

  /** Hands the held frames that are due to the state loop, in order; waits for the rest. */
  private void drainDelayed(ChannelHandlerContext ctx) {
    HeldFrame next;
    while ((next = delayed.peek()) != null) {
      long wait = next.dueNanos() - System.nanoTime();
      if (wait > 0) {
        if (!drainScheduled) {
          drainScheduled = true;
          ctx.executor().schedule(
              () -> {
                drainScheduled = false;
                drainDelayed(ctx);
              },
              wait,
              TimeUnit.NANOSECONDS);
        }
        return;
      }
      delayed.poll();
      ProtocolMessage pm = next.message();
      server.execute(() -> server.onFrame(transport, pm));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE) {
      if (!server.faults.heartbeatsStopped) {
        transport.sendEncoded(transport.format() == WireFormat.JSON ? HEARTBEAT_JSON : HEARTBEAT_MSGPACK);
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    server.execute(() -> server.onTransportClosed(transport));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
