package io.ably.itest.arch.samples;

import java.util.concurrent.atomic.AtomicLong;

/** Violates the confinement rule with an atomic outside the boundary classes. */
public final class AtomicSample {
  private final AtomicLong count = new AtomicLong();

  /** Returns the next count. */
  public long next() {
    return count.incrementAndGet();
  }
}
