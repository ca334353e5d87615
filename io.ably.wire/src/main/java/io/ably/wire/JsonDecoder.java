package io.ably.wire;

import com.alibaba.fastjson2.JSONReader;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.MessageAction;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the protocol's objects from a fastjson2 {@link JSONReader}, field by field, without an
 * intermediate tree (only {@code extras} and structured {@code data} are copied through a
 * writer). Stateless; every failure is a {@link WireFormatException} naming the field.
 */
final class JsonDecoder {
  private JsonDecoder() {}

  static ProtocolMessage protocolMessage(JSONReader r) {
    return protocolMessage(r, false);
  }

  /**
   * A ProtocolMessage; with {@code receive}, the messages of a MESSAGE take its id, connection id
   * and timestamp ({@link MessageDefaults}), each built once when those come first.
   */
  static ProtocolMessage protocolMessage(JSONReader r, boolean receive) {
    objectStart(r, "ProtocolMessage");
    ProtocolMessage.Builder b = ProtocolMessage.builder(Action.HEARTBEAT);
    Action action = Action.HEARTBEAT;
    String id = null;
    String connectionId = null;
    Long timestamp = null;
    List<Message> messages = null;
    while (!r.nextIfObjectEnd()) {
      switch (JsonValues.name(r, "ProtocolMessage")) {
        case "action" -> {
          Long v = int64(r, "action");
          action = v == null ? Action.HEARTBEAT : WireData.action(v);
          b.action(action);
        }
        case "flags" -> {
          Long v = int64(r, "flags");
          b.flags(v == null ? 0 : WireData.flags(v));
        }
        case "id" -> {
          id = string(r, "id");
          b.id(id);
        }
        case "channel" -> b.channel(string(r, "channel"));
        case "channelSerial" -> b.channelSerial(string(r, "channelSerial"));
        case "connectionId" -> {
          connectionId = string(r, "connectionId");
          b.connectionId(connectionId);
        }
        case "connectionKey" -> b.connectionKey(string(r, "connectionKey"));
        case "msgSerial" -> b.msgSerial(int64(r, "msgSerial"));
        case "count" -> {
          Long v = int64(r, "count");
          b.count(v == null ? null : WireData.toInt(v, "count"));
        }
        case "timestamp" -> {
          timestamp = int64(r, "timestamp");
          b.timestampMillis(timestamp);
        }
        case "error" -> b.error(errorInfo(r, "error", 0));
        case "connectionDetails" -> b.connectionDetails(connectionDetails(r));
        case "auth" -> b.auth(authDetails(r));
        case "messages" -> {
          boolean fill = receive && action == Action.MESSAGE;
          messages = messages(r, fill ? id : null, fill ? connectionId : null, fill ? timestamp : null);
        }
        case "presence" -> b.presence(presenceMessages(r));
        case "params" -> b.params(stringMap(r, "params"));
        case "res" -> b.res(publishResults(r));
        default -> r.skipValue();
      }
    }
    if (messages != null) {
      if (receive && action == Action.MESSAGE) {
        // fields that came after the messages (this library and Ably write them before)
        MessageDefaults.fill(messages, id, connectionId, timestamp);
      }
      b.messages(messages);
    }
    return b.build();
  }

  /** Reads an array of messages; {@code null} reads as empty. */
  static List<Message> messages(JSONReader r) {
    return messages(r, null, null, null);
  }

  /** Messages, each given the ProtocolMessage's fields it lacks ({@link MessageDefaults}; null: none). */
  private static List<Message> messages(JSONReader r, String pmId, String pmConnectionId, Long pmTimestamp) {
    if (r.nextIfNull()) {
      return new ArrayList<>(0);
    }
    arrayStart(r, "messages");
    List<Message> list = new ArrayList<>();
    while (!r.nextIfArrayEnd()) {
      JsonValues.notAtEnd(r, "messages");
      WireData.checkItems(list.size() + 1, "messages");
      list.add(message(r, pmId, pmConnectionId, pmTimestamp, list.size()));
    }
    return list;
  }

  /** Reads an array of presence messages; {@code null} reads as empty. */
  static List<PresenceMessage> presenceMessages(JSONReader r) {
    if (r.nextIfNull()) {
      return List.of();
    }
    arrayStart(r, "presence");
    List<PresenceMessage> list = new ArrayList<>();
    while (!r.nextIfArrayEnd()) {
      JsonValues.notAtEnd(r, "presence");
      WireData.checkItems(list.size() + 1, "presence");
      PresenceMessage m = presenceMessage(r);
      if (m != null) {
        list.add(m); // null: an action this client does not know, skipped (RSF1)
      }
    }
    return list;
  }

  static Message message(JSONReader r) {
    return message(r, null, null, null, 0);
  }

