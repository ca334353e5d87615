package io.ably.wire;

import io.ably.api.ErrorInfo;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.MessageAction;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.internal.PayloadAccess;
import io.ably.api.message.MessageData;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Rules both codecs share: the transport step of the {@code encoding} chain (RSL4c, RSL4d, RSL6a),
 * payload normalisation on decode, and number checks. Stateless.
 */
final class WireData {
  /** The transport token the JSON format appends to binary data. */
  static final String BASE64 = "base64";

  /** The token for data that is the text of a JSON value. */
  static final String JSON = "json";

  /** Deepest nesting of JSON values in data and extras, in both directions. */
  static final int MAX_VALUE_DEPTH = 512;

  /** Deepest chain of error causes. */
  static final int MAX_ERROR_DEPTH = 32;

  /**
   * Most messages (or presence messages) one protocol message may carry: far above what the
   * service sends (a rewind of 100, a SYNC page), far below what a hostile frame could declare, so
   * no frame makes the receiver build millions of objects.
   */
  static final int MAX_ITEMS = 10_000;

  /** Refuses the item past {@link #MAX_ITEMS}. */
  static void checkItems(int count, String field) {
    if (count > MAX_ITEMS) {
      throw new WireFormatException(field + ": more than " + MAX_ITEMS + " items in one protocol message");
    }
  }

  private WireData() {}

  /** Decodes a frame held in an array slice. */
  interface SliceDecoder {
    ProtocolMessage decode(byte[] bytes, int offset, int length);
  }

  /**
   * Decodes a whole frame with {@code decoder}: from its backing array when it has one, else from a
   * copy; the buffer is consumed.
   */
  static ProtocolMessage decodeFrame(ByteBuffer frame, SliceDecoder decoder) {
    int length = frame.remaining();
    ProtocolMessage m;
    if (frame.hasArray()) {
      m = decoder.decode(frame.array(), frame.arrayOffset() + frame.position(), length);
    } else {
      byte[] copy = new byte[length];
      frame.duplicate().get(copy);
      m = decoder.decode(copy, 0, length);
    }
    frame.position(frame.limit());
    return m;
  }

  /** A decoded payload: data in wire form and the encoding still applied to it. */
  record Payload(MessageData data, String encoding) {}

  /**
   * Appends a token to an encoding.
   *
   * @param encoding the encoding, or {@code null}
   * @param token the token
   * @return {@code token} alone, or {@code encoding + "/" + token}
   */
  static String append(String encoding, String token) {
    return encoding == null ? token : encoding + '/' + token;
  }

  /** Tells whether the last token of an encoding is {@code base64}. */
  static boolean endsWithBase64(String encoding) {
    if (encoding == null || !encoding.endsWith(BASE64)) {
      return false;
    }
    int before = encoding.length() - BASE64.length() - 1;
    return before < 0 || encoding.charAt(before) == '/';
  }

  /** Removes the last token, returning {@code null} when nothing remains. */
  static String dropLastToken(String encoding) {
    int slash = encoding.lastIndexOf('/');
    return slash <= 0 ? null : encoding.substring(0, slash);
  }

  /** Reads an encoding from the wire: an empty one is none. */
  static String encoding(String wire) {
    return wire == null || wire.isEmpty() ? null : wire;
  }

