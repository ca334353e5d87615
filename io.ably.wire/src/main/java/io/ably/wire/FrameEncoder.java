package io.ably.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes the frames of one connection, one after another, keeping what it can reuse (a packer and
 * its buffer) from one frame to the next. Not thread-safe: it belongs to one connection and is
 * called by one thread at a time (the engine's event loop). Made by
 * {@link ProtocolCodec#newFrameEncoder()}; writes exactly the bytes of
 * {@link ProtocolCodec#encode(ProtocolMessage, OutputStream)}.
 */
@FunctionalInterface
public interface FrameEncoder {

  /**
   * Encodes one message whole, then writes it: a message that cannot be encoded writes nothing.
   *
   * @param message the message
   * @param out where to write the bytes of one frame
   * @throws IOException if the stream fails
   * @throws io.ably.api.AblyException with code 40013 as {@link ProtocolCodec} says
   */
  void encode(ProtocolMessage message, OutputStream out) throws IOException;
}
