package io.ably.itest.arch.samples;

import java.util.concurrent.locks.ReentrantLock;

/** Violates the lock rule with a {@code ReentrantLock}. */
public final class LockSample {
  private final ReentrantLock lock = new ReentrantLock();
  private int count;

  /** Returns the next count under the lock. */
  public int next() {
    lock.lock();
    try {
      return ++count;
    } finally {
      lock.unlock();
    }
  }
}
