package io.ably.itest.client;

import static io.ably.itest.support.Eventually.eventually;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What a test suite must leave as it found it: the threads that are not the engine's shared,
 * JVM-wide pools (event loops {@code ably-io-*}, which live for the JVM, and callback threads
 * {@code ably-callback-*}, which end after a minute idle), the heap in use after a GC, and no
 * Netty buffer-leak report (leak detection is paranoid in the test JVM). Take it before the suite
 * and check it after everything was closed.
 */
final class ResourceBaseline {
  /** Heap growth tolerated after a GC: class loading, JIT and caches of a warm JVM. */
  private static final long HEAP_SLACK_BYTES = 48L << 20;

  private final List<String> threads;
  private final long heapBytes;
  private final LeakCapture leaks = new LeakCapture();

  private ResourceBaseline(List<String> threads, long heapBytes) {
    this.threads = threads;
    this.heapBytes = heapBytes;
  }

  static ResourceBaseline take() {
    ResourceBaseline b = new ResourceBaseline(ownThreads(), heapAfterGc());
    Logger.getLogger("io.netty").addHandler(b.leaks);
    return b;
  }

  /** Threads that are neither the engine's shared pools nor the JVM's own. */
  static List<String> ownThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> !n.startsWith("ably-io-") && !n.startsWith("ably-callback-"))
        .sorted()
        .collect(Collectors.toList());
  }

  static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * The heap in use after a GC, once it is at most {@code limit} above {@code before}, or the
   * last figure when it never gets there within {@code timeout}. Work the test started and is
   * still finishing elsewhere (callback threads, the event loop's queue, Netty's leak detector)
   * holds memory only for a moment; what the code under test retains stays and is reported.
   */
  static long settledHeapGrowth(long before, long limit, Duration timeout) throws InterruptedException {
    long[] growth = {heapAfterGc() - before};
    eventually(() -> (growth[0] = heapAfterGc() - before) <= limit, timeout);
    return growth[0];
  }

  /** The first {@code rows} lines of the heap's class histogram, to say what grew. */
  static String classHistogram(int rows) {
    try {
      Object text = ManagementFactory.getPlatformMBeanServer().invoke(
          new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
          "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
      List<String> lines = List.of(String.valueOf(text).split("\n"));
      return String.join("\n", lines.subList(0, Math.min(lines.size(), rows + 3)));
    } catch (Exception e) {
      return "no class histogram: " + e;
    }
  }

  /** Asserts threads, heap and buffers are back, waiting up to {@code limit} for threads to end. */
  void assertBackWithin(Duration limit) throws InterruptedException {
    try {
      boolean threadsBack = eventually(() -> ownThreads().size() <= threads.size(), limit);
      assertTrue(threadsBack, () -> "threads: before " + threads + ", after " + ownThreads());
      long heap = heapAfterGc();
      if (heap > heapBytes + HEAP_SLACK_BYTES) {
        heap = heapAfterGc(); // a second GC settles what the first only marked
      }
      long finalHeap = heap;
      assertTrue(heap <= heapBytes + HEAP_SLACK_BYTES,
          () -> "heap after GC: before " + (heapBytes >> 20) + " MiB, after " + (finalHeap >> 20) + " MiB; what holds it:\n"
              + classHistogram(25));
      // Leaked buffers are reported when the detector next tracks an allocation after a GC.
      for (int i = 0; i < 100; i++) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
        buf.release();
      }
      assertEquals(List.of(), leaks.leaks, "Netty buffer leaks");
      System.out.println("resource baseline: threads " + threads.size() + " -> " + ownThreads().size()
          + ", heap after GC " + (heapBytes >> 20) + " MiB -> " + (heap >> 20) + " MiB, leaks 0");
    } finally {
      Logger.getLogger("io.netty").removeHandler(leaks);
    }
  }

  /** Collects Netty's "LEAK:" reports, which go through java.util.logging here. */
  private static final class LeakCapture extends Handler {
    final List<String> leaks = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage();
      if (message != null && message.contains("LEAK:")) {
        leaks.add(message);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
