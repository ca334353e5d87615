package io.ably.itest.arch.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Supplier;

/** Leaks Netty through a type argument of an implemented interface. */
public final class SuppliesByteBufSample implements Supplier<ByteBuf> {
  @Override
  public ByteBuf get() {
    return Unpooled.EMPTY_BUFFER;
  }
}
