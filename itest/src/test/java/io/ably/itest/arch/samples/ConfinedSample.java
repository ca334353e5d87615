package io.ably.itest.arch.samples;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntSupplier;

/** Follows every rule: plain fields, a lambda, JDK types only. */
public final class ConfinedSample {
  private final Deque<String> queue = new ArrayDeque<>();
  private long sent;

  /** Queues a message. */
  public void enqueue(String message) {
    queue.addLast(message);
  }

  /** Sends every queued message and returns how many were sent so far. */
  public IntSupplier flush() {
    while (!queue.isEmpty()) {
      queue.removeFirst();
      sent++;
    }
    long snapshot = sent;
    return () -> (int) snapshot;
  }
}
