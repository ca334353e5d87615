package io.ably.itest.server;

import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * One client WebSocket: its Netty channel and the wire format the client asked for. Writes may come
 * from any thread (Netty queues them on the channel's loop, in order).
 */
final class Transport {
  /** How long a transport the server closed waits for the client to close its end. */
  static final long CLOSE_GRACE_MILLIS = 2_000;

  private final Channel channel;
  private final WireFormat format;
  private final ProtocolCodec codec;
  private final FaultSettings faults;
  /** The connection this transport serves; set and read on the state loop only. */
  ServerConnection connection;
  /** Set once the server has sent its close frame: frames read after it are not acted on. */
  private volatile boolean closing;

  Transport(Channel channel, WireFormat format, FaultSettings faults) {
    this.channel = channel;
    this.format = format;
    this.codec = ProtocolCodec.of(format);
    this.faults = faults;
  }

  Channel channel() {
    return channel;
  }

  WireFormat format() {
    return format;
  }

  /** The codec of the format the client asked for, for its frames in both directions. */
  ProtocolCodec codec() {
    return codec;
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /** Encodes and sends one message. */
  void send(ProtocolMessage message) {
    ByteBuf buf = channel.alloc().buffer();
    try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
      codec.encode(message, out);
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
    sendFrame(buf);
  }

  /** Sends an already encoded frame of this transport's format; the array is not modified. */
  void sendEncoded(byte[] frame) {
    sendFrame(Unpooled.wrappedBuffer(frame));
  }

  private void sendFrame(ByteBuf payload) {
    if (faults.blackholeOutbound) {
      payload.release();
      return;
    }
    WebSocketFrame frame =
        format.binaryFrames() ? new BinaryWebSocketFrame(payload) : new TextWebSocketFrame(payload);
    long delayMillis = faults.outboundDelayMillis;
    if (delayMillis > 0) {
      channel
          .eventLoop()
          .schedule(
              () -> channel.writeAndFlush(frame, channel.voidPromise()),
              delayMillis,
              java.util.concurrent.TimeUnit.MILLISECONDS);
    } else {
      channel.writeAndFlush(frame, channel.voidPromise());
    }
  }

  /**
   * Sends a normal WebSocket close (1000), then ends the sending half of the socket and closes it
   * when the client closes its own, or after {@link #CLOSE_GRACE_MILLIS}. Closing at once would
   * make the kernel answer the client's publishes still in flight with a reset, and a reset can
   * destroy what the client has received but not yet read: the DISCONNECTED sent just before.
   */
  void closeNormally() {
    closing = true;
    channel
        .writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess() && channel instanceof SocketChannel socket && socket.isActive()) {
                    socket.shutdownOutput();
                    channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                  } else {
                    channel.close();
                  }
                });
  }

  /** Whether the server has closed this transport: frames read from it now are discarded. */
  boolean closing() {
    return closing;
  }

  /** Closes the socket at once, with no WebSocket close frame (an abrupt drop). */
  void drop() {
    channel.close();
  }

  /** Resets the TCP connection (SO_LINGER 0, so the peer sees RST). */
  void reset() {
    channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
    channel.close();
  }
}
