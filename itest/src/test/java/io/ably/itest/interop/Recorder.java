package io.ably.itest.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Events an SDK listener reported, in the order it reported them. Listeners call {@link #add} on
 * the SDK's threads; the test thread reads them with {@link #await}, which has a deadline.
 *
 * @param <T> the event type
 */
final class Recorder<T> {
  private final BlockingQueue<T> unread = new LinkedBlockingQueue<>();
  private final List<T> all = new CopyOnWriteArrayList<>();
  private final Duration timeout;

  Recorder(Duration timeout) {
    this.timeout = timeout;
  }

  /** Records an event; any thread. */
  void add(T event) {
    all.add(event);
    unread.add(event);
  }

  /** Every event so far, oldest first. */
  List<T> all() {
    return List.copyOf(all);
  }

  /**
   * Reads events not read before until one matches, and returns it.
   *
   * @param matcher what to wait for
   * @param what a description for the failure message
   * @return the first unread matching event
   * @throws InterruptedException if interrupted
   */
  T await(Predicate<? super T> matcher, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      T event = left > 0 ? unread.poll(left, TimeUnit.NANOSECONDS) : null;
      if (event == null) {
        return fail("no " + what + " within " + timeout + "; recorded: " + all);
      }
      if (matcher.test(event)) {
        return event;
      }
    }
  }
}
