package io.ably.engine.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Single-writer counters for the declared boundaries ({@link Counters}, {@link ChannelCounters}):
 * the event loop reads its own last value plainly and publishes the next with a release store;
 * readers on any thread take it with an acquire load. One writer needs no atomic update and no
 * full fence, so counting a message costs the loop no StoreLoad barrier. A boundary class itself
 * (named in ArchitectureTest).
 */
public final class CounterSlots {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] slots;

  /**
   * Creates {@code n} counters, all zero.
   *
   * @param n how many
   */
  public CounterSlots(int n) {
    slots = new long[n];
  }

  /**
   * Adds to a counter. The single writer's thread only.
   *
   * @param slot the counter
   * @param n what to add
   */
  public void add(int slot, long n) {
    SLOT.setRelease(slots, slot, slots[slot] + n);
  }

  /**
   * Sets a counter (a gauge). The single writer's thread only.
   *
   * @param slot the counter
   * @param value its value
   */
  public void set(int slot, long value) {
    SLOT.setRelease(slots, slot, value);
  }

  /**
   * Reads a counter. Any thread.
   *
   * @param slot the counter
   * @return its latest published value
   */
  public long get(int slot) {
    return (long) SLOT.getAcquire(slots, slot);
  }
}