  /** A message, built once, with the ProtocolMessage's fields it lacks ({@link MessageDefaults}). */
  private static Message message(JSONReader r, String pmId, String pmConnectionId, Long pmTimestamp, int index) {
    objectStart(r, "message");
    String id = null;
    String name = null;
    String clientId = null;
    String connectionId = null;
    String connectionKey = null;
    long timestamp = 0;
    String extras = null;
    String serial = null;
    MessageAction action = null;
    String text = null;
    String json = null;
    String encoding = null;
    while (!r.nextIfObjectEnd()) {
      switch (JsonValues.name(r, "message")) {
        case "id" -> id = string(r, "message.id");
        case "name" -> name = string(r, "message.name");
        case "data" -> {
          text = null;
          json = null;
          if (r.isString()) {
            text = r.readString();
          } else if (!r.nextIfNull()) {
            json = JsonValues.canonical(r, "message.data");
          }
        }
        case "encoding" -> encoding = string(r, "message.encoding");
        case "clientId" -> clientId = string(r, "message.clientId");
        case "connectionId" -> connectionId = string(r, "message.connectionId");
        case "connectionKey" -> connectionKey = string(r, "message.connectionKey");
        case "timestamp" -> {
          Long v = int64(r, "message.timestamp");
          timestamp = v == null ? 0 : WireData.timestamp(v, "message");
        }
        case "extras" -> extras = extras(r, "message.extras");
        case "serial" -> serial = string(r, "message.serial");
        case "action" -> {
          Long v = int64(r, "message.action");
          action = v == null ? null : WireData.messageAction(v);
        }
        default -> r.skipValue();
      }
    }
    WireData.Payload p = WireData.payload(text, null, json, WireData.encoding(encoding));
    return new Message(
        MessageDefaults.id(id, pmId, index), name, p.data(), p.encoding(), clientId,
        MessageDefaults.connectionId(connectionId, pmConnectionId), connectionKey,
        MessageDefaults.timestamp(timestamp, pmTimestamp), extras, serial, action);
  }

  /** One presence message, or {@code null} if its action is one this client does not know (RSF1). */
  static PresenceMessage presenceMessage(JSONReader r) {
    objectStart(r, "presence");
    String id = null;
    PresenceAction action = PresenceAction.ABSENT;
    String clientId = null;
    String connectionId = null;
    String text = null;
    String json = null;
    String encoding = null;
    String extras = null;
    long timestamp = 0;
    while (!r.nextIfObjectEnd()) {
      switch (JsonValues.name(r, "presence")) {
        case "id" -> id = string(r, "presence.id");
        case "action" -> {
          Long v = int64(r, "presence.action");
          action = v == null ? PresenceAction.ABSENT : WireData.presenceAction(v);
        }
        case "clientId" -> clientId = string(r, "presence.clientId");
        case "connectionId" -> connectionId = string(r, "presence.connectionId");
        case "data" -> {
          text = null;
          json = null;
          if (r.isString()) {
            text = r.readString();
          } else if (!r.nextIfNull()) {
            json = JsonValues.canonical(r, "presence.data");
          }
        }
        case "encoding" -> encoding = string(r, "presence.encoding");
        case "extras" -> extras = extras(r, "presence.extras");
        case "timestamp" -> {
          Long v = int64(r, "presence.timestamp");
          timestamp = v == null ? 0 : WireData.timestamp(v, "presence");
        }
        default -> r.skipValue();
      }
    }
    if (action == null) {
      return null;
    }
    WireData.Payload p = WireData.payload(text, null, json, WireData.encoding(encoding));
    return new PresenceMessage(
        id, action, clientId, connectionId, p.data(), p.encoding(), extras, timestamp);
  }

  private static ErrorInfo errorInfo(JSONReader r, String field, int depth) {
    if (r.nextIfNull()) {
      return null;
    }
    if (depth > WireData.MAX_ERROR_DEPTH) {
      throw new WireFormatException(
          field + ": causes nested deeper than " + WireData.MAX_ERROR_DEPTH);
    }
    objectStart(r, field);
    long code = 0;
    long statusCode = 0;
    String message = null;
    String href = null;
    ErrorInfo cause = null;
    Map<String, String> detail = null;
    String requestId = null;
    while (!r.nextIfObjectEnd()) {
      switch (JsonValues.name(r, field)) {
        case "code" -> code = orZero(int64(r, "error.code"));
        case "statusCode" -> statusCode = orZero(int64(r, "error.statusCode"));
        case "message" -> message = string(r, "error.message");
        case "href" -> href = string(r, "error.href");
        case "cause" -> cause = errorInfo(r, "error.cause", depth + 1);
        case "detail" -> detail = stringMap(r, "error.detail");
        case "requestId" -> requestId = string(r, "error.requestId");
        default -> r.skipValue();
      }
    }
    return WireData.errorInfo(field, code, statusCode, message, href, cause, detail, requestId);
  }