  /**
   * Builds the model payload from what a message's {@code data} held on the wire; at most one of
   * the three is non-null.
   *
   * @param text string data
   * @param bytes binary data (MessagePack {@code bin}), owned by the caller and handed over
   * @param json the compact JSON text of structured data
   * @param encoding the encoding read, or {@code null}
   * @return the normalised payload
   */
  static Payload payload(String text, byte[] bytes, String json, String encoding) {
    if (bytes != null) {
      return new Payload(PayloadAccess.wrap(bytes), encoding);
    }
    if (json != null) {
      return new Payload(new MessageData.Text(json), append(encoding, JSON));
    }
    if (text == null) {
      return new Payload(null, encoding);
    }
    if (endsWithBase64(encoding)) {
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        // RSL6b: what cannot be decoded is delivered as is, with its encoding.
        return new Payload(new MessageData.Text(text), encoding);
      }
      return new Payload(PayloadAccess.wrap(decoded), dropLastToken(encoding));
    }
    return new Payload(new MessageData.Text(text), encoding);
  }

  /** The exception for an invalid payload or extras given to an encoder. */
  static AblyException invalidData(String message) {
    return AblyException.of(ErrorCode.INVALID_MESSAGE_DATA, message);
  }

  /**
   * Converts a float received where an integer is expected.
   *
   * @param value the number
   * @param field the field, for the message
   * @return the value as a long
   * @throws WireFormatException unless the value is integral and fits a long
   */
  static long integral(double value, String field) {
    if (value != Math.rint(value) || value < -0x1p63 || value >= 0x1p63) {
      throw new WireFormatException(field + ": expected an integer, got " + value);
    }
    return (long) value;
  }

  /** Narrows a long to an int, or throws naming the field. */
  /**
   * Builds a decoded ErrorInfo, turning a value the record refuses (a code or status out of range)
   * into a WireFormatException that names the field.
   */
  static ErrorInfo errorInfo(
      String field, long code, long statusCode, String message, String href, ErrorInfo cause,
      java.util.Map<String, String> detail, String requestId) {
    try {
      return new ErrorInfo(
          toInt(code, field + ".code"),
          toInt(statusCode, field + ".statusCode"),
          message,
          href,
          cause,
          detail,
          requestId);
    } catch (WireFormatException e) {
      throw e;
    } catch (io.ably.api.AblyException e) {
      throw new WireFormatException(field + ": " + e.errorInfo().message(), e);
    }
  }

  /**
   * A message action from its wire number, or {@code null} (no action) for a number this client
   * does not know: a newer service may define actions, and RSF1 asks that an unknown enum value
   * be ignored, not fail the frame, as ably-java and ably-js do.
   */
  static MessageAction messageAction(long v) {
    return v < 0 || v > Integer.MAX_VALUE ? null : MessageAction.fromWire((int) v);
  }

  /**
   * A presence action from its wire number, or {@code null} for a number this client does not
   * know (RSF1): the caller skips that presence message, since it cannot tell whether the member
   * is present.
   */
  static PresenceAction presenceAction(long v) {
    return v < 0 || v > Integer.MAX_VALUE ? null : PresenceAction.fromWire((int) v);
  }

  static int toInt(long value, String field) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new WireFormatException(field + ": " + value + " is out of range");
    }
    return (int) value;
  }

  /** Reads {@code flags}: any 32-bit pattern, given signed or unsigned. */
  static int flags(long value) {
    if (value < Integer.MIN_VALUE || value > 0xFFFF_FFFFL) {
      throw new WireFormatException("flags: " + value + " is out of range");
    }
    return (int) value;
  }

  /** Reads a ProtocolMessage action; a number outside the table (TR2) is an unknown action (RTF1). */
  static Action action(long value) {
    Action action = Action.fromWire(value);
    if (action == null) {
      throw WireFormatException.unknownAction(value); // RTF1: the client ignores it
    }
    return action;
  }

  /** A non-negative timestamp, as messages require. */
  static long timestamp(long value, String field) {
    if (value < 0) {
      throw new WireFormatException(field + ".timestamp: must not be negative, was " + value);
    }
    return value;
  }

  /** Shortens a library's message, which may quote the whole input, for an exception. */
  static String brief(String message) {
    if (message == null) {
      return "";
    }
    return message.length() <= 200 ? message : message.substring(0, 200) + "...";
  }

  /** Canonical form of a non-integral JSON number: no negative zero. */
  static double canonicalDouble(double value) {
    return value == 0.0 ? 0.0 : value;
  }
}
