package io.ably.wire;

import io.ably.api.ErrorInfo;
import io.ably.api.internal.PayloadAccess;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceMessage;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePacker;

/**
 * Writes the protocol's objects with a {@link MessagePacker}, omitting absent fields, zero
 * {@code flags}, empty collections and a zero message timestamp. Binary data is written as
 * {@code bin} (an empty payload as an empty {@code bin}, never nil) and text as {@code str}
 * (RSL4c); {@code extras} text becomes a map. Stateless.
 */
final class MsgpackEncoder {
  private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private MsgpackEncoder() {}

  static void protocolMessage(MessagePacker p, ProtocolMessage m) throws IOException {
    int n = 1 + (m.flags() != 0 ? 1 : 0)
        + present(m.id()) + present(m.channel()) + present(m.channelSerial())
        + present(m.connectionId()) + present(m.connectionKey()) + present(m.msgSerial())
        + present(m.count()) + present(m.timestampMillis()) + present(m.error())
        + present(m.connectionDetails()) + present(m.auth())
        + (m.messages().isEmpty() ? 0 : 1) + (m.presence().isEmpty() ? 0 : 1)
        + (m.params().isEmpty() ? 0 : 1) + (m.res().isEmpty() ? 0 : 1);
    p.packMapHeader(n);
    MsgpackKey.ACTION.pack(p);
    p.packInt(m.action().wireValue());
    if (m.flags() != 0) {
      MsgpackKey.FLAGS.pack(p);
      p.packLong(Integer.toUnsignedLong(m.flags()));
    }
    string(p, MsgpackKey.ID, m.id());
    string(p, MsgpackKey.CHANNEL, m.channel());
    string(p, MsgpackKey.CHANNEL_SERIAL, m.channelSerial());
    string(p, MsgpackKey.CONNECTION_ID, m.connectionId());
    string(p, MsgpackKey.CONNECTION_KEY, m.connectionKey());
    int64(p, MsgpackKey.MSG_SERIAL, m.msgSerial());
    if (m.count() != null) {
      MsgpackKey.COUNT.pack(p);
      p.packInt(m.count());
    }
    int64(p, MsgpackKey.TIMESTAMP, m.timestampMillis());
    if (m.error() != null) {
      MsgpackKey.ERROR.pack(p);
      errorInfo(p, m.error());
    }
    if (m.connectionDetails() != null) {
      MsgpackKey.CONNECTION_DETAILS.pack(p);
      connectionDetails(p, m.connectionDetails());
    }
    if (m.auth() != null) {
      MsgpackKey.AUTH.pack(p);
      p.packMapHeader(1);
      string(p, MsgpackKey.ACCESS_TOKEN, m.auth().accessToken());
    }
    if (!m.messages().isEmpty()) {
      MsgpackKey.MESSAGES.pack(p);
      messages(p, m.messages());
    }
    if (!m.presence().isEmpty()) {
      MsgpackKey.PRESENCE.pack(p);
      presenceMessages(p, m.presence());
    }
    if (!m.params().isEmpty()) {
      MsgpackKey.PARAMS.pack(p);
      stringMap(p, m.params());
    }
    if (!m.res().isEmpty()) {
      MsgpackKey.RES.pack(p);
      publishResults(p, m.res());
    }
  }

  static void messages(MessagePacker p, List<Message> messages) throws IOException {
    p.packArrayHeader(messages.size());
    for (Message m : messages) {
      message(p, m);
    }
  }

  static void presenceMessages(MessagePacker p, List<PresenceMessage> messages)
      throws IOException {
    p.packArrayHeader(messages.size());
    for (PresenceMessage m : messages) {
      presenceMessage(p, m);
    }
  }

