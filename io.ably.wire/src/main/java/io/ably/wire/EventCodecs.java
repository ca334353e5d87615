package io.ably.wire;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONException;
import io.ably.api.event.EventCodec;
import io.ably.api.event.EventFormat;
import io.ably.api.internal.Checks;
import io.ably.api.message.MessageData;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The engine's codecs of typed events (records): a record maps to a tree of maps, lists and values
 * through its record components ({@link RecordTree}, no reflection by a library), and the tree is
 * written as JSON data (fastjson2) or as MessagePack binary data (msgpack-core). Decimals travel in
 * MessagePack as doubles when the double prints the same text, otherwise as strings, so a {@code
 * BigDecimal} keeps its exact value and scale. Stateless and thread-safe.
 */
public final class EventCodecs {
  private EventCodecs() {}

  /**
   * Returns the codec of a type in a format.
   *
   * @param <T> the event type
   * @param type the class
   * @param format JSON or MessagePack
   * @return the codec
   */
  public static <T> EventCodec<T> of(Class<T> type, EventFormat format) {
    Checks.notNull(type, "type");
    Checks.notNull(format, "format");
    Checks.check(type.isRecord(), "typed events are records; " + type.getName() + " is not one");
    return format == EventFormat.JSON ? new JsonCodec<>(type) : new MsgpackCodec<>(type);
  }

  /** Decodes a JSON object text as a {@code T}; anything else is an error. */
  static <T> T fromJson(String json, Class<T> type) {
    String text = json.strip();
    if (!text.startsWith("{")) {
      throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
    }
    Object tree;
    try {
      tree = JSON.parse(text);
    } catch (JSONException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    return fromTree(tree, type);
  }

  static <T> T fromTree(Object tree, Class<T> type) {
    if (!(tree instanceof Map)) {
      throw new IllegalArgumentException("not an object: " + abbreviate(String.valueOf(tree)));
    }
    return type.cast(RecordTree.fromTree(tree, type, type.getSimpleName()));
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private record JsonCodec<T>(Class<T> type) implements EventCodec<T> {
    @Override
    public MessageData encode(T event) {
      return MessageData.json(JSON.toJSONString(RecordTree.toTree(event)));
    }

    @Override
    public T decode(MessageData data) {
      if (data instanceof MessageData.Json json) {
        return fromJson(json.json(), type);
      }
      if (data instanceof MessageData.Text text) {
        return fromJson(text.value(), type);
      }
      throw new IllegalArgumentException(
          "expected JSON data for " + type.getSimpleName() + ", got "
              + (data == null ? "no data" : "binary data"));
    }
  }

  private record MsgpackCodec<T>(Class<T> type) implements EventCodec<T> {
    @Override
    public MessageData encode(T event) {
      Object tree = RecordTree.toTree(event);
      try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
        pack(tree, packer);
        packer.flush();
        return MessageData.binary(packer.toByteArray());
      } catch (IOException e) {
        throw new IllegalStateException("MessagePack encoding failed", e);
      }
    }

    @Override
    public T decode(MessageData data) {
      if (!(data instanceof MessageData.Binary binary)) {
        throw new IllegalArgumentException(
            "expected MessagePack binary data for " + type.getSimpleName() + ", got "
                + (data == null ? "no data" : "text or JSON data"));
      }
      Object tree;
      try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(binary.toByteArray())) {
        tree = unpack(unpacker);
        if (unpacker.hasNext()) {
          throw new IllegalArgumentException("trailing bytes after the MessagePack value");
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("not MessagePack: " + e.getMessage(), e);
      }
      return fromTree(tree, type);
    }
  }

  private static void pack(Object v, MessagePacker p) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof Map<?, ?> map) {
      p.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        p.packString(String.valueOf(e.getKey()));
        pack(e.getValue(), p);
      }
    } else if (v instanceof List<?> list) {
      p.packArrayHeader(list.size());
      for (Object o : list) {
        pack(o, p);
      }
    } else if (v instanceof String s) {
      p.packString(s);
    } else if (v instanceof Boolean b) {
      p.packBoolean(b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      p.packLong(((Number) v).longValue());
    } else if (v instanceof BigInteger i) {
      p.packBigInteger(i);
    } else if (v instanceof BigDecimal d) {
      double dv = d.doubleValue();
      if (Double.isFinite(dv) && Double.toString(dv).equals(d.toString())) {
        p.packDouble(dv);
      } else {
        p.packString(d.toString()); // exact: fastjson2 reads a numeric string into a number field
      }
    } else if (v instanceof Number n) {
      p.packDouble(n.doubleValue());
    } else {
      p.packString(v.toString());
    }
  }

  private static Object unpack(MessageUnpacker u) throws IOException {
    ValueType type = u.getNextFormat().getValueType();
    return switch (type) {
      case NIL -> {
        u.unpackNil();
        yield null;
      }
      case BOOLEAN -> u.unpackBoolean();
      case INTEGER -> u.unpackBigInteger();
      case FLOAT -> u.unpackDouble();
      case STRING -> u.unpackString();
      case ARRAY -> {
        int n = u.unpackArrayHeader();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(unpack(u));
        }
        yield list;
      }
      case MAP -> {
        int n = u.unpackMapHeader();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          map.put(String.valueOf(unpack(u)), unpack(u));
        }
        yield map;
      }
      default -> throw new IllegalArgumentException("unsupported MessagePack value " + type);
    };
  }
}
