package io.ably.api.message;

import io.ably.api.internal.Checks;
import io.ably.api.internal.PayloadAccess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The payload of a message: text, bytes or JSON (RSL4a).
 *
 * <p>JSON is carried as its text so that no JSON library type appears in this API; parse it with
 * the library of your choice. All three kinds are immutable.
 *
 * <pre>{@code
 * switch (message.data()) {
 *   case MessageData.Text t -> handle(t.value());
 *   case MessageData.Binary b -> handle(b.toByteArray());
 *   case MessageData.Json j -> handle(parse(j.json()));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface MessageData permits MessageData.Text, MessageData.Binary, MessageData.Json {

  /**
   * Returns the size of this payload as Ably counts it for the maximum message size (TM6): the
   * string length of text and JSON, the byte count of binary data.
   *
   * @return the size
   */
  int size();

  /**
   * Returns the UTF-8 bytes of text or JSON, or a copy of binary data.
   *
   * @return a new array
   */
  byte[] toByteArray();

  /**
   * Creates a text payload.
   *
   * @param value the text
   * @return the payload
   */
  static Text text(String value) {
    return new Text(value);
  }

  /**
   * Creates a binary payload from a copy of the bytes.
   *
   * @param bytes the bytes, copied
   * @return the payload
   */
  static Binary binary(byte[] bytes) {
    return new Binary(Checks.notNull(bytes, "bytes").clone());
  }

  /**
   * Creates a JSON payload from JSON text (an object or an array). The text is kept as given and
   * sent as is; it is checked when the message is encoded.
   *
   * @param json the JSON text
   * @return the payload
   */
  static Json json(String json) {
    return new Json(json);
  }

  /**
   * Text data.
   *
   * @param value the text, not {@code null}
   */
  record Text(String value) implements MessageData {
    /** Validates the text. */
    public Text {
      Checks.notNull(value, "text");
    }

    @Override
    public int size() {
      return value.length();
    }

    @Override
    public byte[] toByteArray() {
      return value.getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * JSON data: the text of a JSON object or array.
   *
   * @param json the JSON text, not {@code null}
   */
  record Json(String json) implements MessageData {
    /** Validates the text. */
    public Json {
      Checks.notNull(json, "json");
    }

    @Override
    public int size() {
      return json.length();
    }

    @Override
    public byte[] toByteArray() {
      return json.getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * Binary data. Immutable: the bytes are copied in and copied out.
   *
   * @since 0.1
   */
  final class Binary implements MessageData {
    static {
      PayloadAccess.install(new PayloadAccess.Bridge() {
        @Override
        public byte[] array(Binary binary) {
          return binary.bytes;
        }

        @Override
        public Binary wrap(byte[] owned) {
          return new Binary(owned);
        }
      });
    }

    /** Never modified, never handed out. */
    private final byte[] bytes;

    private Binary(byte[] owned) {
      this.bytes = owned;
    }

    @Override
    public int size() {
      return bytes.length;
    }

    /** Returns a copy of the bytes. */
    @Override
    public byte[] toByteArray() {
      return bytes.clone();
    }

    /**
     * Returns a read-only view of the bytes, without copying.
     *
     * @return a read-only buffer positioned at 0
     */
    public ByteBuffer asReadOnlyBuffer() {
      return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Binary other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    /** Returns the length and, for short payloads, the base64 form. */
    @Override
    public String toString() {
      if (bytes.length <= 48) {
        return "Binary[" + Base64.getEncoder().encodeToString(bytes) + "]";
      }
      return "Binary[" + bytes.length + " bytes]";
    }
  }
}
