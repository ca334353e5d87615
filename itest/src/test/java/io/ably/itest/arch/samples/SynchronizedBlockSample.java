package io.ably.itest.arch.samples;

/** Violates the monitor rule with a {@code synchronized} block, invisible to ArchUnit itself. */
public final class SynchronizedBlockSample {
  private final Object lock = new Object();
  private int count;

  /** Returns the next count under a private lock. */
  public int next() {
    synchronized (lock) {
      return ++count;
    }
  }
}
