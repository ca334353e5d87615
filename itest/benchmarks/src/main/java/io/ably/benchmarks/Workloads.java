package io.ably.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * The measurements, each against one {@link Subject} and one server, each closing every client it
 * opened, pass or fail. Publisher and subscribers are separate connections (separate client
 * instances); publishers connect with {@code echo=false}. Every wait has a deadline.
 */
final class Workloads {
  private static final System.Logger LOG = System.getLogger(Workloads.class.getName());

  /** Latencies above this are recorded as this (a minute, in ns). */
  static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static final long TIMEOUT_SECONDS = 30;
  /** A paced publisher this far behind its schedule stops: the client cannot take the rate. */
  private static final long GIVE_UP_BEHIND_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Settings settings;

  Workloads(Settings settings) {
    this.settings = settings;
  }

  /**
   * How long and how much each measurement runs.
   *
   * @param warmupSeconds latency: seconds at the rate before recording
   * @param measureSeconds latency: seconds recorded
   * @param throughputSeconds acknowledged throughput: seconds measured (after one of warm-up)
   * @param window publishes awaiting acknowledgement at most, in throughput, fan-out and cost
   * @param pings ping round trips recorded (after a tenth as many of warm-up)
   * @param fanOutSubscribers subscribers in the fan-out case
   * @param fanOutMessages messages published in the fan-out case
   * @param costMessages messages sent, and received, in each cost window (after as many of warm-up)
   */
  record Settings(
      int warmupSeconds,
      int measureSeconds,
      int throughputSeconds,
      int window,
      int pings,
      int fanOutSubscribers,
      int fanOutMessages,
      int costMessages) {}

  /** A text payload of exactly {@code bytes} ASCII characters. */
  static String payload(int bytes) {
    StringBuilder sb = new StringBuilder(bytes);
    for (int i = 0; i < bytes; i++) {
      sb.append((char) ('a' + (i * 7) % 26));
    }
    return sb.toString();
  }

