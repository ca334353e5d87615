package io.ably.itest.arch.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Uses Netty only privately: no published signature mentions it, but the class still depends on
 * it (which the API module may not).
 */
public final class HidesNettySample {
  private final ByteBuf buffer = Unpooled.EMPTY_BUFFER;

  /** Returns how many bytes are readable. */
  public int readable() {
    return buffer().readableBytes();
  }

  private ByteBuf buffer() {
    return buffer;
  }
}
