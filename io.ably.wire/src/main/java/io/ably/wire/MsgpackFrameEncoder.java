package io.ably.wire;

import java.io.IOException;
import java.io.OutputStream;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.buffer.MessageBuffer;

/**
 * The MessagePack {@link FrameEncoder}: one packer for all the frames of a connection, cleared for
 * each, whose buffer is written to the stream as is (issue #20: a new packer, its buffer and a copy
 * to a new array per publish were most of the send path's allocation). Not thread-safe.
 */
final class MsgpackFrameEncoder implements FrameEncoder {
  private final MessageBufferPacker packer = MsgpackProtocolCodec.PACKER.newBufferPacker();

  @Override
  public void encode(ProtocolMessage message, OutputStream out) throws IOException {
    packer.clear();
    try {
      MsgpackEncoder.protocolMessage(packer, message);
      packer.flush();
    } catch (IOException | RuntimeException e) {
      packer.clear();
      throw e;
    }
    for (MessageBuffer b : packer.toBufferList()) {
      if (b.hasArray()) {
        out.write(b.array(), b.arrayOffset(), b.size());
      } else {
        out.write(b.toByteArray());
      }
    }
  }
}