  static void message(MessagePacker p, Message m) throws IOException {
    String encoding = wireEncoding(m.data(), m.encoding(), "message.data");
    Object extras = m.extras() == null ? null : JsonValues.parse(m.extras(), true, "message.extras");
    int n = present(m.id()) + present(m.name()) + present(m.data()) + present(encoding)
        + present(m.clientId()) + present(m.connectionId()) + present(m.connectionKey())
        + (m.timestampMillis() != 0 ? 1 : 0) + present(extras) + present(m.serial())
        + present(m.action());
    p.packMapHeader(n);
    string(p, MsgpackKey.ID, m.id());
    string(p, MsgpackKey.NAME, m.name());
    data(p, m.data());
    string(p, MsgpackKey.ENCODING, encoding);
    string(p, MsgpackKey.CLIENT_ID, m.clientId());
    string(p, MsgpackKey.CONNECTION_ID, m.connectionId());
    string(p, MsgpackKey.CONNECTION_KEY, m.connectionKey());
    if (m.timestampMillis() != 0) {
      MsgpackKey.TIMESTAMP.pack(p);
      p.packLong(m.timestampMillis());
    }
    if (extras != null) {
      MsgpackKey.EXTRAS.pack(p);
      value(p, extras);
    }
    string(p, MsgpackKey.SERIAL, m.serial());
    if (m.action() != null) {
      MsgpackKey.ACTION.pack(p);
      p.packInt(m.action().wireValue());
    }
  }

  static void presenceMessage(MessagePacker p, PresenceMessage m) throws IOException {
    String encoding = wireEncoding(m.data(), m.encoding(), "presence.data");
    Object extras =
        m.extras() == null ? null : JsonValues.parse(m.extras(), true, "presence.extras");
    int n = 1 + present(m.id()) + present(m.clientId()) + present(m.connectionId())
        + present(m.data()) + present(encoding) + present(extras)
        + (m.timestampMillis() != 0 ? 1 : 0);
    p.packMapHeader(n);
    string(p, MsgpackKey.ID, m.id());
    MsgpackKey.ACTION.pack(p);
    p.packInt(m.action().wireValue());
    string(p, MsgpackKey.CLIENT_ID, m.clientId());
    string(p, MsgpackKey.CONNECTION_ID, m.connectionId());
    data(p, m.data());
    string(p, MsgpackKey.ENCODING, encoding);
    if (extras != null) {
      MsgpackKey.EXTRAS.pack(p);
      value(p, extras);
    }
    if (m.timestampMillis() != 0) {
      MsgpackKey.TIMESTAMP.pack(p);
      p.packLong(m.timestampMillis());
    }
  }

  /** The encoding sent with the data: JSON data is sent as text with {@code json} appended. */
  private static String wireEncoding(MessageData data, String encoding, String what) {
    if (data instanceof MessageData.Json j) {
      JsonValues.validate(j.json(), false, what);
      return WireData.append(encoding, WireData.JSON);
    }
    return encoding;
  }

  private static void data(MessagePacker p, MessageData data) throws IOException {
    if (data instanceof MessageData.Text t) {
      MsgpackKey.DATA.pack(p);
      p.packString(t.value());
    } else if (data instanceof MessageData.Binary b) {
      MsgpackKey.DATA.pack(p);
      byte[] bytes = PayloadAccess.array(b);
      p.packBinaryHeader(bytes.length);
      p.writePayload(bytes);
    } else if (data instanceof MessageData.Json j) {
      MsgpackKey.DATA.pack(p);
      p.packString(j.json());
    }
  }

