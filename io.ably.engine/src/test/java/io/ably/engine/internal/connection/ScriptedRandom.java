package io.ably.engine.internal.connection;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * A random source for tests: {@link #nextDouble()} returns the queued values, then
 * {@code defaultDouble}; {@link #nextInt(int)} returns {@code bound - 1} (so the machine's shuffle
 * keeps the order), or 0 each time when {@code reverseShuffle} is set.
 */
final class ScriptedRandom implements RandomGenerator {
  private final Deque<Double> doubles = new ArrayDeque<>();
  private double defaultDouble;
  private boolean firstIndex;

  ScriptedRandom doubles(double... values) {
    for (double value : values) {
      doubles.add(value);
    }
    return this;
  }

  ScriptedRandom defaultDouble(double value) {
    defaultDouble = value;
    return this;
  }

  /** Makes every {@code nextInt(bound)} return 0, which rotates a Fisher-Yates shuffle. */
  ScriptedRandom alwaysFirstIndex() {
    firstIndex = true;
    return this;
  }

  @Override
  public double nextDouble() {
    Double next = doubles.poll();
    return next != null ? next : defaultDouble;
  }

  @Override
  public int nextInt(int bound) {
    return firstIndex ? 0 : bound - 1;
  }

  @Override
  public long nextLong() {
    throw new UnsupportedOperationException("the machine should only use nextDouble and nextInt");
  }
}
