package io.ably.engine.internal.transport;

import io.ably.engine.internal.EventLoopConfined;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;

/**
 * Writes a channel's frames without flushing each one, and flushes once when the event loop ends
 * its current pass (issue #20: a flush per protocol message cost one {@code write} system call per
 * publish). Owned by one transport, on its channel's loop.
 *
 * <p>The flush runs as one of the loop's tasks after every task of the pass, before the loop
 * waits for I/O again: a lone frame goes out in the pass that wrote it, with no timer and no
 * extra wake-up, while the frames that many tasks of one pass write (a burst of publishes, a
 * queue drained on reconnect) leave in one flush. A write that takes the channel past its high
 * water mark is flushed at once, so that the socket starts draining before the engine waits for
 * writability.
 */
@EventLoopConfined
final class FlushCoalescer {
  private final Channel channel;
  private final EventLoop loop;
  private final Runnable flushTask = this::flushNow;
  /** True from the first unflushed write until the flush scheduled for it runs. */
  private boolean flushScheduled;

  FlushCoalescer(Channel channel) {
    this.channel = channel;
    this.loop = channel.eventLoop();
  }

  /**
   * Writes one frame; it is flushed at the end of this pass of the event loop at the latest.
   *
   * @param frame the frame, whose reference passes to the channel
   */
  void write(Object frame) {
    assert loop.inEventLoop();
    channel.write(frame, channel.voidPromise());
    if (!channel.isWritable()) {
      channel.flush();
      return;
    }
    if (!flushScheduled) {
      flushScheduled = true;
      if (loop instanceof SingleThreadEventLoop single) {
        // Runs after all the tasks of this pass (Netty's tail tasks), before the next select.
        single.executeAfterEventLoopIteration(flushTask);
      } else {
        loop.execute(flushTask);
      }
    }
  }

  private void flushNow() {
    flushScheduled = false;
    channel.flush();
  }
}
