package io.ably.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;

/**
 * The MessagePack {@link FrameDecoder}: one unpacker, one input and one decoder for all the frames
 * of a connection, reset for each (issue #20: a new unpacker and a new array per frame were a
 * large part of the receive path's allocation). A heap buffer is read in place; a direct buffer is
 * copied into a scratch array that is kept between frames (msgpack-core reads direct buffers
 * through {@code sun.nio.ch}, which Java 17 does not open to it). Not thread-safe.
 */
final class MsgpackFrameDecoder implements FrameDecoder {
  /** Scratch arrays up to this size are kept for the next frame; a larger frame gets its own. */
  static final int MAX_KEPT_SCRATCH = 64 * 1024;

  private final ArrayBufferInput input = new ArrayBufferInput(new byte[0]);
  private final MessageUnpacker unpacker = MessagePack.DEFAULT_UNPACKER_CONFIG.newUnpacker(input);
  private final MsgpackInput in = new MsgpackInput(unpacker, 0);
  private final MsgpackDecoder decoder;
  /**
   * Where a direct buffer's frame is copied; made on first use (a caller that passes arrays never
   * needs it) and grows up to {@link #MAX_KEPT_SCRATCH}.
   */
  private byte[] scratch = new byte[0];

  /**
   * A decoder.
   *
   * @param receive whether the messages of a MESSAGE take its id, connection id and timestamp
   *     ({@link ProtocolCodec#newReceiveFrameDecoder()})
   */
  MsgpackFrameDecoder(boolean receive) {
    decoder = new MsgpackDecoder(in, receive);
  }

  @Override
  public ProtocolMessage decode(ByteBuffer frame) {
    int length = frame.remaining();
    byte[] bytes;
    int offset;
    if (frame.hasArray()) {
      bytes = frame.array();
      offset = frame.arrayOffset() + frame.position();
    } else {
      bytes = scratchFor(length);
      offset = 0;
      frame.get(frame.position(), bytes, 0, length);
    }
    frame.position(frame.limit());
    return decode(bytes, offset, length);
  }

  @Override
  public ProtocolMessage decode(byte[] bytes, int offset, int length) {
    input.reset(bytes, offset, length);
    try {
      unpacker.reset(input);
    } catch (IOException e) {
      // Resetting to an array input does no I/O.
      throw new UncheckedIOException(e);
    }
    in.restart(length);
    return MsgpackProtocolCodec.read(
        unpacker, decoder, MsgpackDecoder::protocolMessage, "ProtocolMessage");
  }

  private byte[] scratchFor(int length) {
    if (length <= scratch.length) {
      return scratch;
    }
    if (length > MAX_KEPT_SCRATCH) {
      return new byte[length];
    }
    scratch = new byte[Math.max(length, Math.min(MAX_KEPT_SCRATCH, Math.max(1024, scratch.length * 2)))];
    return scratch;
  }
}
