package io.ably.itest.arch.samples;

import io.netty.util.ReferenceCounted;

/** Leaks Netty through the bound of a public method's type parameter. */
public final class BoundedByNettySample {
  /** Retains and returns the argument. */
  public <T extends ReferenceCounted> T retain(T counted) {
    counted.retain();
    return counted;
  }
}
