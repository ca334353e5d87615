package io.ably.wire;

import io.ably.api.AblyException;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The MessagePack codec, on msgpack-core's {@link MessageUnpacker} and {@link MessagePacker}.
 * Stateless and thread-safe: every call has its own unpacker or packer. See {@link ProtocolCodec}
 * for the payload rules; binary data travels as {@code bin} (RSL4c1).
 *
 * <p>A direct {@link ByteBuffer} is copied to an array first: msgpack-core reads direct buffers
 * through {@code sun.nio.ch}, which Java 17 does not open to it.
 */
final class MsgpackProtocolCodec implements ProtocolCodec {
  /** The one instance. */
  static final MsgpackProtocolCodec INSTANCE = new MsgpackProtocolCodec();

  private MsgpackProtocolCodec() {}

  /** Reads one value with a decoder. */
  @FunctionalInterface
  interface Reader<T> {
    T read(MsgpackDecoder decoder) throws IOException;
  }

  /** Writes one value. */
  @FunctionalInterface
  private interface Writer<T> {
    void write(MessagePacker packer, T value) throws IOException;
  }

  /**
   * Packer buffers start at 512 bytes and grow by chunks as needed: msgpack-core's default of
   * 8 KiB made every encode of a typical 300-byte frame allocate 8 KiB.
   */
  static final MessagePack.PackerConfig PACKER =
      new MessagePack.PackerConfig().withBufferSize(512);

  @Override
  public WireFormat format() {
    return WireFormat.MSGPACK;
  }

  @Override
  public byte[] encode(ProtocolMessage message) {
    return write(message, MsgpackEncoder::protocolMessage);
  }

  @Override
  public void encode(ProtocolMessage message, OutputStream out) throws IOException {
    // Encoded whole first, so an invalid message writes nothing to the stream.
    out.write(encode(message));
  }

  @Override
  public ProtocolMessage decode(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return read(bytes, offset, length, MsgpackDecoder::protocolMessage, "ProtocolMessage");
  }

  @Override
  public byte[] encodeMessages(List<Message> messages) {
    return write(messages, MsgpackEncoder::messages);
  }

  @Override
  public List<Message> decodeMessages(byte[] bytes) {
    return List.copyOf(read(bytes, 0, bytes.length, MsgpackDecoder::messages, "message array"));
  }

  @Override
  public byte[] encodeMessage(Message message) {
    return write(message, MsgpackEncoder::message);
  }

  @Override
  public Message decodeMessage(byte[] bytes) {
    return read(bytes, 0, bytes.length, MsgpackDecoder::message, "message");
  }

  @Override
  public byte[] encodePresence(List<PresenceMessage> messages) {
    return write(messages, MsgpackEncoder::presenceMessages);
  }

  @Override
  public List<PresenceMessage> decodePresence(byte[] bytes) {
    return List.copyOf(
        read(bytes, 0, bytes.length, MsgpackDecoder::presenceMessages, "presence array"));
  }

  @Override
  public String toString() {
    return "MsgpackProtocolCodec";
  }

  private static <T> byte[] write(T value, Writer<T> writer) {
    Objects.requireNonNull(value, "value");
    try (MessageBufferPacker p = PACKER.newBufferPacker()) {
      writer.write(p, value);
      return p.toByteArray();
    } catch (IOException e) {
      // An in-memory packer does no I/O.
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public FrameEncoder newFrameEncoder() {
    return new MsgpackFrameEncoder();
  }

  @Override
  public FrameDecoder newFrameDecoder() {
    return new MsgpackFrameDecoder(false);
  }

  @Override
  public FrameDecoder newReceiveFrameDecoder() {
    return new MsgpackFrameDecoder(true);
  }

  /** Runs a decoder over a whole input and turns every failure into a WireFormatException. */
  private static <T> T read(byte[] bytes, int offset, int length, Reader<T> reader, String what) {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes, offset, length)) {
      return read(u, new MsgpackDecoder(u, length), reader, what);
    } catch (IOException e) {
      // Closing an unpacker over an array does no I/O.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs a decoder over the whole input an unpacker was given, and turns every failure into a
   * WireFormatException.
   */
  static <T> T read(MessageUnpacker u, MsgpackDecoder decoder, Reader<T> reader, String what) {
    try {
      T value = reader.read(decoder);
      if (u.hasNext()) {
        throw new WireFormatException(
            "unexpected data after the " + what + " at offset " + u.getTotalReadBytes());
      }
      return value;
    } catch (WireFormatException e) {
      throw e;
    } catch (AblyException e) {
      throw new WireFormatException("invalid " + what + ": " + e.errorInfo().message(), e);
    } catch (IOException | RuntimeException e) {
      throw new WireFormatException(
          "malformed MessagePack " + what + ": " + WireData.brief(e.getMessage()), e);
    }
  }
}
