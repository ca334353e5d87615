package io.ably.itest.arch.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Leaks Netty through a public field. */
public final class PublicNettyFieldSample {
  /** An empty Netty buffer. */
  public final ByteBuf empty = Unpooled.EMPTY_BUFFER;
}
