package io.ably.itest.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, re-checking it every 20 ms: never a bare sleep. */
public final class Eventually {
  private Eventually() {}

  /**
   * Waits until {@code condition} holds or {@code timeout} has passed.
   *
   * @param condition what to wait for; checked on the calling thread
   * @param timeout how long to wait at most
   * @return whether the condition held in time
   * @throws InterruptedException if interrupted while waiting
   */
  public static boolean eventually(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    ReentrantLock lock = new ReentrantLock();
    Condition recheck = lock.newCondition();
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        recheck.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
