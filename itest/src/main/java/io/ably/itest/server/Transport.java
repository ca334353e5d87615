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
  /** Writes held back by an outbound delay, oldest first; guarded by itself. */
  private final java.util.ArrayDeque<Delayed> delayed = new java.util.ArrayDeque<>();
  /** Whether writes are held back: later ones queue behind them, even with no delay now. */
  private volatile boolean delaying;
  /** Whether a drain of {@link #delayed} is scheduled; guarded by {@link #delayed}. */
  private boolean drainScheduled;
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
    if (delayMillis > 0 || delaying) {
      inOrder(TimeUnit.MILLISECONDS.toNanos(delayMillis), () -> channel.writeAndFlush(frame, channel.voidPromise()));
    } else {
      channel.writeAndFlush(frame, channel.voidPromise());
    }
  }

  /**
   * Runs a write on the channel's loop {@code delayNanos} from now, but never before a write
   * queued earlier: TCP delivers a connection's bytes in order, so a delay may hold frames back
   * but must not let a later frame overtake them. (Scheduling each frame on the loop does not
   * keep that order: a delayed task submitted from another thread runs at once when the busy loop
   * reaches it after its deadline, ahead of earlier ones still waiting in the scheduled queue.)
   */
  private void inOrder(long delayNanos, Runnable write) {
    long due = System.nanoTime() + delayNanos;
    synchronized (delayed) {
      delaying = true;
      delayed.add(new Delayed(due, write));
    }
    channel.eventLoop().execute(this::drainDelayed);
  }

  /** On the channel's loop: runs the queued writes that are due, in order; waits for the rest. */
  private void drainDelayed() {
    while (true) {
      Delayed next;
      synchronized (delayed) {
        next = delayed.peek();
        if (next == null) {
          delaying = false;
          return;
        }
        long wait = next.dueNanos - System.nanoTime();
        if (wait > 0) {
          if (!drainScheduled) {
            drainScheduled = true;
            channel.eventLoop().schedule(
                () -> {
                  synchronized (delayed) {
                    drainScheduled = false;
                  }
                  drainDelayed();
                },
                wait,
                TimeUnit.NANOSECONDS);
          }
          return;
        }
        delayed.poll();
      }
      next.write.run();
    }
  }

  /** A write held back by {@link FaultSettings#outboundDelayMillis}, due at {@code dueNanos}. */
  private record Delayed(long dueNanos, Runnable write) {}

  /**
   * Sends a normal WebSocket close (1000), then ends the sending half of the socket and closes it
   * when the client closes its own, or after {@link #CLOSE_GRACE_MILLIS}. Closing at once would
   * make the kernel answer the client's publishes still in flight with a reset, and a reset can
   * destroy what the client has received but not yet read: the DISCONNECTED sent just before.
   */
  void closeNormally() {
    closing = true;
    if (delaying) {
      inOrder(0, this::writeClose); // after the frames still held back, as TCP would send it
    } else {
      writeClose();
    }
  }

  private void writeClose() {
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

  /**
   * Drops the socket as {@link #drop()}, and acts on nothing read from it afterwards, even before
   * the close completes on its loop: the fault that ends a blackhole must not let a frame after
   * the hole through on the same connection.
   */
  void sever() {
    closing = true;
    channel.close();
  }

  /** Resets the TCP connection (SO_LINGER 0, so the peer sees RST). */
  void reset() {
    channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
    channel.close();
  }
}
