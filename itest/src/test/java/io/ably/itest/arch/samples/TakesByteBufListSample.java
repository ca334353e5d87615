package io.ably.itest.arch.samples;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** Leaks Netty through a type argument of a public method's parameter. */
public final class TakesByteBufListSample {
  /** Returns the total readable bytes. */
  public int readable(List<? extends ByteBuf> buffers) {
    int total = 0;
    for (ByteBuf buffer : buffers) {
      total += buffer.readableBytes();
    }
    return total;
  }
}
