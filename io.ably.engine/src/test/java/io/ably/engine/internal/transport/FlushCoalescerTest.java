package io.ably.engine.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Frames written in one pass of the event loop leave in one flush, and a lone frame at once. */
class FlushCoalescerTest {
  private static final long DEADLINE_SECONDS = 10;

  /** Counts the flushes and writes that reach the head of the pipeline. */
  private static final class CountingHandler extends ChannelOutboundHandlerAdapter {
    int writes;
    int flushes;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      writes++;
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }

  /** Counts the bytes a server side received, and opens a latch when the expected total is in. */
  private static final class Receiver extends ChannelInboundHandlerAdapter {
    private long received;
    private long expected = Long.MAX_VALUE;
    private CountDownLatch arrived = new CountDownLatch(1);

    /** Called on the server's loop: expect this many more bytes. */
    void expect(long more, CountDownLatch latch) {
      expected = received + more;
      arrived = latch;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      received += b.readableBytes();
      b.release();
      if (received >= expected) {
        arrived.countDown();
      }
    }
  }

  @Test
  void manyWritesInOneTaskOrManyTasksOfOnePassTakeOneFlushAndALoneWriteIsFlushedInItsPass()
      throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      Receiver receiver = new Receiver();
      CompletableFuture<EventLoop> serverLoop = new CompletableFuture<>();
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      c.pipeline().addLast(receiver);
                      serverLoop.complete(c.eventLoop());
                    }
                  })
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      try {
        CountingHandler counts = new CountingHandler();
        Channel client =
            new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(counts)
                .connect(server.localAddress())
                .sync()
                .channel();
        EventLoop serverEventLoop = serverLoop.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        try {
          FlushCoalescer writer = client.eventLoop().submit(() -> new FlushCoalescer(client))
              .get(DEADLINE_SECONDS, TimeUnit.SECONDS);

          // 1. Fifty frames written by one task: one flush, after the task.
          CountDownLatch burst = expect(receiver, serverEventLoop, 50 * 10);
          int flushesInsideTask = client.eventLoop().submit(() -> {
            for (int i = 0; i < 50; i++) {
              writer.write(Unpooled.wrappedBuffer(new byte[10]));
            }
            return counts.flushes;
          }).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
          assertTrue(burst.await(DEADLINE_SECONDS, TimeUnit.SECONDS), "the burst arrived");
          assertEquals(0, flushesInsideTask);
          assertEquals(1, flushesOf(client, counts));

          // 2. Fifty tasks that run in one pass (queued while the loop was busy): one flush.
          CountDownLatch busy = new CountDownLatch(1);
          CountDownLatch release = new CountDownLatch(1);
          client.eventLoop().execute(() -> {
            busy.countDown();
            awaitQuietly(release);
          });
          assertTrue(busy.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
          CountDownLatch tasks = expect(receiver, serverEventLoop, 50 * 10);
          for (int i = 0; i < 50; i++) {
            client.eventLoop().execute(() -> writer.write(Unpooled.wrappedBuffer(new byte[10])));
          }
          release.countDown();
          assertTrue(tasks.await(DEADLINE_SECONDS, TimeUnit.SECONDS), "the tasks' frames arrived");
          assertEquals(2, flushesOf(client, counts));

          // 3. A lone frame on an idle loop leaves with no other event to wake the loop.
          CountDownLatch lone = expect(receiver, serverEventLoop, 7);
          client.eventLoop().execute(() -> writer.write(Unpooled.wrappedBuffer(new byte[7])));
          assertTrue(lone.await(DEADLINE_SECONDS, TimeUnit.SECONDS), "the lone frame arrived");
          assertEquals(3, flushesOf(client, counts));
          assertEquals(101, client.eventLoop().submit(() -> counts.writes)
              .get(DEADLINE_SECONDS, TimeUnit.SECONDS));

          // 4. A write that takes the channel past its high water mark is flushed at once, so the
          // socket drains before the engine waits for writability.
          CountDownLatch big = expect(receiver, serverEventLoop, 4 + 2048);
          int[] inTask = client.eventLoop().submit(() -> {
            client.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
            writer.write(Unpooled.wrappedBuffer(new byte[4]));
            int belowMark = counts.flushes;
            writer.write(Unpooled.wrappedBuffer(new byte[2048]));
            return new int[] {belowMark, counts.flushes};
          }).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
          assertTrue(big.await(DEADLINE_SECONDS, TimeUnit.SECONDS), "both frames arrived");
          assertEquals(3, inTask[0], "below the mark the flush waits for the end of the pass");
          assertEquals(4, inTask[1], "past the mark the write is flushed at once");
        } finally {
          client.close().sync();
        }
      } finally {
        server.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static CountDownLatch expect(Receiver r, EventLoop serverLoop, long bytes)
      throws Exception {
    CountDownLatch latch = new CountDownLatch(1);
    serverLoop.submit(() -> r.expect(bytes, latch)).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    return latch;
  }

  private static int flushesOf(Channel client, CountingHandler counts) throws Exception {
    return client.eventLoop().submit(() -> counts.flushes).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
