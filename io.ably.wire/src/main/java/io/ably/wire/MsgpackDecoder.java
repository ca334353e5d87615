package io.ably.wire;

import com.alibaba.fastjson2.JSONWriter;
import io.ably.api.AblyException;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.MessageAction;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.value.ValueType;

/**
 * Reads the protocol's objects from one MessagePack input with a {@link MessageUnpacker}, field by
 * field. One instance per decode call (it knows how many input bytes remain, to reject a length
 * header larger than that before allocating); every failure is a {@link WireFormatException}.
 */
final class MsgpackDecoder {
  private final MessageUnpacker u;
  private final long length;

  MsgpackDecoder(MessageUnpacker u, long length) {
    this.u = u;
    this.length = length;
  }

  ProtocolMessage protocolMessage() throws IOException {
    int n = mapHeader("ProtocolMessage");
    ProtocolMessage.Builder b = ProtocolMessage.builder(Action.HEARTBEAT);
    for (int i = 0; i < n; i++) {
      switch (key("ProtocolMessage")) {
        case "action" -> {
          Long v = int64("action");
          b.action(v == null ? Action.HEARTBEAT : WireData.action(v));
        }
        case "flags" -> {
          Long v = int64("flags");
          b.flags(v == null ? 0 : WireData.flags(v));
        }
        case "id" -> b.id(string("id"));
        case "channel" -> b.channel(string("channel"));
        case "channelSerial" -> b.channelSerial(string("channelSerial"));
        case "connectionId" -> b.connectionId(string("connectionId"));
        case "connectionKey" -> b.connectionKey(string("connectionKey"));
        case "msgSerial" -> b.msgSerial(int64("msgSerial"));
        case "count" -> {
          Long v = int64("count");
          b.count(v == null ? null : WireData.toInt(v, "count"));
        }
        case "timestamp" -> b.timestampMillis(int64("timestamp"));
        case "error" -> b.error(errorInfo("error", 0));
        case "connectionDetails" -> b.connectionDetails(connectionDetails());
        case "auth" -> b.auth(authDetails());
        case "messages" -> b.messages(messages());
        case "presence" -> b.presence(presenceMessages());
        case "params" -> b.params(stringMap("params"));
        case "res" -> b.res(publishResults());
        default -> skip();
      }
    }
    return b.build();
  }

