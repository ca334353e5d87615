package io.ably.itest.arch.samples;

/** Violates the monitor rule with a {@code synchronized} method. */
public final class SynchronizedMethodSample {
  private int count;

  /** Returns the next count under this object's monitor. */
  public synchronized int next() {
    return ++count;
  }
}
