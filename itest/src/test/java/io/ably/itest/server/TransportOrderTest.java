package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ably.wire.WireFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The testkit's outbound delay fault (issue #19): it holds frames back, as a slow network would,
 * but a TCP connection delivers its bytes in order, so no frame may overtake an earlier one. The
 * chaos soak found frames reordered under a delay while the server's I/O loop was busy, which the
 * clients saw as messages out of order, ACKs out of order (so publishes failed that the server
 * had accepted) and messages lost after a resume from a channelSerial taken past a gap.
 */
class TransportOrderTest {
  private static final long DELAY_MILLIS = 50;

  @Test
  void anOutboundDelayHoldsFramesBackWithoutLettingALaterFrameOvertakeAnEarlierOneOnABusyLoop() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    try {
      LocalAddress address = new LocalAddress("transport-order-" + System.nanoTime());
      CompletableFuture<Channel> accepted = new CompletableFuture<>();
      Channel listener = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
          .childHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
              accepted.complete(ctx.channel());
            }
          })
          .bind(address).sync().channel();
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      Channel peer = new Bootstrap().group(group).channel(LocalChannel.class)
          .handler(new SimpleChannelInboundHandler<WebSocketFrame>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
              received.add(frame.content().toString(StandardCharsets.UTF_8));
            }
          })
          .connect(address).sync().channel();
      try {
        FaultSettings faults = new FaultSettings();
        Transport transport = new Transport(accepted.get(5, TimeUnit.SECONDS), WireFormat.JSON, faults);
        faults.outboundDelayMillis = DELAY_MILLIS;

        transport.sendEncoded(bytes("first"));
        group.submit(() -> { }).get(5, TimeUnit.SECONDS); // the loop has taken the first write in
        // The loop is busy (other connections' work) past both frames' due times; the second is
        // handed to it meanwhile.
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch secondSent = new CountDownLatch(1);
        group.execute(() -> {
          busy.countDown();
          try {
            secondSent.await(5, TimeUnit.SECONDS);
            busyFor(3 * DELAY_MILLIS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        busy.await(5, TimeUnit.SECONDS);
        transport.sendEncoded(bytes("second"));
        secondSent.countDown();
        faults.outboundDelayMillis = 0; // the delay ends: a frame sent now still comes after them
        transport.sendEncoded(bytes("third"));

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String frame = received.poll(5, TimeUnit.SECONDS);
          order.add(frame);
        }
        assertEquals(List.of("first", "second", "third"), order);
      } finally {
        peer.close().sync();
        listener.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Keeps the calling loop thread busy for a while, as a loop serving many connections is. */
  private static void busyFor(long millis) throws InterruptedException {
    ReentrantLock lock = new ReentrantLock();
    Condition never = lock.newCondition();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    lock.lock();
    try {
      for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
        never.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }
}
