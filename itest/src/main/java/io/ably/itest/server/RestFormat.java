package io.ably.itest.server;

import com.alibaba.fastjson2.JSON;
import io.ably.api.ErrorCode;
import io.ably.itest.server.ServerConductor.RefusedException;
import io.ably.wire.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Content negotiation for REST (RSC8) and the plain-value bodies that are not messages: a tree of
 * {@link Map}, {@link List}, {@link String}, {@link Number}, {@link Boolean} and {@code null},
 * written or read as JSON or MessagePack. Stateless.
 */
final class RestFormat {
  /** Deepest nesting accepted when reading a MessagePack body. */
  private static final int MAX_DEPTH = 64;

  private RestFormat() {}

  /**
   * The format of a response: MessagePack when the first type the client accepts is MessagePack,
   * else JSON.
   */
  static WireFormat responseFormat(String accept) {
    if (accept == null) {
      return WireFormat.JSON;
    }
    String first = mediaType(accept.split(",", -1)[0]);
    return first.equals(WireFormat.MSGPACK.mimeType()) ? WireFormat.MSGPACK : WireFormat.JSON;
  }

  /** The format of a request body, from its {@code Content-Type}; none means JSON. */
  static WireFormat requestFormat(String contentType) throws RefusedException {
    if (contentType == null || contentType.isBlank()) {
      return WireFormat.JSON;
    }
    String type = mediaType(contentType);
    for (WireFormat f : WireFormat.values()) {
      if (f.mimeType().equals(type)) {
        return f;
      }
    }
    throw Credentials.refused(
        ErrorCode.INVALID_REQUEST_BODY, "unsupported Content-Type " + contentType);
  }

  private static String mediaType(String headerPart) {
    int semicolon = headerPart.indexOf(';');
    String t = semicolon < 0 ? headerPart : headerPart.substring(0, semicolon);
    return t.strip().toLowerCase(Locale.ROOT);
  }

  /** Writes a value tree. */
  static byte[] write(WireFormat format, Object value) {
    if (format == WireFormat.JSON) {
      return JSON.toJSONBytes(value);
    }
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      pack(packer, value);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a buffer packer does no I/O
    }
  }

  private static void pack(MessageBufferPacker p, Object value) throws IOException {
    if (value == null) {
      p.packNil();
    } else if (value instanceof String s) {
      p.packString(s);
    } else if (value instanceof Boolean b) {
      p.packBoolean(b);
    } else if (value instanceof Integer || value instanceof Long) {
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

  /**
   * Reads a body as a JSON object (MessagePack maps become the same tree).
   *
   * @throws RefusedException 40001 if the body is not one object
   */
  static Map<String, Object> readObject(WireFormat format, byte[] body) throws RefusedException {
    Object value = read(format, body);
    if (!(value instanceof Map<?, ?> map)) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "the body must be an object");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /**
   * Reads a body as a value tree.
   *
   * @throws RefusedException 40001 if the body is empty or malformed
   */
  static Object read(WireFormat format, byte[] body) throws RefusedException {
    if (body.length == 0) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "the request has no body");
    }
    if (format == WireFormat.JSON) {
      try {
        return JSON.parse(new String(body, StandardCharsets.UTF_8));
      } catch (RuntimeException | StackOverflowError e) {
        throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "malformed JSON body");
      }
    }
    try {
      try (MessageUnpacker u = MessagePack.newDefaultUnpacker(body)) {
        Object value = unpack(u, 0, body.length);
        if (u.hasNext()) {
          throw Credentials.refused(
              ErrorCode.INVALID_REQUEST_BODY, "unexpected data after the MessagePack body");
        }
        return value;
      }
    } catch (MessagePackException | IOException e) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "malformed MessagePack body");
    }
  }

  private static Object unpack(MessageUnpacker u, int depth, int bodyLength) throws IOException, RefusedException {
    if (depth > MAX_DEPTH) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "the body is nested too deeply");
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
        return u.unpackLong();
      }
      case FLOAT -> {
        return u.unpackDouble();
      }
      case STRING -> {
        return u.unpackString();
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

  /**
   * Refuses a length header that claims more elements than bytes remain (each element takes at
   * least one byte), before anything is allocated for it.
   */
  private static void checkLength(MessageUnpacker u, int n, int bodyLength) throws RefusedException {
    if (n < 0 || n > bodyLength - u.getTotalReadBytes()) {
      throw Credentials.refused(
          ErrorCode.INVALID_REQUEST_BODY, "a MessagePack length exceeds the body");
    }
  }
}
