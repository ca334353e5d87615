package io.ably.itest.arch.samples;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Declared a boundary class by the test, like the engine's published state and counters: its
 * volatile field and atomic break no rule.
 */
public final class BoundarySample {
  private volatile String state = "INITIALIZED";
  private final AtomicLong published = new AtomicLong();

  /** Publishes a new state. */
  public void publish(String newState) {
    state = newState;
    published.incrementAndGet();
  }

  /** The last published state. */
  public String state() {
    return state;
  }

  /** How many states were published. */
  public long publishedCount() {
    return published.get();
  }
}