  private static ConnectionDetails connectionDetails(JSONReader r) {
    if (r.nextIfNull()) {
      return null;
    }
    String f = "connectionDetails";
    objectStart(r, f);
    String clientId = null;
    String connectionKey = null;
    Long maxMessageSize = null;
    Long maxFrameSize = null;
    Long maxInboundRate = null;
    Long maxOutboundRate = null;
    Long connectionStateTtl = null;
    Long maxIdleInterval = null;
    String serverId = null;
    String siteCode = null;
    Long objectsGcGracePeriod = null;
    while (!r.nextIfObjectEnd()) {
      switch (JsonValues.name(r, f)) {
        case "clientId" -> clientId = string(r, "connectionDetails.clientId");
        case "connectionKey" -> connectionKey = string(r, "connectionDetails.connectionKey");
        case "maxMessageSize" -> maxMessageSize = int64(r, "connectionDetails.maxMessageSize");
        case "maxFrameSize" -> maxFrameSize = int64(r, "connectionDetails.maxFrameSize");
        case "maxInboundRate" -> maxInboundRate = int64(r, "connectionDetails.maxInboundRate");
        case "maxOutboundRate" -> maxOutboundRate = int64(r, "connectionDetails.maxOutboundRate");
        case "connectionStateTtl" ->
            connectionStateTtl = int64(r, "connectionDetails.connectionStateTtl");
        case "maxIdleInterval" -> maxIdleInterval = int64(r, "connectionDetails.maxIdleInterval");
        case "serverId" -> serverId = string(r, "connectionDetails.serverId");
        case "siteCode" -> siteCode = string(r, "connectionDetails.siteCode");
        case "objectsGCGracePeriod" ->
            objectsGcGracePeriod = int64(r, "connectionDetails.objectsGCGracePeriod");
        default -> r.skipValue();
      }
    }
    return new ConnectionDetails(
        clientId, connectionKey, maxMessageSize, maxFrameSize, maxInboundRate, maxOutboundRate,
        connectionStateTtl, maxIdleInterval, serverId, siteCode, objectsGcGracePeriod);
  }

  private static AuthDetails authDetails(JSONReader r) {
    if (r.nextIfNull()) {
      return null;
    }
    objectStart(r, "auth");
    String accessToken = null;
    while (!r.nextIfObjectEnd()) {
      if ("accessToken".equals(JsonValues.name(r, "auth"))) {
        accessToken = string(r, "auth.accessToken");
      } else {
        r.skipValue();
      }
    }
    if (accessToken == null) {
      throw new WireFormatException("auth: accessToken is missing");
    }
    return new AuthDetails(accessToken);
  }

  private static List<PublishResult> publishResults(JSONReader r) {
    if (r.nextIfNull()) {
      return List.of();
    }
    arrayStart(r, "res");
    List<PublishResult> list = new ArrayList<>();
    while (!r.nextIfArrayEnd()) {
      JsonValues.notAtEnd(r, "res");
      objectStart(r, "res[]");
      List<String> serials = null;
      while (!r.nextIfObjectEnd()) {
        if (!"serials".equals(JsonValues.name(r, "res[]"))) {
          r.skipValue();
        } else if (r.nextIfNull()) {
          serials = null;
        } else {
          arrayStart(r, "res[].serials");
          serials = new ArrayList<>();
          while (!r.nextIfArrayEnd()) {
            JsonValues.notAtEnd(r, "res[].serials");
            serials.add(string(r, "res[].serials[]"));
          }
        }
      }
      list.add(new PublishResult(serials));
    }
    return list;
  }

  /** Reads an object of strings; members whose value is {@code null} are dropped. */
  private static Map<String, String> stringMap(JSONReader r, String field) {
    if (r.nextIfNull()) {
      return null;
    }
    objectStart(r, field);
    Map<String, String> map = new HashMap<>();
    while (!r.nextIfObjectEnd()) {
      String key = JsonValues.name(r, field);
      String value = string(r, field);
      if (value != null) {
        map.put(key, value);
      }
    }
    return map;
  }

  private static String extras(JSONReader r, String field) {
    if (r.nextIfNull()) {
      return null;
    }
    if (!r.isObject()) {
      throw expected(r, field, "an object");
    }
    return JsonValues.canonical(r, field);
  }

  static String string(JSONReader r, String field) {
    if (r.nextIfNull()) {
      return null;
    }
    if (!r.isString()) {
      throw expected(r, field, "a string");
    }
    return r.readString();
  }

  /** Reads an integer, accepting an integral float; {@code null} when absent. */
  static Long int64(JSONReader r, String field) {
    if (r.nextIfNull()) {
      return null;
    }
    if (!r.isNumber()) {
      throw expected(r, field, "a number");
    }
    Number n = r.readNumber();
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    if (n instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (n instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        throw new WireFormatException(field + ": expected a 64-bit integer", e);
      }
    }
    if (n instanceof Double || n instanceof Float) {
      return WireData.integral(n.doubleValue(), field);
    }
    throw new WireFormatException(field + ": expected a 64-bit integer");
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  static void objectStart(JSONReader r, String field) {
    if (!r.nextIfObjectStart()) {
      throw expected(r, field, "an object");
    }
  }

  static void arrayStart(JSONReader r, String field) {
    if (!r.nextIfArrayStart()) {
      throw expected(r, field, "an array");
    }
  }

  private static WireFormatException expected(JSONReader r, String field, String what) {
    String found = r.isEnd() ? "end of input" : "'" + r.current() + "'";
    return new WireFormatException(
        field + ": expected " + what + ", found " + found + " at offset " + r.getOffset());
  }
}
