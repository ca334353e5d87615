package io.ably.wire;

import java.nio.ByteBuffer;

/**
 * Decodes the frames of one connection, one after another, keeping what it can reuse (a scratch
 * array, a parser) from one frame to the next. Not thread-safe: it belongs to one connection and
 * is called by one thread at a time (the engine's event loop). Made by
 * {@link ProtocolCodec#newFrameDecoder()}; decodes exactly as {@link ProtocolCodec#decode(ByteBuffer)}.
 */
@FunctionalInterface
public interface FrameDecoder {

  /**
   * Decodes one frame: the buffer's remaining bytes, which are consumed. Nothing of the buffer is
   * kept after the call.
   *
   * @param frame the frame
   * @return the message
   * @throws WireFormatException if the bytes are not a valid ProtocolMessage
   */
  ProtocolMessage decode(ByteBuffer frame);

  /**
   * Decodes one frame held in an array, as {@link #decode(ByteBuffer)} does. A caller that copies
   * frames out of its own (direct) buffers into an array it keeps uses this to avoid a view object
   * per frame. Nothing of the array is kept after the call.
   *
   * @param bytes holds the frame
   * @param offset where it starts
   * @param length its length
   * @return the message
   * @throws WireFormatException if the bytes are not a valid ProtocolMessage
   */
  default ProtocolMessage decode(byte[] bytes, int offset, int length) {
    return decode(ByteBuffer.wrap(bytes, offset, length));
  }
}
