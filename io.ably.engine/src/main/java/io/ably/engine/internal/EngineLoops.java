package io.ably.engine.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * The JVM-wide thread groups clients share by default: a small group of Netty event loops (one
 * per core, at most 4; each client is bound to one loop for life) and a small group of callback
 * executors (each client is bound to one, which makes it that client's serial executor). Daemon
 * threads, created on first use (class initialization makes that safe without locks).
 */
public final class EngineLoops {
  private EngineLoops() {}

  private static final class Holder {
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    static final EventLoopGroup IO =
        new MultiThreadIoEventLoopGroup(
            THREADS, new DefaultThreadFactory("ably-io", true), NioIoHandler.newFactory());
    static final EventExecutorGroup CALLBACKS =
        new DefaultEventExecutorGroup(THREADS, new DefaultThreadFactory("ably-callback", true));
  }

  /**
   * Returns the shared event-loop group.
   *
   * @return the group
   */
  public static EventLoopGroup sharedIo() {
    return Holder.IO;
  }

  /**
   * Returns the shared callback executor group.
   *
   * @return the group
   */
  public static EventExecutorGroup sharedCallbacks() {
    return Holder.CALLBACKS;
  }

  /**
   * Creates a private event-loop group for one client.
   *
   * @param threads the number of threads
   * @param name the client's name, for thread names
   * @return the group, to be shut down when the client closes
   */
  public static EventLoopGroup privateIo(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory("ably-io-" + name, true), NioIoHandler.newFactory());
  }
}
