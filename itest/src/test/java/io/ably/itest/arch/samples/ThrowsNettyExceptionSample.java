package io.ably.itest.arch.samples;

import io.netty.util.IllegalReferenceCountException;

/** Leaks Netty through a public constructor's throws clause. */
public final class ThrowsNettyExceptionSample {
  /** Fails when count is not positive. */
  public ThrowsNettyExceptionSample(int count) throws IllegalReferenceCountException {
    if (count <= 0) {
      throw new IllegalReferenceCountException(count);
    }
  }
}
