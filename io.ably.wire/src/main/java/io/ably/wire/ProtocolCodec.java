package io.ably.wire;

import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes and decodes ProtocolMessages in one {@link WireFormat}, streaming: no intermediate tree
 * of maps. Implementations are stateless and thread-safe.
 *
 * <p>Decoding never throws anything but {@link WireFormatException} (unknown fields are skipped),
 * and a length header larger than the remaining input fails at once, before any allocation.
 * Trailing bytes after the top-level value are an error, and so is an action number outside its
 * table (ProtocolMessage, message or presence action). A field sent as {@code null} reads as
 * absent; an absent {@code action} reads as wire value 0 (HEARTBEAT, or ABSENT for presence), as
 * senders that omit zero-valued fields produce (the ably-common MessagePack fixtures have none).
 *
 * <p>Payloads are normalised on decode so that both formats yield equal values for the same
 * logical message (PROTOCOL.md §3.4): string data whose encoding ends with the transport token
 * {@code base64} becomes {@link io.ably.api.message.MessageData.Binary} and the token is removed
 * (invalid base64 is kept as text with the encoding unchanged); MessagePack {@code bin} data is
 * binary; structured data (a JSON object, array, number or boolean, or a MessagePack map, array,
 * number or boolean) becomes compact JSON text with {@code json} appended to the encoding, which
 * is what the service does on ingress. {@code extras} become compact JSON object text. Encoding
 * applies the inverse transport step: the JSON codec writes binary data as base64 and appends
 * {@code base64}; the MessagePack codec writes {@code bin}.
 *
 * <p>Encoding throws {@link io.ably.api.AblyException} with code 40013 when {@code extras} or
 * {@link io.ably.api.message.MessageData.Json} data is not valid JSON of the right kind.
 */
public interface ProtocolCodec {

  /**
   * Returns the codec for a format.
   *
   * @param format the format
   * @return the shared, thread-safe codec
   */
  static ProtocolCodec of(WireFormat format) {
    return switch (format) {
      case JSON -> JsonProtocolCodec.INSTANCE;
      case MSGPACK -> MsgpackProtocolCodec.INSTANCE;
    };
  }

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
   * Decodes one frame: the buffer's remaining bytes, which are consumed. A heap buffer is read in
   * place; a direct buffer is copied first (msgpack-core cannot read direct buffers on Java 17).
   *
   * @param buffer the frame
   * @return the message
   * @throws WireFormatException if the bytes are not a valid ProtocolMessage
   */
  default ProtocolMessage decode(ByteBuffer buffer) {
    return WireData.decodeFrame(buffer, this::decode);
  }

  /**
   * Returns an encoder for the frames of one connection, which may reuse its buffers from one frame
   * to the next; it writes exactly what {@link #encode(ProtocolMessage, OutputStream)} writes. Not
   * thread-safe: one per connection, called by one thread at a time.
   *
   * @return a new encoder
   */
  default FrameEncoder newFrameEncoder() {
    return this::encode;
  }

  /**
   * Returns a decoder for the frames of one connection, which may reuse buffers and parser state
   * from one frame to the next; it decodes exactly as {@link #decode(ByteBuffer)}. Not
   * thread-safe: one per connection, called by one thread at a time.
   *
   * @return a new decoder
   */
  default FrameDecoder newFrameDecoder() {
    return this::decode;
  }

  /**
   * Returns a decoder for the frames a client receives on one connection: it decodes as
   * {@link #newFrameDecoder()}, and in a MESSAGE ProtocolMessage each message without an id, a
   * connection id or a timestamp gets the ProtocolMessage's: the id {@code <its id>:<index>}
   * (TM2a), its connection id (TM2c) and its timestamp (TM2f). When the ProtocolMessage's fields
   * come before its messages on the wire, as this library and Ably write them, each message is
   * built once with them. Not thread-safe: one per connection, called by one thread at a time.
   *
   * @return a new decoder
   * @since 0.1
   */
  default FrameDecoder newReceiveFrameDecoder() {
    FrameDecoder plain = newFrameDecoder();
    return frame -> MessageDefaults.fill(plain.decode(frame));
  }

  /**
   * Encodes messages as a REST request body: an array of messages.
   *
   * @param messages the messages
   * @return the body
   */
  byte[] encodeMessages(List<Message> messages);

  /**
   * Decodes a REST body holding an array of messages.
   *
   * @param bytes the body
   * @return the messages, unmodifiable
   * @throws WireFormatException if the bytes are not an array of valid messages
   */
  List<Message> decodeMessages(byte[] bytes);

  /**
   * Encodes one message as a single object.
   *
   * @param message the message
   * @return the bytes
   */
  byte[] encodeMessage(Message message);

  /**
   * Decodes one message given as a single object.
   *
   * @param bytes the bytes
   * @return the message
   * @throws WireFormatException if the bytes are not a valid message
   */
  Message decodeMessage(byte[] bytes);

  /**
   * Encodes presence messages as a REST body: an array.
   *
   * @param messages the presence messages
   * @return the body
   */
  byte[] encodePresence(List<PresenceMessage> messages);

  /**
   * Decodes a REST body holding an array of presence messages.
   *
   * @param bytes the body
   * @return the presence messages, unmodifiable
   * @throws WireFormatException if the bytes are not an array of valid presence messages
   */
  List<PresenceMessage> decodePresence(byte[] bytes);
}
