package io.ably.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Bytes allocated by a set of threads between two points, from the per-thread allocation counters
 * of HotSpot ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), plus the JVM-wide
 * figures the report needs (live threads, threads started, heap used after a collection). A thread
 * that ends between the two snapshots takes its allocations with it; the measured windows are steady
 * states in which the clients start no threads.
 */
final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private AllocationMeter() {}

  /** The allocation counters of the live threads whose names pass {@code counted}, by thread id. */
  static Map<Long, Long> snapshot(Predicate<String> counted) {
    List<Long> ids = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (counted.test(t.getName())) {
        ids.add(t.getId());
      }
    }
    long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
    long[] bytes = THREADS.getThreadAllocatedBytes(idArray);
    Map<Long, Long> result = new HashMap<>();
    for (int i = 0; i < idArray.length; i++) {
      if (bytes[i] >= 0) {
        result.put(idArray[i], bytes[i]);
      }
    }
    return result;
  }

  /**
   * The CPU time (user + system) of the live threads whose names pass {@code counted}, by thread
   * id, ns. A thread's CPU time is the same kind of per-thread counter as its allocation: the
   * helper that drives a case from the same JVM is left out by name. GC and JIT threads are not
   * Java threads and are not counted.
   */
  static Map<Long, Long> cpuSnapshot(Predicate<String> counted) {
    List<Long> ids = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (counted.test(t.getName())) {
        ids.add(t.getId());
      }
    }
    long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
    long[] nanos = THREADS.getThreadCpuTime(idArray);
    Map<Long, Long> result = new HashMap<>();
    for (int i = 0; i < idArray.length; i++) {
      if (nanos[i] >= 0) {
        result.put(idArray[i], nanos[i]);
      }
    }
    return result;
  }

  /** Bytes allocated from {@code before} to {@code after} by the threads of {@code after}. */
  static long allocatedBetween(Map<Long, Long> before, Map<Long, Long> after) {
    long total = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }

  /** Live threads of this JVM. */
  static int liveThreads() {
    return THREADS.getThreadCount();
  }

  /** Live threads of this JVM whose names start with {@code prefix}. */
  static int liveThreads(String prefix) {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(prefix)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The live threads whose names start with {@code prefix}, counted by name with the pool and
   * thread numbers left out ({@code ably-io-3-1} and {@code ably-io-3-2} are both {@code ably-io}):
   * what a thread count is made of, for example {@code ably-io 2, ably-callback 29}.
   */
  static String threadKinds(String prefix) {
    java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(prefix)) {
        kinds.merge(t.getName().replaceAll("(-\\d+)+$", ""), 1, Integer::sum);
      }
    }
    StringBuilder b = new StringBuilder();
    kinds.forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(n));
    return b.toString();
  }

  /** Threads started in this JVM since it began. */
  static long startedThreads() {
    return THREADS.getTotalStartedThreadCount();
  }

  /** Heap in use after an explicit full collection (requested twice, to settle finalisation). */
  static long heapUsedAfterGc() {
    System.gc();
    System.gc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
