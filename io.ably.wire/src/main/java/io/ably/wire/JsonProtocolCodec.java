package io.ably.wire;

import com.alibaba.fastjson2.JSONReader;
import com.alibaba.fastjson2.JSONWriter;
import io.ably.api.AblyException;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JSON codec, on fastjson2's streaming {@link JSONReader} and {@link JSONWriter}. Stateless and
 * thread-safe: every call has its own reader or writer. See {@link ProtocolCodec} for the payload
 * rules; binary data travels as base64 with {@code base64} appended to its encoding (RSL4d1).
 *
 * <p>fastjson2's reader is lenient about a few forms that are not JSON (single-quoted strings,
 * comments, a missing or trailing comma inside an object or array); such input is accepted.
 * The writer produces strict JSON, except that {@code extras} text is written as given once this
 * same reader has accepted it as an object.
 */
final class JsonProtocolCodec implements ProtocolCodec {
  /** The one instance. */
  static final JsonProtocolCodec INSTANCE = new JsonProtocolCodec();

  private JsonProtocolCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.JSON;
  }

  @Override
  public byte[] encode(ProtocolMessage message) {
    return write(message, JsonEncoder::protocolMessage);
  }

  @Override
  public void encode(ProtocolMessage message, OutputStream out) throws IOException {
    Objects.requireNonNull(message, "message");
    try (JSONWriter w = JSONWriter.ofUTF8()) {
      JsonEncoder.protocolMessage(w, message);
      w.flushTo(out);
    }
  }

  @Override
  public ProtocolMessage decode(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return read(bytes, offset, length, '}', JsonDecoder::protocolMessage, "ProtocolMessage");
  }

  @Override
  public FrameDecoder newReceiveFrameDecoder() {
    return new FrameDecoder() {
      @Override
      public ProtocolMessage decode(ByteBuffer frame) {
        return WireData.decodeFrame(frame, this::decode);
      }

      @Override
      public ProtocolMessage decode(byte[] bytes, int offset, int length) {
        return read(bytes, offset, length, '}', r -> JsonDecoder.protocolMessage(r, true), "ProtocolMessage");
      }
    };
  }

  @Override
  public byte[] encodeMessages(List<Message> messages) {
    return write(messages, JsonEncoder::messages);
  }

  @Override
  public List<Message> decodeMessages(byte[] bytes) {
    return List.copyOf(
        read(bytes, 0, bytes.length, ']', JsonDecoder::messages, "message array"));
  }

  @Override
  public byte[] encodeMessage(Message message) {
    return write(message, JsonEncoder::message);
  }

  @Override
  public Message decodeMessage(byte[] bytes) {
    return read(bytes, 0, bytes.length, '}', JsonDecoder::message, "message");
  }

  @Override
  public byte[] encodePresence(List<PresenceMessage> messages) {
    return write(messages, JsonEncoder::presenceMessages);
  }

  @Override
  public List<PresenceMessage> decodePresence(byte[] bytes) {
    return List.copyOf(
        read(bytes, 0, bytes.length, ']', JsonDecoder::presenceMessages, "presence array"));
  }

  @Override
  public String toString() {
    return "JsonProtocolCodec";
  }

  private static <T> byte[] write(T value, BiConsumer<JSONWriter, T> encoder) {
    Objects.requireNonNull(value, "value");
    try (JSONWriter w = JSONWriter.ofUTF8()) {
      encoder.accept(w, value);
      return w.getBytes();
    }
  }

  /**
   * Runs a decoder over a whole input and turns every failure into a {@link WireFormatException}.
   *
   * @param last the character the top-level value ends with, to reject trailing garbage
   */
  private static <T> T read(
      byte[] bytes, int offset, int length, char last, Function<JSONReader, T> decoder,
      String what) {
    if (JsonSyntax.nestsDeeperThan(bytes, offset, length, WireData.MAX_VALUE_DEPTH)) {
      // Checked before parsing: the parser and its skip of unknown fields recurse
      throw new WireFormatException(
          "JSON " + what + " is nested too deeply (over " + WireData.MAX_VALUE_DEPTH + " levels)");
    }
    try (JSONReader r = JSONReader.of(bytes, offset, length, StandardCharsets.UTF_8)) {
      T value = decoder.apply(r);
      if (!r.isEnd() || lastNonWhitespace(bytes, offset, length) != last) {
        throw new WireFormatException(
            "unexpected data after the " + what + " at offset " + r.getOffset());
      }
      return value;
    } catch (WireFormatException e) {
      throw e;
    } catch (AblyException e) {
      throw new WireFormatException("invalid " + what + ": " + e.errorInfo().message(), e);
    } catch (RuntimeException e) {
      throw new WireFormatException("malformed JSON " + what + ": " + WireData.brief(e.getMessage()), e);
    }
  }

  private static int lastNonWhitespace(byte[] bytes, int offset, int length) {
    for (int i = offset + length - 1; i >= offset; i--) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b;
      }
    }
    return -1;
  }
}