  /**
   * Publish → receive latency at a fixed offered rate. Message {@code i} is due at {@code t0 + i *
   * period}; its latency is measured from then, not from when the publisher got round to sending it,
   * so a client that holds the publisher up is charged for it (coordinated omission). The publisher
   * sleeps until the next message is due and then sends every message that is due.
   */
  Results.Latency latency(Subject subject, int rate, int payloadBytes, String channel)
      throws ExecutionException, InterruptedException, TimeoutException {
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    int warm = rate * settings.warmupSeconds();
    int total = warm + rate * settings.measureSeconds();
    Histogram histogram = new SynchronizedHistogram(MAX_LATENCY_NANOS, 3);
    CountDownLatch measured = new CountDownLatch(total - warm);
    String text = payload(payloadBytes);
    String note = "";
    Results.Pauses window = Results.Pauses.NONE;
    List<Endpoint> opened = new ArrayList<>();
    try {
      Endpoint sub = open(subject, true, opened);
      Endpoint pub = open(subject, false, opened);
      await(sub.attach(channel), "subscriber attach");
      await(pub.attach(channel), "publisher attach");
      long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      sub.subscribe(
          channel,
          name -> {
            long now = System.nanoTime();
            int i = Integer.parseInt(name);
            if (i >= warm) {
              histogram.recordValue(Math.min(now - (t0 + i * periodNanos), MAX_LATENCY_NANOS));
              measured.countDown();
            }
          });
      await(sub.ping(), "subscriber ping");
      AtomicLong refused = new AtomicLong();
      for (int i = 0; i < total; i++) {
        long due = t0 + i * periodNanos;
        long now;
        while ((now = System.nanoTime()) < due) {
          LockSupport.parkNanos(due - now);
        }
        if (now - due > GIVE_UP_BEHIND_NANOS) {
          note = "publisher more than 10 s behind schedule at message " + i + " of " + total;
          break;
        }
        var unused =
            pub.publish(channel, Integer.toString(i), text)
                .whenComplete(
                    (v, e) -> {
                      if (e != null) {
                        refused.incrementAndGet();
                      }
                    });
      }
      if (!measured.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) && note.isEmpty()) {
        note = "not all received " + TIMEOUT_SECONDS + " s after the last publish";
      }
      long nowNanos = System.nanoTime();
      long nowMillis = System.currentTimeMillis();
      long measuredFromNanos = t0 + warm * periodNanos;
      window = Results.Pauses.window(nowMillis - TimeUnit.NANOSECONDS.toMillis(nowNanos - measuredFromNanos), nowMillis);
      if (refused.get() > 0) {
        note = (note.isEmpty() ? "" : note + "; ") + refused.get() + " publishes refused";
      }
    } finally {
      closeAll(opened);
    }
    return new Results.Latency(
        subject.key(),
        subject.title(),
        rate,
        payloadBytes,
        histogram.copy(),
        total - warm,
        measured.getCount(),
        note,
        window);
  }

  /**
   * The highest offered rate at which {@code subject}'s p99 latency stays under {@code limitNanos}
   * (issue #20 item 5): short latency runs (this instance's settings), doubling the rate from
   * {@code startRate} until a run fails the limit (or loses a message, or falls behind), then
   * bisecting between the last rate that passed and the first that failed until they are within an
   * eighth of each other, within {@code budgetNanos} in all; after one run at {@code startRate}
   * that only warms the JVM up.
   */
  Results.RateSearch searchRate(
      Subject subject, int payloadBytes, long limitNanos, int startRate, int maxRate, long budgetNanos)
      throws InterruptedException {
    long deadline = System.nanoTime() + budgetNanos;
    List<String> steps = new ArrayList<>();
    try {
      // A fresh JVM: its first run at any rate is cold (JIT, class loading), and not a step.
      var unused = latency(subject, startRate, payloadBytes, "search-warm-up");
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      steps.add("warm-up failed: " + e.getMessage());
    }
    int good = 0;
    int bad = 0;
    int rate = startRate;
    String note = "";
    for (int step = 0; ; step++) {
      if (System.nanoTime() > deadline) {
        note = "stopped at its time budget of " + TimeUnit.NANOSECONDS.toSeconds(budgetNanos) + " s";
        break;
      }
      boolean pass;
      String what;
      try {
        Results.Latency r = latency(subject, rate, payloadBytes, "search-" + step + "-" + rate);
        long p99 = r.histogram().getTotalCount() == 0 ? Long.MAX_VALUE : r.histogram().getValueAtPercentile(99);
        pass = r.note().isEmpty() && r.lost() == 0 && p99 < limitNanos;
        what = (p99 == Long.MAX_VALUE ? "nothing received" : "p99 " + Report.us(p99) + " µs")
            + (r.lost() > 0 ? ", " + r.lost() + " lost" : "") + (r.note().isEmpty() ? "" : ", " + r.note());
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        pass = false;
        what = "failed: " + e.getMessage();
      }
      steps.add(String.format(java.util.Locale.ROOT, "%,d msg/s: %s%s", rate, what, pass ? "" : " (over)"));
      if (pass) {
        good = rate;
      } else {
        bad = rate;
      }
      if (bad == 0) {
        if (rate >= maxRate) {
          note = "stopped at the highest rate tried, " + maxRate + " msg/s";
          break;
        }
        rate = Math.min(maxRate, rate * 2);
        continue;
      }
      if (bad - good <= Math.max(good / 8, 100)) {
        break;
      }
      rate = (good + bad) / 2 / 100 * 100;
      if (rate <= good) {
        break;
      }
    }
    return new Results.RateSearch(payloadBytes, TimeUnit.NANOSECONDS.toMicros(limitNanos), good, steps, note);
  }

  /**
   * Acknowledged publishes per second from one connection with at most {@code window} awaiting
   * acknowledgement, then the fan-out case: one publisher, several subscribers, every message to
   * every subscriber.
   */
  Results.Throughput throughput(Subject subject, int payloadBytes, String channel) throws ExecutionException, InterruptedException, TimeoutException {
    double acked = ackedThroughput(subject, payloadBytes, channel + "-acked");
    double fanOut = fanOut(subject, payloadBytes, channel + "-fanout");
    return new Results.Throughput(
        subject.key(), subject.title(), acked, settings.fanOutSubscribers(), fanOut, "");
  }

  private double ackedThroughput(Subject subject, int payloadBytes, String channel) throws ExecutionException, InterruptedException, TimeoutException {
    String text = payload(payloadBytes);
    List<Endpoint> opened = new ArrayList<>();
    try {
      Endpoint pub = open(subject, false, opened);
      await(pub.attach(channel), "publisher attach");
      Semaphore window = new Semaphore(settings.window());
      AtomicLong acked = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long start = System.nanoTime();
      long measureFrom = start + TimeUnit.SECONDS.toNanos(1);
      long end = measureFrom + TimeUnit.SECONDS.toNanos(settings.throughputSeconds());
      long ackedAtStart = -1;
      long startedAt = 0;
      for (int i = 0; ; i++) {
        long now = System.nanoTime();
        if (ackedAtStart < 0 && now >= measureFrom) {
          ackedAtStart = acked.get();
          startedAt = now;
        }
        if (now >= end) {
          break;
        }
        if (!window.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new TimeoutException("no acknowledgement for " + TIMEOUT_SECONDS + " s");
        }
        if (failure.get() != null) {
          throw new ExecutionException("publish refused", failure.get());
        }
        var unused =
            pub.publish(channel, Integer.toString(i), text)
                .whenComplete(
                    (v, e) -> {
                      if (e != null) {
                        failure.compareAndSet(null, e);
                      } else {
                        acked.incrementAndGet();
                      }
                      window.release();
                    });
      }
      long ackedAtEnd = acked.get();
      double seconds = (System.nanoTime() - startedAt) / 1e9;
      // Drain, so that closing does not fail the outstanding publishes.
      if (!window.tryAcquire(settings.window(), TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new TimeoutException("outstanding publishes not acknowledged");
      }
      return (ackedAtEnd - ackedAtStart) / seconds;
    } finally {
      closeAll(opened);
    }
  }

  private double fanOut(Subject subject, int payloadBytes, String channel) throws ExecutionException, InterruptedException, TimeoutException {
    String text = payload(payloadBytes);
    int subscribers = settings.fanOutSubscribers();
    int messages = settings.fanOutMessages();
    int warm = messages / 5;
    List<Endpoint> opened = new ArrayList<>();
    try {
      CountDownLatch warmedUp = new CountDownLatch(warm * subscribers);
      CountDownLatch delivered = new CountDownLatch((messages - warm) * subscribers);
      for (int s = 0; s < subscribers; s++) {
        Endpoint sub = open(subject, true, opened);
        await(sub.attach(channel), "subscriber attach");
        sub.subscribe(
            channel,
            name -> {
              if (Integer.parseInt(name) < warm) {
                warmedUp.countDown();
              } else {
                delivered.countDown();
              }
            });
        await(sub.ping(), "subscriber ping");
      }
      Endpoint pub = open(subject, false, opened);
      await(pub.attach(channel), "publisher attach");
      Semaphore window = new Semaphore(settings.window());
      long start = 0;
      for (int i = 0; i < messages; i++) {
        if (i == warm) {
          if (!warmedUp.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException("fan-out warm-up not delivered");
          }
          start = System.nanoTime();
        }
        if (!window.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new TimeoutException("no acknowledgement for " + TIMEOUT_SECONDS + " s");
        }
        var unused = pub.publish(channel, Integer.toString(i), text).whenComplete((v, e) -> window.release());
      }
      if (!delivered.await(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS)) {
        throw new TimeoutException(delivered.getCount() + " fan-out deliveries missing");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return (double) (messages - warm) * subscribers / seconds;
    } finally {
      closeAll(opened);
    }
  }

  /**
   * Sequential pings, each timed by the caller from the call to the completion of its stage, for
   * at most {@code pings} round trips or {@code 3 * throughputSeconds + 10} seconds, whichever ends
   * first (a client whose pings stall must not hold the run up).
   */
  Results.Ping ping(Subject subject) throws ExecutionException, InterruptedException, TimeoutException {
    Histogram histogram = new Histogram(MAX_LATENCY_NANOS, 3);
    List<Endpoint> opened = new ArrayList<>();
    String note = "";
    try {
      Endpoint client = open(subject, true, opened);
      int warm = 10;
      long budgetNanos = TimeUnit.SECONDS.toNanos(3L * settings.throughputSeconds() + 10);
      long end = System.nanoTime() + budgetNanos;
      for (int i = 0; i < warm + settings.pings(); i++) {
        long start = System.nanoTime();
        if (start > end) {
          note = "stopped after " + TimeUnit.NANOSECONDS.toSeconds(budgetNanos) + " s";
          break;
        }
        await(client.ping(), "ping");
        if (i >= warm) {
          histogram.recordValue(Math.min(System.nanoTime() - start, MAX_LATENCY_NANOS));
        }
      }
    } finally {
      closeAll(opened);
    }
    return new Results.Ping(subject.key(), subject.title(), histogram, note);
  }

  /**
   * Bytes allocated per message sent and per message received in steady state, threads started and
   * heap used by the two clients. Sending: the subject publishes (the calling thread, which pays for
   * the message objects, is counted with the client's own threads). Receiving: a helper floor
   * publishes from threads named {@code bench-helper...}, which are not counted.
   */
  Results.Cost cost(Subject subject, NettyFloor helper, int payloadBytes, String channel)
      throws ExecutionException, InterruptedException, TimeoutException {
    String text = payload(payloadBytes);
    Predicate<String> counted = name -> !name.startsWith(helper.key());
    List<Endpoint> opened = new ArrayList<>();
    List<Endpoint> helpers = new ArrayList<>();
    try {
      long heapBefore = AllocationMeter.heapUsedAfterGc();
      long startedBefore = AllocationMeter.startedThreads();
      Endpoint pub = open(subject, false, opened);
      Endpoint sub = open(subject, true, opened);
      long threadsStarted = AllocationMeter.startedThreads() - startedBefore;
      long heap = AllocationMeter.heapUsedAfterGc() - heapBefore;

      String sendChannel = channel + "-send";
      await(pub.attach(sendChannel), "publisher attach");
      publishWindowed(pub, sendChannel, text, 0, settings.costMessages());
      Map<Long, Long> cpuBefore = AllocationMeter.cpuSnapshot(counted);
      Map<Long, Long> before = AllocationMeter.snapshot(counted);
      publishWindowed(pub, sendChannel, text, settings.costMessages(), settings.costMessages());
      long sentBytes = AllocationMeter.allocatedBetween(before, AllocationMeter.snapshot(counted));
      long sentCpu = AllocationMeter.allocatedBetween(cpuBefore, AllocationMeter.cpuSnapshot(counted));

      String receiveChannel = channel + "-receive";
      await(sub.attach(receiveChannel), "subscriber attach");
      int n = settings.costMessages();
      CountDownLatch warmedUp = new CountDownLatch(n);
      CountDownLatch received = new CountDownLatch(n);
      sub.subscribe(
          receiveChannel,
          name -> {
            if (Integer.parseInt(name) < n) {
              warmedUp.countDown();
            } else {
              received.countDown();
            }
          });
      await(sub.ping(), "subscriber ping");
      Endpoint source = open(helper, false, helpers);
      await(source.attach(receiveChannel), "helper attach");
      onHelperThread(helper, () -> publishWindowed(source, receiveChannel, text, 0, n));
      if (!warmedUp.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new TimeoutException("cost warm-up not received");
      }
      cpuBefore = AllocationMeter.cpuSnapshot(counted);
      before = AllocationMeter.snapshot(counted);
      onHelperThread(helper, () -> publishWindowed(source, receiveChannel, text, n, n));
      if (!received.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new TimeoutException("cost messages not received");
      }
      long receivedBytes = AllocationMeter.allocatedBetween(before, AllocationMeter.snapshot(counted));
      long receivedCpu = AllocationMeter.allocatedBetween(cpuBefore, AllocationMeter.cpuSnapshot(counted));
      return new Results.Cost(
          subject.key(),
          subject.title(),
          (double) sentBytes / n,
          (double) receivedBytes / n,
          (double) sentCpu / n,
          (double) receivedCpu / n,
          threadsStarted,
          heap,
          "");
    } finally {
      closeAll(helpers);
      closeAll(opened);
    }
  }

  /** Publishes {@code count} messages named from {@code first}, and waits for every acknowledgement. */
  private void publishWindowed(Endpoint pub, String channel, String text, int first, int count)
      throws ExecutionException, InterruptedException, TimeoutException {
    Semaphore window = new Semaphore(settings.window());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = first; i < first + count; i++) {
      if (!window.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new TimeoutException("no acknowledgement for " + TIMEOUT_SECONDS + " s");
      }
      var unused =
          pub.publish(channel, Integer.toString(i), text)
              .whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      failure.compareAndSet(null, e);
                    }
                    window.release();
                  });
    }
    if (!window.tryAcquire(settings.window(), TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new TimeoutException("publishes not acknowledged");
    }
    if (failure.get() != null) {
      throw new ExecutionException("publish refused", failure.get());
    }
  }

  /**
   * The client's own limits against the {@link Blaster} (issue #20): the highest receive rate (a
   * blast of pre-encoded MESSAGE frames, every one counted and checked in order) and the highest
   * acknowledged publish rate (every publish acknowledged at once, at most {@code window}
   * awaiting), each after a warm-up of half as many, with the CPU time (user + system) of this
   * whole process and the bytes allocated by all its threads per message. The blaster runs in its
   * own process, so nothing else in this one works for the measured messages.
   */
  Results.Blast blast(Subject subject) throws ExecutionException, InterruptedException, TimeoutException {
    int receiveN = 10 * settings.costMessages();
    int sendN = 5 * settings.costMessages();
    String text = payload(Blaster.PAYLOAD_BYTES);
    List<Endpoint> opened = new ArrayList<>();
    try {
      Endpoint ep = open(subject, false, opened);
      receiveBlast(ep, receiveN / 2 + 1, text);
      Measured received = receiveBlast(ep, receiveN, text);
      await(ep.attach("ack"), "attach");
      publishWindowed(ep, "ack", text, 0, sendN / 2);
      long cpu = processCpuNanos();
      Map<Long, Long> before = AllocationMeter.snapshot(name -> true);
      long t0 = System.nanoTime();
      publishWindowed(ep, "ack", text, 0, sendN);
      long elapsed = System.nanoTime() - t0;
      long sentCpu = processCpuNanos() - cpu;
      long sentBytes = AllocationMeter.allocatedBetween(before, AllocationMeter.snapshot(name -> true));
      return new Results.Blast(
          subject.key(), subject.title(), received.perSecond(), received.cpuNanos() / receiveN,
          (double) received.bytes() / receiveN, sendN * 1e9 / elapsed, (double) sentCpu / sendN,
          (double) sentBytes / sendN, received.note());
    } finally {
      closeAll(opened);
    }
  }

  /** A measured blast: rate, process CPU and allocation over all its messages, what went wrong. */
  private record Measured(double perSecond, double cpuNanos, long bytes, String note) {}

  private Measured receiveBlast(Endpoint ep, int count, String text)
      throws ExecutionException, InterruptedException, TimeoutException {
    String channel = Blaster.BLAST_PREFIX + count;
    await(ep.attach(channel), "attach " + channel);
    AtomicLong next = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    AtomicLong lastAt = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    ep.subscribe(
        channel,
        name -> {
          long expected = next.getAndIncrement();
          if (Long.parseLong(name) != expected) {
            outOfOrder.incrementAndGet();
          }
          if (expected == count - 1) {
            lastAt.set(System.nanoTime());
            done.countDown();
          }
        });
    long cpu = processCpuNanos();
    Map<Long, Long> before = AllocationMeter.snapshot(name -> true);
    long t0 = System.nanoTime();
    await(ep.publish(channel, "go", text), "blast request");
    if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new TimeoutException("blast: " + next.get() + " of " + count + " messages received");
    }
    long cpuUsed = processCpuNanos() - cpu;
    long bytes = AllocationMeter.allocatedBetween(before, AllocationMeter.snapshot(name -> true));
    String note = outOfOrder.get() == 0 ? "" : "failed: " + outOfOrder.get() + " messages out of order";
    return new Measured(count * 1e9 / (lastAt.get() - t0), cpuUsed, bytes, note);
  }

  /** The CPU time (user + system) of this process so far, ns. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A task that may throw. */
  interface Task {
    void run() throws ExecutionException, InterruptedException, TimeoutException;
  }

  /** Runs a task on a thread named after the helper, so that its allocations are not counted. */
  private static void onHelperThread(NettyFloor helper, Task task) throws ExecutionException, InterruptedException, TimeoutException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                task.run();
                done.complete(null);
              } catch (InterruptedException e) {
                done.completeExceptionally(e);
                Thread.currentThread().interrupt();
              } catch (ExecutionException | TimeoutException | RuntimeException | Error e) {
                done.completeExceptionally(e);
              }
            },
            helper.key() + "-driver");
    t.setDaemon(true);
    t.start();
    await(done, "helper publishing");
  }

  static Endpoint open(Subject subject, boolean echo, List<Endpoint> opened) throws ExecutionException, InterruptedException, TimeoutException {
    Endpoint endpoint = await(subject.connect(echo), subject.key() + " connect");
    opened.add(endpoint);
    return endpoint;
  }

  /** Closes every endpoint and waits (bounded) for them all; never throws. */
  static void closeAll(List<Endpoint> endpoints) {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Endpoint e : endpoints) {
      try {
        closing.add(e.close());
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "close failed", ex);
      }
    }
    try {
      CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
          .get(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(System.Logger.Level.WARNING, "not every client closed cleanly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endpoints.clear();
  }

  static <T> T await(CompletableFuture<T> future, String what) throws ExecutionException, InterruptedException, TimeoutException {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException(what + ": nothing in " + TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      throw new ExecutionException(what + " failed: " + e.getCause(), e.getCause());
    }
  }
}
