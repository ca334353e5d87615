package io.ably.itest.arch.samples;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Violates the confinement rule with a {@code VarHandle}: an atomic by other means. */
public final class VarHandleSample {
  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(VarHandleSample.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through COUNT only
  private int count;

  /** Returns the next count. */
  public int next() {
    return (int) COUNT.getAndAdd(this, 1) + 1;
  }
}
