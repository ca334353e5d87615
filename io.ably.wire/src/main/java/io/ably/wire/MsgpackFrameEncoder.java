package io.ably.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.buffer.OutputStreamBufferOutput;

/**
 * The MessagePack {@link FrameEncoder}: one packer, one packer buffer and one frame array for all
 * the frames of a connection. A frame is packed whole into the array, then written to the stream,
 * so a message that cannot be encoded writes nothing (issue #20: a new packer per publish, then a
 * new 512-byte packer buffer per frame, were most of the send path's allocation; now a frame of
 * up to {@link #MAX_KEPT_FRAME} bytes allocates nothing). Not thread-safe.
 */
final class MsgpackFrameEncoder implements FrameEncoder {
  /** A frame array that grew beyond this is not kept for the next frame. */
  static final int MAX_KEPT_FRAME = 16 * 1024;

  private ByteArrayOutputStream frame = new ByteArrayOutputStream(512);
  private final OutputStreamBufferOutput output = new OutputStreamBufferOutput(frame, 512);
  private final MessagePacker packer = MsgpackProtocolCodec.PACKER.newPacker(output);

  @Override
  public void encode(ProtocolMessage message, OutputStream out) throws IOException {
    try {
      MsgpackEncoder.protocolMessage(packer, message);
      packer.flush();
      frame.writeTo(out);
    } catch (IOException | RuntimeException e) {
      packer.clear();
      throw e;
    } finally {
      if (frame.size() > MAX_KEPT_FRAME) {
        frame = new ByteArrayOutputStream(512);
        output.reset(frame);
      } else {
        frame.reset();
      }
    }
  }
}
