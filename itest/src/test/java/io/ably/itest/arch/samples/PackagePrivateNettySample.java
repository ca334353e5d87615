package io.ably.itest.arch.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Not public, so its public method returning a Netty type is no part of the published API. */
final class PackagePrivateNettySample {
  /** Returns an empty Netty buffer. */
  public ByteBuf buffer() {
    return Unpooled.EMPTY_BUFFER;
  }
}
