package io.ably.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Encodes and decodes ProtocolMessages in one {@link WireFormat}, streaming: no intermediate tree
 * of maps. Implementations are stateless and thread-safe.
 *
 * <p>Decoding never throws anything but {@link WireFormatException} (unknown fields are skipped),
 * and a length header larger than the remaining input fails at once, before any allocation.
 */
public interface ProtocolCodec {

  /**
   * Returns the format.
   *
   * @return the format this codec speaks
   */
  WireFormat format();

  /**
   * Encodes a message.
   *
   * @param message the message
   * @return the bytes of one frame
   */
  byte[] encode(ProtocolMessage message);

  /**
   * Encodes a message to a stream.
   *
   * @param message the message
   * @param out where to write the bytes of one frame
   * @throws IOException if the stream fails
   */
  void encode(ProtocolMessage message, OutputStream out) throws IOException;

  /**
   * Decodes one frame.
   *
   * @param bytes the frame
   * @return the message
   * @throws WireFormatException if the bytes are not a valid ProtocolMessage
   */
  default ProtocolMessage decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Decodes one frame from part of an array.
   *
   * @param bytes the array
   * @param offset where the frame starts
   * @param length the frame's length
   * @return the message
   * @throws WireFormatException if the bytes are not a valid ProtocolMessage
   */
  ProtocolMessage decode(byte[] bytes, int offset, int length);

  /**
   * Decodes one frame: the buffer's remaining bytes, which are consumed.
   *
   * @param buffer the frame
   * @return the message
   * @throws WireFormatException if the bytes are not a valid ProtocolMessage
   */
  ProtocolMessage decode(ByteBuffer buffer);
}
