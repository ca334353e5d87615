package io.ably.wire;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.internal.PayloadAccess;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The payload encoding chain of messages and presence messages (RSL4, RSL5, RSL6): between the
 * user form, whose data is text, binary or JSON with no {@code encoding}, and the wire form, whose
 * data is text or binary and whose {@code encoding} lists the transforms still applied, left to
 * right in the order they were applied.
 *
 * <p>The final {@code base64} that only the JSON transport needs is the codecs' business and is not
 * added here; a {@code base64} anywhere in a received chain is decoded here all the same.
 *
 * <p>Stateless; thread-safe as far as the {@link ChannelCipher} passed in allows (a cipher is
 * confined to its channel's event loop).
 */
public final class PayloadEncoder {
  private static final String JSON = "json";
  private static final String UTF_8 = "utf-8";
  private static final String BASE64 = "base64";
  private static final String VCDIFF = "vcdiff";
  private static final String CIPHER_PREFIX = "cipher+";

  private PayloadEncoder() {}

  /**
   * The outcome of decoding one message: the message as far as it could be decoded, and why
   * decoding stopped, if it did. On a failure the message keeps the data decoded so far and the
   * part of the {@code encoding} not yet undone (RSL6b); the caller logs the error and delivers the
   * message anyway.
   *
   * @param <T> {@link Message} or {@link PresenceMessage}
   * @param message the decoded message, never {@code null}
   * @param error why decoding stopped (code 40013, or 40019 for a {@code vcdiff} delta), or
   *     {@code null} when the payload was fully decoded
   */
  public record Decoded<T>(T message, AblyException error) {
    /**
     * Tells whether the payload was fully decoded.
     *
     * @return {@code true} when there is no error and so no encoding left
     */
    public boolean complete() {
      return error == null;
    }
  }

  /**
   * Encodes a message for sending (RSL4, RSL5): JSON data becomes its text with {@code json}; with
   * a cipher, text and JSON text become their UTF-8 bytes with {@code utf-8}, then the bytes are
   * encrypted with {@code cipher+aes-128-cbc} or {@code cipher+aes-256-cbc}. Text and binary data
   * without a cipher are left as they are. Tokens are appended to any encoding the message has.
   *
   * @param message the message in user form
   * @param cipher the channel's cipher, or {@code null} when the channel is not encrypted
   * @return the message in wire form; the same instance when nothing had to change
   * @throws AblyException (40013) if JSON data is not the text of a JSON object or array (RSL4a)
   */
  public static Message encode(Message message, ChannelCipher cipher) {
    MessageData data = message.data();
    String tokens = appendedTokens(data, cipher);
    if (tokens == null) {
      return message;
    }
    return message.toBuilder()
        .data(encodeData(data, cipher))
        .encoding(append(message.encoding(), tokens))
        .build();
  }

  /**
   * Encodes a presence message for sending, as {@link #encode(Message, ChannelCipher)} does.
   *
   * @param message the presence message in user form
   * @param cipher the channel's cipher, or {@code null} when the channel is not encrypted
   * @return the presence message in wire form; the same instance when nothing had to change
   * @throws AblyException (40013) if JSON data is not the text of a JSON object or array (RSL4a)
   */
  public static PresenceMessage encode(PresenceMessage message, ChannelCipher cipher) {
    MessageData data = message.data();
    String tokens = appendedTokens(data, cipher);
    if (tokens == null) {
      return message;
    }
    return message.withData(encodeData(data, cipher), append(message.encoding(), tokens));
  }

  /**
   * Decodes a received message (RSL6): undoes the transforms of its {@code encoding} from the
   * right: {@code base64} to bytes, {@code utf-8} to text, {@code json} to JSON (the text is kept
   * exactly as received), {@code cipher+aes-128-cbc} and {@code cipher+aes-256-cbc} by decrypting
   * with the channel's cipher. Never throws for bad input: decoding stops at the first transform
   * it cannot undo (an unknown or {@code vcdiff} token, a missing or different cipher, invalid
   * base64, UTF-8 or JSON, a payload that does not decrypt) and the result carries the error.
   *
   * <p>A message without data has nothing to decode: its encoding is dropped.
   *
   * @param message the message in wire form
   * @param cipher the channel's cipher, or {@code null} when the channel has none
   * @return the decoded message and the error that stopped decoding, if any
   */
  public static Decoded<Message> decode(Message message, ChannelCipher cipher) {
    String encoding = message.encoding();
    if (encoding == null) {
      return new Decoded<>(message, null);
    }
    Result r = decodeData(message.data(), encoding, cipher);
    return new Decoded<>(
        message.toBuilder().data(r.data).encoding(r.encoding).build(), r.error);
  }

  /**
   * Decodes a received presence message, as {@link #decode(Message, ChannelCipher)} does.
   *
   * @param message the presence message in wire form
   * @param cipher the channel's cipher, or {@code null} when the channel has none
   * @return the decoded presence message and the error that stopped decoding, if any
   */
  public static Decoded<PresenceMessage> decode(PresenceMessage message, ChannelCipher cipher) {
    String encoding = message.encoding();
    if (encoding == null) {
      return new Decoded<>(message, null);
    }
    Result r = decodeData(message.data(), encoding, cipher);
    return new Decoded<>(message.withData(r.data, r.encoding), r.error);
  }

  // ---- encoding ----

  /** Returns the tokens encoding adds for this data, or {@code null} when it changes nothing. */
  private static String appendedTokens(MessageData data, ChannelCipher cipher) {
    if (data instanceof MessageData.Json) {
      // RSL4c3, RSL4d3; RSL5a: JSON text is UTF-8 encoded before encryption.
      return cipher == null ? JSON : JSON + '/' + UTF_8 + '/' + cipher.encodingToken();
    }
    if (data == null || cipher == null) {
      return null;
    }
    return data instanceof MessageData.Text
        ? UTF_8 + '/' + cipher.encodingToken()
        : cipher.encodingToken();
  }

  private static MessageData encodeData(MessageData data, ChannelCipher cipher) {
    if (data instanceof MessageData.Json json) {
      if (!JsonSyntax.isObjectOrArray(json.json())) {
        throw AblyException.of(
            ErrorCode.INVALID_MESSAGE_DATA,
            "JSON message data must be the text of a JSON object or array (RSL4a)");
      }
      if (cipher == null) {
        return MessageData.text(json.json());
      }
    }
    byte[] plaintext =
        data instanceof MessageData.Binary binary
            ? PayloadAccess.array(binary) // read only: encrypt() does not modify its input
            : data.toByteArray(); // UTF-8 of text or of JSON text
    return PayloadAccess.wrap(cipher.encrypt(plaintext));
  }

  private static String append(String encoding, String tokens) {
    return encoding == null ? tokens : encoding + '/' + tokens;
  }

  // ---- decoding ----

  /** Data decoded so far, the encoding still applied to it and why decoding stopped. */
  private record Result(MessageData data, String encoding, AblyException error) {}

  private static Result decodeData(MessageData data, String encoding, ChannelCipher cipher) {
    if (data == null) {
      return new Result(null, null, null);
    }
    MessageData current = data;
    int end = encoding.length();
    while (end > 0) {
      int start = encoding.lastIndexOf('/', end - 1) + 1;
      try {
        current = undo(current, encoding, start, end, cipher);
      } catch (AblyException e) {
        // RSL6b: deliver what was decoded, with the transforms not undone.
        return new Result(current, encoding.substring(0, end), e);
      }
      end = start - 1;
    }
    return new Result(current, null, null);
  }

  /** Undoes the token {@code encoding[start, end)}; throws an AblyException if it cannot. */
  private static MessageData undo(
      MessageData data, String encoding, int start, int end, ChannelCipher cipher) {
    // RSL6a: each token undoes its RSL4 / RSL5 transform.
    if (is(encoding, start, end, BASE64)) {
      return fromBase64(data);
    }
    if (is(encoding, start, end, UTF_8)) {
      return data instanceof MessageData.Binary binary
          ? MessageData.text(utf8(binary))
          : requireText(data, UTF_8); // already a string, as the JSON transport gives it
    }
    if (is(encoding, start, end, JSON)) {
      return toJson(data);
    }
    if (encoding.startsWith(CIPHER_PREFIX, start)) {
      return decrypt(data, encoding.substring(start, end), cipher);
    }
    if (is(encoding, start, end, VCDIFF)) {
      // RTL19, RTL20: deltas need the channel's base payload; the caller decides (RTL18).
      throw AblyException.of(
          ErrorCode.MISSING_PLUGIN, "vcdiff delta decoding is not supported (RTL19)");
    }
    throw AblyException.of(
        ErrorCode.INVALID_MESSAGE_DATA,
        "unknown encoding '" + encoding.substring(start, end) + "' in '" + encoding + "'");
  }

  private static boolean is(String encoding, int start, int end, String token) {
    return end - start == token.length() && encoding.startsWith(token, start);
  }

  private static MessageData fromBase64(MessageData data) {
    try {
      if (data instanceof MessageData.Binary binary) {
        return PayloadAccess.wrap(Base64.getDecoder().decode(PayloadAccess.array(binary)));
      }
      return PayloadAccess.wrap(Base64.getDecoder().decode(requireText(data, BASE64).value()));
    } catch (IllegalArgumentException e) {
      throw new AblyException(
          ErrorInfo.of(ErrorCode.INVALID_MESSAGE_DATA, "invalid base64 data: " + e.getMessage()),
          e);
    }
  }

  private static MessageData toJson(MessageData data) {
    if (data instanceof MessageData.Json) {
      return data;
    }
    String text =
        data instanceof MessageData.Binary binary ? utf8(binary) : requireText(data, JSON).value();
    if (!JsonSyntax.isObjectOrArray(text)) {
      throw AblyException.of(
          ErrorCode.INVALID_MESSAGE_DATA, "data with encoding json is not a JSON object or array");
    }
    return MessageData.json(text);
  }

  private static MessageData decrypt(MessageData data, String token, ChannelCipher cipher) {
    if (cipher == null) {
      throw AblyException.of(
          ErrorCode.INVALID_MESSAGE_DATA,
          "message is encrypted (" + token + ") but the channel has no cipher");
    }
    if (!token.equals(cipher.encodingToken())) {
      throw AblyException.of(
          ErrorCode.INVALID_MESSAGE_DATA,
          "message is encrypted with " + token + " but the channel's cipher is "
              + cipher.encodingToken());
    }
    if (!(data instanceof MessageData.Binary binary)) {
      throw AblyException.of(
          ErrorCode.INVALID_MESSAGE_DATA, token + " expects binary data, got " + kind(data));
    }
    return PayloadAccess.wrap(cipher.decrypt(PayloadAccess.array(binary)));
  }

  private static MessageData.Text requireText(MessageData data, String token) {
    if (data instanceof MessageData.Text text) {
      return text;
    }
    throw AblyException.of(
        ErrorCode.INVALID_MESSAGE_DATA, token + " expects text data, got " + kind(data));
  }

  /** Decodes strict UTF-8: malformed input is an error, not replacement characters. */
  private static String utf8(MessageData.Binary binary) {
    byte[] bytes = PayloadAccess.array(binary);
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') >= 0) {
      // Rare: either a real U+FFFD or malformed input that was replaced. Check strictly.
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes));
      } catch (CharacterCodingException e) {
        throw new AblyException(
            ErrorInfo.of(ErrorCode.INVALID_MESSAGE_DATA, "data is not valid UTF-8"), e);
      }
    }
    return text;
  }

  private static String kind(MessageData data) {
    if (data instanceof MessageData.Text) {
      return "text";
    }
    return data instanceof MessageData.Binary ? "binary" : "JSON";
  }
}
