package io.ably.engine.internal;

import io.ably.engine.internal.transport.Resolvers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JVM-wide resources clients share by default: a small group of Netty event loops (one per
 * core, at most 4; each client is bound to one loop for life), the asynchronous DNS resolver of
 * those loops, and the pool that runs callbacks. The pool grows with demand and lets idle threads
 * go after a minute: each client's callbacks run in a serial lane of their own over it
 * ({@link SerialExecutor}), so a client whose listener blocks holds one thread and delays no other
 * client. Daemon threads, created on first use (class initialization makes that safe without
 * locks).
 */
public final class EngineLoops {
  private EngineLoops() {}

  private static final class Holder {
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    static final EventLoopGroup IO =
        new MultiThreadIoEventLoopGroup(
            THREADS, new DefaultThreadFactory("ably-io", true), NioIoHandler.newFactory());
    static final AddressResolverGroup<InetSocketAddress> RESOLVER = Resolvers.platform();
    static final ThreadPoolExecutor CALLBACKS =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
            new DefaultThreadFactory("ably-callback", true));
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
   * Returns the resolver of the shared event loops.
   *
   * @return the resolver group
   */
  public static AddressResolverGroup<InetSocketAddress> sharedResolver() {
    return Holder.RESOLVER;
  }

  /**
   * Returns the shared callback pool: each client runs a serial lane over it, and it is where a
   * lane goes when an application's executor refuses a task or would run it on an event loop.
   *
   * @return the pool
   */
  public static ExecutorService sharedCallbacks() {
    return Holder.CALLBACKS;
  }

  /**
   * Shuts the shared resources down and waits, up to {@code timeout}, for their threads to end: for
   * a container unloading the engine (an OSGi bundle stopping), so no thread keeps its classes
   * alive. Clients must be closed first; no client can be created in this class loader afterwards.
   *
   * @param timeout how long to wait for the threads
   * @return {@code true} if every thread ended in time
   * @throws InterruptedException if interrupted while waiting
   */
  public static boolean shutdownShared(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Holder.RESOLVER.close();
    Holder.IO.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    Holder.CALLBACKS.shutdown();
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
