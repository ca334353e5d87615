package io.ably.wire;

import com.alibaba.fastjson2.JSONWriter;
import io.ably.api.ErrorInfo;
import io.ably.api.internal.PayloadAccess;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceMessage;
import java.util.List;
import java.util.Map;

/**
 * Writes the protocol's objects to a fastjson2 {@link JSONWriter}, omitting absent fields, zero
 * {@code flags}, empty collections and a zero message timestamp. Stateless.
 */
final class JsonEncoder {
  private JsonEncoder() {}

  static void protocolMessage(JSONWriter w, ProtocolMessage m) {
    w.startObject();
    name(w, "action");
    w.writeInt32(m.action().wireValue());
    if (m.flags() != 0) {
      name(w, "flags");
      w.writeInt64(Integer.toUnsignedLong(m.flags()));
    }
    string(w, "id", m.id());
    string(w, "channel", m.channel());
    string(w, "channelSerial", m.channelSerial());
    string(w, "connectionId", m.connectionId());
    string(w, "connectionKey", m.connectionKey());
    int64(w, "msgSerial", m.msgSerial());
    if (m.count() != null) {
      name(w, "count");
      w.writeInt32(m.count());
    }
    int64(w, "timestamp", m.timestampMillis());
    if (m.error() != null) {
      name(w, "error");
      errorInfo(w, m.error());
    }
    if (m.connectionDetails() != null) {
      name(w, "connectionDetails");
      connectionDetails(w, m.connectionDetails());
    }
    if (m.auth() != null) {
      name(w, "auth");
      w.startObject();
      string(w, "accessToken", m.auth().accessToken());
      w.endObject();
    }
    if (!m.messages().isEmpty()) {
      name(w, "messages");
      messages(w, m.messages());
    }
    if (!m.presence().isEmpty()) {
      name(w, "presence");
      presenceMessages(w, m.presence());
    }
    if (!m.params().isEmpty()) {
      name(w, "params");
      stringMap(w, m.params());
    }
    if (!m.res().isEmpty()) {
      name(w, "res");
      publishResults(w, m.res());
    }
    w.endObject();
  }

  static void messages(JSONWriter w, List<Message> messages) {
    w.startArray();
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) {
        w.writeComma();
      }
      message(w, messages.get(i));
    }
    w.endArray();
  }

  static void presenceMessages(JSONWriter w, List<PresenceMessage> messages) {
    w.startArray();
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) {
        w.writeComma();
      }
      presenceMessage(w, messages.get(i));
    }
    w.endArray();
  }

  static void message(JSONWriter w, Message m) {
    w.startObject();
    string(w, "id", m.id());
    string(w, "name", m.name());
    data(w, m.data(), m.encoding(), "message");
    string(w, "clientId", m.clientId());
    string(w, "connectionId", m.connectionId());
    string(w, "connectionKey", m.connectionKey());
    if (m.timestampMillis() != 0) {
      name(w, "timestamp");
      w.writeInt64(m.timestampMillis());
    }
    extras(w, m.extras(), "message.extras");
    string(w, "serial", m.serial());
    if (m.action() != null) {
      name(w, "action");
      w.writeInt32(m.action().wireValue());
    }
    w.endObject();
  }

  static void presenceMessage(JSONWriter w, PresenceMessage m) {
    w.startObject();
    string(w, "id", m.id());
    name(w, "action");
    w.writeInt32(m.action().wireValue());
    string(w, "clientId", m.clientId());
    string(w, "connectionId", m.connectionId());
    data(w, m.data(), m.encoding(), "presence");
    extras(w, m.extras(), "presence.extras");
    if (m.timestampMillis() != 0) {
      name(w, "timestamp");
      w.writeInt64(m.timestampMillis());
    }
    w.endObject();
  }

  /**
   * Writes {@code data} and {@code encoding}: binary as base64 with {@code base64} appended
   * (RSL4d1), JSON data as its text with {@code json} appended.
   */
  private static void data(JSONWriter w, MessageData data, String encoding, String what) {
    String wireEncoding = encoding;
    if (data instanceof MessageData.Text t) {
      name(w, "data");
      w.writeString(t.value());
    } else if (data instanceof MessageData.Binary b) {
      name(w, "data");
      w.writeBase64(PayloadAccess.array(b));
      wireEncoding = WireData.append(encoding, WireData.BASE64);
    } else if (data instanceof MessageData.Json j) {
      JsonValues.validate(j.json(), false, what + ".data");
      name(w, "data");
      w.writeString(j.json());
      wireEncoding = WireData.append(encoding, WireData.JSON);
    }
    string(w, "encoding", wireEncoding);
  }

  private static void extras(JSONWriter w, String extras, String what) {
    if (extras != null) {
      JsonValues.validate(extras, true, what);
      name(w, "extras");
      w.writeRaw(extras);
    }
  }

  private static void errorInfo(JSONWriter w, ErrorInfo e) {
    w.startObject();
    if (e.code() != 0) {
      name(w, "code");
      w.writeInt32(e.code());
    }
    if (e.statusCode() != 0) {
      name(w, "statusCode");
      w.writeInt32(e.statusCode());
    }
    string(w, "message", e.message());
    string(w, "href", e.href());
    if (e.cause() != null) {
      name(w, "cause");
      errorInfo(w, e.cause());
    }
    if (!e.detail().isEmpty()) {
      name(w, "detail");
      stringMap(w, e.detail());
    }
    string(w, "requestId", e.requestId());
    w.endObject();
  }

  private static void connectionDetails(JSONWriter w, ConnectionDetails d) {
    w.startObject();
    string(w, "clientId", d.clientId());
    string(w, "connectionKey", d.connectionKey());
    int64(w, "maxMessageSize", d.maxMessageSize());
    int64(w, "maxFrameSize", d.maxFrameSize());
    int64(w, "maxInboundRate", d.maxInboundRate());
    int64(w, "maxOutboundRate", d.maxOutboundRate());
    int64(w, "connectionStateTtl", d.connectionStateTtlMillis());
    int64(w, "maxIdleInterval", d.maxIdleIntervalMillis());
    string(w, "serverId", d.serverId());
    string(w, "siteCode", d.siteCode());
    int64(w, "objectsGCGracePeriod", d.objectsGcGracePeriodMillis());
    w.endObject();
  }

  private static void publishResults(JSONWriter w, List<PublishResult> results) {
    w.startArray();
    for (int i = 0; i < results.size(); i++) {
      if (i > 0) {
        w.writeComma();
      }
      w.startObject();
      List<String> serials = results.get(i).serials();
      if (!serials.isEmpty()) {
        name(w, "serials");
        w.startArray();
        for (int j = 0; j < serials.size(); j++) {
          if (j > 0) {
            w.writeComma();
          }
          String s = serials.get(j);
          if (s == null) {
            w.writeNull();
          } else {
            w.writeString(s);
          }
        }
        w.endArray();
      }
      w.endObject();
    }
    w.endArray();
  }

  private static void stringMap(JSONWriter w, Map<String, String> map) {
    w.startObject();
    for (Map.Entry<String, String> e : map.entrySet()) {
      string(w, e.getKey(), e.getValue());
    }
    w.endObject();
  }

  private static void name(JSONWriter w, String name) {
    w.writeName(name);
    w.writeColon();
  }

  private static void string(JSONWriter w, String name, String value) {
    if (value != null) {
      name(w, name);
      w.writeString(value);
    }
  }

  private static void int64(JSONWriter w, String name, Long value) {
    if (value != null) {
      name(w, name);
      w.writeInt64(value.longValue());
    }
  }
}
