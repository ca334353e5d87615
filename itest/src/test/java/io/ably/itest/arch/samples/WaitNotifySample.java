package io.ably.itest.arch.samples;

/** Violates the monitor rules: synchronized methods that wait on and signal the monitor. */
public final class WaitNotifySample {
  private boolean ready;

  /** Blocks until {@link #markReady()} has been called. */
  public synchronized void awaitReady() throws InterruptedException {
    while (!ready) {
      wait();
    }
  }

  /** Wakes every waiter. */
  public synchronized void markReady() {
    ready = true;
    notifyAll();
  }
}