  /** Writes a tree from {@link JsonValues#parse}. */
  @SuppressWarnings("unchecked")
  private static void value(MessagePacker p, Object v) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof String s) {
      p.packString(s);
    } else if (v instanceof Long l) {
      p.packLong(l);
    } else if (v instanceof BigInteger b) {
      if (b.signum() >= 0 && b.compareTo(MAX_UINT64) <= 0) {
        p.packBigInteger(b);
      } else {
        // Beyond 64 bits MessagePack has no integer: send the nearest double.
        p.packDouble(b.doubleValue());
      }
    } else if (v instanceof Double d) {
      p.packDouble(d);
    } else if (v instanceof Boolean b) {
      p.packBoolean(b);
    } else if (v instanceof Map<?, ?> map) {
      p.packMapHeader(map.size());
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        p.packString(e.getKey());
        value(p, e.getValue());
      }
    } else {
      List<Object> list = (List<Object>) v;
      p.packArrayHeader(list.size());
      for (Object o : list) {
        value(p, o);
      }
    }
  }

  private static void errorInfo(MessagePacker p, ErrorInfo e) throws IOException {
    int n = (e.code() != 0 ? 1 : 0) + (e.statusCode() != 0 ? 1 : 0) + 1 + present(e.href())
        + present(e.cause()) + (e.detail().isEmpty() ? 0 : 1) + present(e.requestId());
    p.packMapHeader(n);
    if (e.code() != 0) {
      MsgpackKey.CODE.pack(p);
      p.packInt(e.code());
    }
    if (e.statusCode() != 0) {
      MsgpackKey.STATUS_CODE.pack(p);
      p.packInt(e.statusCode());
    }
    string(p, MsgpackKey.MESSAGE, e.message());
    string(p, MsgpackKey.HREF, e.href());
    if (e.cause() != null) {
      MsgpackKey.CAUSE.pack(p);
      errorInfo(p, e.cause());
    }
    if (!e.detail().isEmpty()) {
      MsgpackKey.DETAIL.pack(p);
      stringMap(p, e.detail());
    }
    string(p, MsgpackKey.REQUEST_ID, e.requestId());
  }

  private static void connectionDetails(MessagePacker p, ConnectionDetails d) throws IOException {
    int n = present(d.clientId()) + present(d.connectionKey()) + present(d.maxMessageSize())
        + present(d.maxFrameSize()) + present(d.maxInboundRate()) + present(d.maxOutboundRate())
        + present(d.connectionStateTtlMillis()) + present(d.maxIdleIntervalMillis())
        + present(d.serverId()) + present(d.siteCode()) + present(d.objectsGcGracePeriodMillis());
    p.packMapHeader(n);
    string(p, MsgpackKey.CLIENT_ID, d.clientId());
    string(p, MsgpackKey.CONNECTION_KEY, d.connectionKey());
    int64(p, MsgpackKey.MAX_MESSAGE_SIZE, d.maxMessageSize());
    int64(p, MsgpackKey.MAX_FRAME_SIZE, d.maxFrameSize());
    int64(p, MsgpackKey.MAX_INBOUND_RATE, d.maxInboundRate());
    int64(p, MsgpackKey.MAX_OUTBOUND_RATE, d.maxOutboundRate());
    int64(p, MsgpackKey.CONNECTION_STATE_TTL, d.connectionStateTtlMillis());
    int64(p, MsgpackKey.MAX_IDLE_INTERVAL, d.maxIdleIntervalMillis());
    string(p, MsgpackKey.SERVER_ID, d.serverId());
    string(p, MsgpackKey.SITE_CODE, d.siteCode());
    int64(p, MsgpackKey.OBJECTS_GCGRACE_PERIOD, d.objectsGcGracePeriodMillis());
  }

  private static void publishResults(MessagePacker p, List<PublishResult> results)
      throws IOException {
    p.packArrayHeader(results.size());
    for (PublishResult r : results) {
      List<String> serials = r.serials();
      if (serials.isEmpty()) {
        p.packMapHeader(0);
        continue;
      }
      p.packMapHeader(1);
      MsgpackKey.SERIALS.pack(p);
      p.packArrayHeader(serials.size());
      for (String s : serials) {
        if (s == null) {
          p.packNil();
        } else {
          p.packString(s);
        }
      }
    }
  }

  private static void stringMap(MessagePacker p, Map<String, String> map) throws IOException {
    p.packMapHeader(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      p.packString(e.getKey());
      p.packString(e.getValue());
    }
  }

  private static int present(Object o) {
    return o == null ? 0 : 1;
  }

  private static void string(MessagePacker p, MsgpackKey key, String value) throws IOException {
    if (value != null) {
      key.pack(p);
      p.packString(value);
    }
  }

  private static void int64(MessagePacker p, MsgpackKey key, Long value) throws IOException {
    if (value != null) {
      key.pack(p);
      p.packLong(value);
    }
  }
}
