package io.ably.engine.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
   * Shuts the shared groups down and waits, up to {@code timeout}, for their threads to end: for
   * a container unloading the engine (an OSGi bundle stopping), so no thread keeps its classes
   * alive. Clients must be closed first; no client can be created in this class loader afterwards.
   *
   * @param timeout how long to wait for the threads
   * @return {@code true} if every thread ended in time
   * @throws InterruptedException if interrupted while waiting
   */
  public static boolean shutdownShared(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Holder.IO.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    Holder.CALLBACKS.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    boolean io = Holder.IO.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    boolean callbacks =
        Holder.CALLBACKS.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    return io && callbacks;
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
