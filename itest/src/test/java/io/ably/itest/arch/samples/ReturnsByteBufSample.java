package io.ably.itest.arch.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Leaks Netty through a public method's return type. */
public final class ReturnsByteBufSample {
  /** Returns an empty Netty buffer. */
  public ByteBuf buffer() {
    return Unpooled.EMPTY_BUFFER;
  }
}
