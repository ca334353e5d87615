package io.ably.itest.arch.samples;

/** Violates the confinement rule with a volatile field outside the boundary classes. */
public final class VolatileFieldSample {
  private volatile boolean closed;

  /** Marks this closed. */
  public void close() {
    closed = true;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }
}