  List<Message> messages() throws IOException {
    if (u.tryUnpackNil()) {
      return List.of();
    }
    int n = arrayHeader("messages");
    List<Message> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(message());
    }
    return list;
  }

  List<PresenceMessage> presenceMessages() throws IOException {
    if (u.tryUnpackNil()) {
      return List.of();
    }
    int n = arrayHeader("presence");
    List<PresenceMessage> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(presenceMessage());
    }
    return list;
  }

  Message message() throws IOException {
    int n = mapHeader("message");
    Message.Builder b = Message.builder();
    Data data = new Data();
    String encoding = null;
    for (int i = 0; i < n; i++) {
      switch (key("message")) {
        case "id" -> b.id(string("message.id"));
        case "name" -> b.name(string("message.name"));
        case "data" -> data.read(this, "message.data");
        case "encoding" -> encoding = string("message.encoding");
        case "clientId" -> b.clientId(string("message.clientId"));
        case "connectionId" -> b.connectionId(string("message.connectionId"));
        case "connectionKey" -> b.connectionKey(string("message.connectionKey"));
        case "timestamp" -> {
          Long v = int64("message.timestamp");
          b.timestampMillis(v == null ? 0 : WireData.timestamp(v, "message"));
        }
        case "extras" -> b.extras(extras("message.extras"));
        case "serial" -> b.serial(string("message.serial"));
        case "action" -> {
          Long v = int64("message.action");
          b.action(v == null ? null : messageAction(v));
        }
        default -> skip();
      }
    }
    WireData.Payload p = data.payload(encoding);
    return b.data(p.data()).encoding(p.encoding()).build();
  }

  PresenceMessage presenceMessage() throws IOException {
    int n = mapHeader("presence");
    String id = null;
    PresenceAction action = PresenceAction.ABSENT;
    String clientId = null;
    String connectionId = null;
    Data data = new Data();
    String encoding = null;
    String extras = null;
    long timestamp = 0;
    for (int i = 0; i < n; i++) {
      switch (key("presence")) {
        case "id" -> id = string("presence.id");
        case "action" -> {
          Long v = int64("presence.action");
          action = v == null ? PresenceAction.ABSENT : presenceAction(v);
        }
        case "clientId" -> clientId = string("presence.clientId");
        case "connectionId" -> connectionId = string("presence.connectionId");
        case "data" -> data.read(this, "presence.data");
        case "encoding" -> encoding = string("presence.encoding");
        case "extras" -> extras = extras("presence.extras");
        case "timestamp" -> {
          Long v = int64("presence.timestamp");
          timestamp = v == null ? 0 : WireData.timestamp(v, "presence");
        }
        default -> skip();
      }
    }
    WireData.Payload p = data.payload(encoding);
    return new PresenceMessage(
        id, action, clientId, connectionId, p.data(), p.encoding(), extras, timestamp);
  }

  /** The {@code data} of a message as received: at most one of the three is set. */
  private static final class Data {
    private String text;
    private byte[] bytes;
    private String json;

    void read(MsgpackDecoder d, String field) throws IOException {
      text = null;
      bytes = null;
      json = null;
      MessageFormat f = d.u.getNextFormat();
      switch (f.getValueType()) {
        case NIL -> d.u.unpackNil();
        case STRING -> text = d.str(field);
        case BINARY -> {
          int n = d.u.unpackBinaryHeader();
          d.checkBytes(n, field);
          bytes = d.u.readPayload(n);
        }
        case MAP, ARRAY, BOOLEAN, INTEGER, FLOAT -> json = d.canonicalJson(field);
        default -> throw new WireFormatException(field + ": unsupported type " + f);
      }
    }

    WireData.Payload payload(String encoding) {
      return WireData.payload(text, bytes, json, WireData.encoding(encoding));
    }
  }

  private ErrorInfo errorInfo(String field, int depth) throws IOException {
    if (u.tryUnpackNil()) {
      return null;
    }
    if (depth > WireData.MAX_ERROR_DEPTH) {
      throw new WireFormatException(
          field + ": causes nested deeper than " + WireData.MAX_ERROR_DEPTH);
    }
    int n = mapHeader(field);
    long code = 0;
    long statusCode = 0;
    String message = null;
    String href = null;
    ErrorInfo cause = null;
    Map<String, String> detail = null;
    String requestId = null;
    for (int i = 0; i < n; i++) {
      switch (key(field)) {
        case "code" -> code = orZero(int64("error.code"));
        case "statusCode" -> statusCode = orZero(int64("error.statusCode"));
        case "message" -> message = string("error.message");
        case "href" -> href = string("error.href");
        case "cause" -> cause = errorInfo("error.cause", depth + 1);
        case "detail" -> detail = stringMap("error.detail");
        case "requestId" -> requestId = string("error.requestId");
        default -> skip();
      }
    }
    try {
      return new ErrorInfo(
          WireData.toInt(code, field + ".code"),
          WireData.toInt(statusCode, field + ".statusCode"),
          message,
          href,
          cause,
          detail,
          requestId);
    } catch (WireFormatException e) {
      throw e;
    } catch (AblyException e) {
      throw new WireFormatException(field + ": " + e.errorInfo().message(), e);
    }
  }

  private ConnectionDetails connectionDetails() throws IOException {
    if (u.tryUnpackNil()) {
      return null;
    }
    int n = mapHeader("connectionDetails");
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
    for (int i = 0; i < n; i++) {
      switch (key("connectionDetails")) {
        case "clientId" -> clientId = string("connectionDetails.clientId");
        case "connectionKey" -> connectionKey = string("connectionDetails.connectionKey");
        case "maxMessageSize" -> maxMessageSize = int64("connectionDetails.maxMessageSize");
        case "maxFrameSize" -> maxFrameSize = int64("connectionDetails.maxFrameSize");
        case "maxInboundRate" -> maxInboundRate = int64("connectionDetails.maxInboundRate");
        case "maxOutboundRate" -> maxOutboundRate = int64("connectionDetails.maxOutboundRate");
        case "connectionStateTtl" ->
            connectionStateTtl = int64("connectionDetails.connectionStateTtl");
        case "maxIdleInterval" -> maxIdleInterval = int64("connectionDetails.maxIdleInterval");
        case "serverId" -> serverId = string("connectionDetails.serverId");
        case "siteCode" -> siteCode = string("connectionDetails.siteCode");
        case "objectsGCGracePeriod" ->
            objectsGcGracePeriod = int64("connectionDetails.objectsGCGracePeriod");
        default -> skip();
      }
    }
    return new ConnectionDetails(
        clientId, connectionKey, maxMessageSize, maxFrameSize, maxInboundRate, maxOutboundRate,
        connectionStateTtl, maxIdleInterval, serverId, siteCode, objectsGcGracePeriod);
  }

  private AuthDetails authDetails() throws IOException {
    if (u.tryUnpackNil()) {
      return null;
    }
    int n = mapHeader("auth");
    String accessToken = null;
    for (int i = 0; i < n; i++) {
      if ("accessToken".equals(key("auth"))) {
        accessToken = string("auth.accessToken");
      } else {
        skip();
      }
    }
    if (accessToken == null) {
      throw new WireFormatException("auth: accessToken is missing");
    }
    return new AuthDetails(accessToken);
  }

  private List<PublishResult> publishResults() throws IOException {
    if (u.tryUnpackNil()) {
      return List.of();
    }
    int n = arrayHeader("res");
    List<PublishResult> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int entries = mapHeader("res[]");
      List<String> serials = null;
      for (int j = 0; j < entries; j++) {
        if (!"serials".equals(key("res[]"))) {
          skip();
        } else if (u.tryUnpackNil()) {
          serials = null;
        } else {
          int count = arrayHeader("res[].serials");
          serials = new ArrayList<>(count);
          for (int k = 0; k < count; k++) {
            serials.add(string("res[].serials[]"));
          }
        }
      }
      list.add(new PublishResult(serials));
    }
    return list;
  }

  /** Reads a map of strings; entries whose value is nil are dropped. */
  private Map<String, String> stringMap(String field) throws IOException {
    if (u.tryUnpackNil()) {
      return null;
    }
    int n = mapHeader(field);
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String k = key(field);
      String v = string(field);
      if (v != null) {
        map.put(k, v);
      }
    }
    return map;
  }

  private String extras(String field) throws IOException {
    if (u.tryUnpackNil()) {
      return null;
    }
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() != ValueType.MAP) {
      throw wrongType(field, "a map", f);
    }
    return canonicalJson(field);
  }

  /** Reads one value as canonical JSON text (see {@link JsonValues}). */
  private String canonicalJson(String field) throws IOException {
    try (JSONWriter w = JSONWriter.of()) {
      copyAsJson(w, 0, field);
      return w.toString();
    }
  }

  private void copyAsJson(JSONWriter w, int depth, String field) throws IOException {
    if (depth > WireData.MAX_VALUE_DEPTH) {
      throw new WireFormatException(
          field + ": nested deeper than " + WireData.MAX_VALUE_DEPTH + " levels");
    }
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case NIL -> {
        u.unpackNil();
        w.writeNull();
      }
      case BOOLEAN -> w.writeBool(u.unpackBoolean());
      case INTEGER -> {
        if (f == MessageFormat.UINT64) {
          BigInteger b = u.unpackBigInteger();
          JsonValues.writeNumber(w, b.bitLength() < 64 ? (Object) b.longValue() : b);
        } else {
          w.writeInt64(u.unpackLong());
        }
      }
      case FLOAT -> JsonValues.writeNumber(w, WireData.canonicalDouble(u.unpackDouble()));
      case STRING -> w.writeString(str(field));
      case ARRAY -> {
        int n = arrayHeader(field);
        w.startArray();
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            w.writeComma();
          }
          copyAsJson(w, depth + 1, field);
        }
        w.endArray();
      }
      case MAP -> {
        int n = mapHeader(field);
        w.startObject();
        for (int i = 0; i < n; i++) {
          w.writeName(key(field));
          w.writeColon();
          copyAsJson(w, depth + 1, field);
        }
        w.endObject();
      }
      default -> throw new WireFormatException(field + ": " + f + " has no JSON form");
    }
  }

  private static MessageAction messageAction(long v) {
    MessageAction a = v < 0 || v > Integer.MAX_VALUE ? null : MessageAction.fromWire((int) v);
    if (a == null) {
      throw new WireFormatException("message.action: unknown action " + v);
    }
    return a;
  }

  private static PresenceAction presenceAction(long v) {
    PresenceAction a = v < 0 || v > Integer.MAX_VALUE ? null : PresenceAction.fromWire((int) v);
    if (a == null) {
      throw new WireFormatException("presence.action: unknown action " + v);
    }
    return a;
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  /** Reads a str or nil. */
  private String string(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f == MessageFormat.NIL) {
      u.unpackNil();
      return null;
    }
    if (f.getValueType() != ValueType.STRING) {
      throw wrongType(field, "a string", f);
    }
    return str(field);
  }

  /** Reads an integer of any width, or an integral float, or nil. */
  private Long int64(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case NIL -> {
        u.unpackNil();
        return null;
      }
      case INTEGER -> {
        if (f == MessageFormat.UINT64) {
          BigInteger b = u.unpackBigInteger();
          if (b.bitLength() >= 64) {
            throw new WireFormatException(field + ": " + b + " is out of range");
          }
          return b.longValue();
        }
        return u.unpackLong();
      }
      case FLOAT -> {
        return WireData.integral(u.unpackDouble(), field);
      }
      default -> throw wrongType(field, "an integer", f);
    }
  }

  /** Reads the str at the cursor, whose format was checked by the caller. */
  private String str(String field) throws IOException {
    int n = u.unpackRawStringHeader();
    checkBytes(n, field);
    if (n == 0) {
      return "";
    }
    MessageBuffer ref = u.readPayloadAsReference(n);
    return ref.hasArray()
        ? new String(ref.array(), ref.arrayOffset(), n, StandardCharsets.UTF_8)
        : new String(ref.toByteArray(), StandardCharsets.UTF_8);
  }

  /** Reads a map key, returning the constant string for a known field name. */
  private String key(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() != ValueType.STRING) {
      throw wrongType(field + " key", "a string", f);
    }
    int n = u.unpackRawStringHeader();
    checkBytes(n, field);
    MessageBuffer ref = u.readPayloadAsReference(n);
    String known = MsgpackKey.lookup(ref);
    if (known != null) {
      return known;
    }
    return ref.hasArray()
        ? new String(ref.array(), ref.arrayOffset(), n, StandardCharsets.UTF_8)
        : new String(ref.toByteArray(), StandardCharsets.UTF_8);
  }

  /**
   * Skips one value of an unknown field. msgpack-core's own skipValue() is not used: it counts
   * entries in an int, so a map32 header of 2^30 or more entries overflows it and the skip ends
   * early without error. Here containers are opened with the same length checks as anywhere else.
   */
  private void skip() throws IOException {
    long pending = 1;
    while (pending > 0) {
      pending--;
      MessageFormat f = u.getNextFormat();
      switch (f.getValueType()) {
        case ARRAY -> pending += arrayHeader("skipped value");
        case MAP -> pending += 2L * mapHeader("skipped value");
        case STRING -> skipPayload(u.unpackRawStringHeader());
        case BINARY -> skipPayload(u.unpackBinaryHeader());
        case EXTENSION -> skipPayload(u.unpackExtensionTypeHeader().getLength());
        default -> u.skipValue();
      }
    }
  }

  private void skipPayload(int n) throws IOException {
    checkBytes(n, "skipped value");
    u.readPayloadAsReference(n);
  }

  /** Reads a map header; each entry needs at least two bytes of the remaining input. */
  private int mapHeader(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() != ValueType.MAP) {
      throw wrongType(field, "a map", f);
    }
    int n = u.unpackMapHeader();
    if (2L * n > remaining()) {
      throw tooLong(field, "map of " + n + " entries");
    }
    return n;
  }

  /** Reads an array header; each element needs at least one byte of the remaining input. */
  private int arrayHeader(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() != ValueType.ARRAY) {
      throw wrongType(field, "an array", f);
    }
    int n = u.unpackArrayHeader();
    if (n > remaining()) {
      throw tooLong(field, "array of " + n + " elements");
    }
    return n;
  }

  private void checkBytes(int n, String field) {
    if (n > remaining()) {
      throw tooLong(field, "payload of " + n + " bytes");
    }
  }

  private long remaining() {
    return length - u.getTotalReadBytes();
  }

  private WireFormatException tooLong(String field, String what) {
    return new WireFormatException(
        field + ": " + what + " declared at offset " + u.getTotalReadBytes()
            + " exceeds the " + remaining() + " bytes left");
  }

  private WireFormatException wrongType(String field, String expected, MessageFormat found) {
    return new WireFormatException(
        field + ": expected " + expected + ", found " + found + " at offset "
            + u.getTotalReadBytes());
  }
}
