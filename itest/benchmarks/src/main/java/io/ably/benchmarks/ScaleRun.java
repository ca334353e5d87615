package io.ably.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens many connections of one subject at once, each attached to a channel (a thousand channels
 * shared round-robin), against a server in its own process, and reports the time until all are
 * attached, the threads and the heap they take; then closes them all.
 *
 * <p>Live threads are capped by a budget: this machine's pid space (threads included) is shared
 * with everything else on it, so a client that needs a thread or more per connection is stopped
 * before it would pass the budget, and the row says so.
 */
final class ScaleRun {
  /** Connects in flight at once. */
  private static final int IN_FLIGHT = 256;
  /** Channels the connections attach to, round-robin. */
  private static final int CHANNELS = 1_000;

  private final int threadBudget;
  private final long deadlineSeconds;
  private final boolean attach;

  /**
   * A scale run.
   *
   * @param threadBudget live threads of this JVM not to pass
   * @param deadlineSeconds longest time to let one step connect
   * @param attach whether each connection also attaches to a channel
   */
  ScaleRun(int threadBudget, long deadlineSeconds, boolean attach) {
    this.threadBudget = threadBudget;
    this.deadlineSeconds = deadlineSeconds;
    this.attach = attach;
  }

  /**
   * Measures one step.
   *
   * @param subject the subject
   * @param connections how many connections
   * @return the row
   */
  Results.Scale run(Subject subject, int connections) throws InterruptedException {
    int baseThreads = AllocationMeter.liveThreads();
    long baseHeap = AllocationMeter.heapUsedAfterGc();
    List<Endpoint> endpoints = Collections.synchronizedList(new ArrayList<>());
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(connections);
    AtomicInteger attached = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    String note = "";
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(deadlineSeconds);
    int started = 0;
    try {
      for (; started < connections; started++) {
        if (failure.get() != null) {
          note = "stopped at " + started + ": " + failure.get();
          break;
        }
        int live = AllocationMeter.liveThreads();
        if (live >= threadBudget) {
          note = String.format(Locale.ROOT, "stopped at %,d: %,d live threads reached the budget", started, live);
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          note = "stopped at " + started + ": not connected within " + deadlineSeconds + " s";
          break;
        }
        String channel = "scale-" + (started % CHANNELS);
        var unused =
            subject
                .connect(true)
                .thenCompose(
                    endpoint -> {
                      endpoints.add(endpoint);
                      return attach ? endpoint.attach(channel) : CompletableFuture.<Void>completedFuture(null);
                    })
                .whenComplete(
                    (v, e) -> {
                      if (e == null) {
                        attached.incrementAndGet();
                      } else {
                        failure.compareAndSet(null, e);
                      }
                      inFlight.release();
                      done.countDown();
                    });
      }
      for (int i = started; i < connections; i++) {
        done.countDown();
      }
      long left = Math.max(0, deadline - System.nanoTime());
      if (!done.await(left, TimeUnit.NANOSECONDS) && note.isEmpty()) {
        note = "only " + attached.get() + " attached within " + deadlineSeconds + " s";
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (note.isEmpty() && failure.get() != null) {
        note = "failures: " + failure.get();
      }
      int threads =
          subject.threadPrefix() != null
              ? AllocationMeter.liveThreads(subject.threadPrefix())
              : AllocationMeter.liveThreads() - baseThreads;
      long heap = AllocationMeter.heapUsedAfterGc() - baseHeap;
      return new Results.Scale(
          subject.key(), subject.title(), connections, attached.get(), millis, threads, heap,
          subject.threadPrefix() != null ? AllocationMeter.threadKinds(subject.threadPrefix()) : "", note);
    } finally {
      List<Endpoint> all;
      synchronized (endpoints) {
        all = new ArrayList<>(endpoints);
      }
      Workloads.closeAll(all);
    }
  }
}
