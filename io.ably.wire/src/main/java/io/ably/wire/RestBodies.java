package io.ably.wire;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONException;
import com.alibaba.fastjson2.JSONWriter;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * The REST bodies that are not messages (PROTOCOL.md §8): plain value trees of {@link Map} (string
 * keys, insertion order), {@link List}, {@link String}, {@link Long}, {@link Double}, {@link
 * Boolean}, {@code byte[]} (MessagePack {@code bin}) and {@code null}, read from and written to
 * JSON or MessagePack; the error body {@code {"error":{…}}}; and the batch publish body (RSC22c).
 * Stateless and thread-safe.
 *
 * <p>Reading never throws anything but {@link WireFormatException}; a MessagePack length header
 * larger than the bytes left fails before anything is allocated for it.
 */
public final class RestBodies {
  /** Deepest nesting accepted when reading a body. */
  private static final int MAX_DEPTH = 64;

  private RestBodies() {}

  /**
   * Reads a body as a value tree.
   *
   * @param format the body's format
   * @param body the bytes
   * @return the tree; {@code null} for an empty body
   * @throws WireFormatException if the bytes are not one well-formed value
   */
  public static Object read(WireFormat format, byte[] body) {
    if (body.length == 0) {
      return null;
    }
    if (format == WireFormat.JSON) {
      if (JsonSyntax.nestsDeeperThan(body, 0, body.length, MAX_DEPTH)) {
        throw new WireFormatException("the body is nested too deeply");
      }
      try {
        return normalise(JSON.parse(new String(body, StandardCharsets.UTF_8)), 0);
      } catch (JSONException e) {
        throw new WireFormatException("malformed JSON body: " + e.getMessage(), e);
      }
    }
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(body)) {
      Object value = unpack(u, 0, body.length);
      if (u.hasNext()) {
        throw new WireFormatException("unexpected data after the MessagePack body");
      }
      return value;
    } catch (MessagePackException | IOException e) {
      throw new WireFormatException("malformed MessagePack body: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a value tree.
   *
   * @param format the format
   * @param value a tree of the types this class reads (any {@link Number} and {@link Map} keys
   *     that are strings)
   * @return the bytes
   * @throws IllegalArgumentException if the tree holds another type
   */
  public static byte[] write(WireFormat format, Object value) {
    if (format == WireFormat.JSON) {
      return toJson(value).getBytes(StandardCharsets.UTF_8);
    }
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      pack(packer, value);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a buffer packer does no I/O
    }
  }

  /**
   * Writes a value tree as compact JSON text; {@code byte[]} becomes base64 text.
   *
   * @param value the tree
   * @return the JSON text
   */
  public static String toJson(Object value) {
    try (JSONWriter w = JSONWriter.of()) {
      writeJson(w, value);
      return w.toString();
    }
  }

  /**
   * Reads the error of an error response body {@code {"error":{code, statusCode, message, href}}}.
   *
   * @param format the body's format
   * @param body the bytes
   * @return the error, or {@code null} if the body is not such an object
   */
  public static ErrorInfo error(WireFormat format, byte[] body) {
    Object tree;
    try {
      tree = read(format, body);
    } catch (WireFormatException e) {
      return null;
    }
    if (tree instanceof Map<?, ?> m && m.get("error") instanceof Map<?, ?> e) {
      return errorInfo(e);
    }
    return null;
  }

  /**
   * Builds an error from an {@code ErrorInfo} object of a tree; a code or status out of range
   * reads as unknown ({@code 0}).
   *
   * @param e the object
   * @return the error
   */
  public static ErrorInfo errorInfo(Map<?, ?> e) {
    int code = intOrZero(e.get("code"));
    int status = intOrZero(e.get("statusCode"));
    if (code != 0 && (code < 10_000 || code > 99_999)) {
      code = 0;
    }
    if (status != 0 && (status < 100 || status > 599)) {
      status = 0;
    }
    Object message = e.get("message");
    Object href = e.get("href");
    return new ErrorInfo(
        code, status, message == null ? "" : String.valueOf(message),
        href instanceof String h ? h : null, null, null, null);
  }

  private static int intOrZero(Object v) {
    if (v instanceof Number n && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    return 0;
  }

  /**
   * Encodes the body of a batch publish (RSC22c): an array of {@code {channels:[…],
   * messages:[…]}}, the messages in wire form as {@link ProtocolCodec#encodeMessages} writes them.
   *
   * @param format the format
   * @param channels the channel names of each spec
   * @param messages the wire-form messages of each spec, in the same order
   * @return the body
   */
  public static byte[] batchPublish(
      WireFormat format, List<List<String>> channels, List<List<Message>> messages) {
    ProtocolCodec codec = ProtocolCodec.of(format);
    if (format == WireFormat.JSON) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write('[');
      for (int i = 0; i < channels.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.writeBytes("{\"channels\":".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(toJson(channels.get(i)).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(",\"messages\":".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(codec.encodeMessages(messages.get(i)));
        out.write('}');
      }
      out.write(']');
      return out.toByteArray();
    }
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(channels.size());
      for (int i = 0; i < channels.size(); i++) {
        p.packMapHeader(2);
        p.packString("channels");
        pack(p, channels.get(i));
        p.packString("messages");
        byte[] encoded = codec.encodeMessages(messages.get(i));
        p.writePayload(encoded);
      }
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a buffer packer does no I/O
    }
  }

  // ---- JSON ----

  private static Object normalise(Object v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new WireFormatException("the body is nested too deeply");
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), normalise(e.getValue(), depth + 1));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(normalise(o, depth + 1));
      }
      return out;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
    }
    if (v instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return d.doubleValue();
      }
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    return v;
  }

  private static void writeJson(JSONWriter w, Object value) {
    if (value == null) {
      w.writeNull();
    } else if (value instanceof String s) {
      w.writeString(s);
    } else if (value instanceof Boolean b) {
      w.writeBool(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      w.writeInt64(((Number) value).longValue());
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d)) {
        w.writeDouble(d);
      } else {
        w.writeNull();
      }
    } else if (value instanceof byte[] bytes) {
      w.writeString(Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof Map<?, ?> map) {
      w.startObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        w.writeName(String.valueOf(e.getKey()));
        w.writeColon();
        writeJson(w, e.getValue());
      }
      w.endObject();
    } else if (value instanceof List<?> list) {
      w.startArray();
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          w.writeComma();
        }
        writeJson(w, list.get(i));
      }
      w.endArray();
    } else {
      throw new IllegalArgumentException("cannot write a " + value.getClass().getName());
    }
  }

  // ---- MessagePack ----

  private static void pack(MessageBufferPacker p, Object value) throws IOException {
    if (value == null) {
      p.packNil();
    } else if (value instanceof String s) {
      p.packString(s);
    } else if (value instanceof Boolean b) {
      p.packBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      p.packLong(((Number) value).longValue());
    } else if (value instanceof Number n) {
      p.packDouble(n.doubleValue());
    } else if (value instanceof byte[] bytes) {
      p.packBinaryHeader(bytes.length);
      p.writePayload(bytes);
    } else if (value instanceof Map<?, ?> map) {
      p.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        p.packString(String.valueOf(e.getKey()));
        pack(p, e.getValue());
      }
    } else if (value instanceof List<?> list) {
      p.packArrayHeader(list.size());
      for (Object o : list) {
        pack(p, o);
      }
    } else {
      throw new IllegalArgumentException("cannot write a " + value.getClass().getName());
    }
  }

  private static Object unpack(MessageUnpacker u, int depth, int bodyLength) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new WireFormatException("the body is nested too deeply");
    }
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case NIL -> {
        u.unpackNil();
        return null;
      }
      case BOOLEAN -> {
        return u.unpackBoolean();
      }
      case INTEGER -> {
        if (f == MessageFormat.UINT64) {
          BigInteger b = u.unpackBigInteger();
          return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
        }
        return u.unpackLong();
      }
      case FLOAT -> {
        return u.unpackDouble();
      }
      case STRING -> {
        int n = u.unpackRawStringHeader();
        checkLength(u, n, bodyLength);
        return new String(u.readPayload(n), StandardCharsets.UTF_8);
      }
      case BINARY -> {
        int n = u.unpackBinaryHeader();
        checkLength(u, n, bodyLength);
        return u.readPayload(n);
      }
      case ARRAY -> {
        int n = u.unpackArrayHeader();
        checkLength(u, n, bodyLength);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(unpack(u, depth + 1, bodyLength));
        }
        return list;
      }
      case MAP -> {
        int n = u.unpackMapHeader();
        checkLength(u, n, bodyLength);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          Object key = unpack(u, depth + 1, bodyLength);
          map.put(String.valueOf(key), unpack(u, depth + 1, bodyLength));
        }
        return map;
      }
      default -> {
        u.skipValue();
        return null;
      }
    }
  }

  /** Refuses a length header that claims more elements or bytes than remain. */
  private static void checkLength(MessageUnpacker u, int n, int bodyLength) {
    if (n < 0 || n > bodyLength - u.getTotalReadBytes()) {
      throw new WireFormatException("a MessagePack length exceeds the body");
    }
  }
}
