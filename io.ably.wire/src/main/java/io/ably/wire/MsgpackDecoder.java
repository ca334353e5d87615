package io.ably.wire;

import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.MessageAction;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageUnpacker;

/**
 * Reads the protocol's objects from one MessagePack input, field by field, through a
 * {@link MsgpackInput} that checks every declared length. One instance per input (per decode call,
 * or per {@link MsgpackFrameDecoder} whose input restarts for each frame); every failure is a
 * {@link WireFormatException}.
 */
final class MsgpackDecoder {
  private final MsgpackInput in;
  /** Whether the messages of a MESSAGE take its id, connection id and timestamp ({@link MessageDefaults}). */
  private final boolean receive;

  MsgpackDecoder(MessageUnpacker u, long length) {
    this(new MsgpackInput(u, length), false);
  }

  MsgpackDecoder(MsgpackInput in, boolean receive) {
    this.in = in;
    this.receive = receive;
  }

  ProtocolMessage protocolMessage() throws IOException {
    int n = in.mapHeader("ProtocolMessage");
    // Fields in locals, then one constructor call: no builder per frame (issue #20)
    Action action = Action.HEARTBEAT;
    int flags = 0;
    String id = null;
    String channel = null;
    String channelSerial = null;
    String connectionId = null;
    String connectionKey = null;
    Long msgSerial = null;
    Integer count = null;
    Long timestamp = null;
    ErrorInfo error = null;
    ConnectionDetails connectionDetails = null;
    AuthDetails auth = null;
    List<Message> messages = null;
    List<PresenceMessage> presence = null;
    Map<String, String> params = null;
    List<PublishResult> res = null;
    for (int i = 0; i < n; i++) {
      switch (in.key("ProtocolMessage")) {
        case "action" -> {
          Long v = in.int64("action");
          action = v == null ? Action.HEARTBEAT : WireData.action(v);
        }
        case "flags" -> {
          Long v = in.int64("flags");
          flags = v == null ? 0 : WireData.flags(v);
        }
        case "id" -> id = in.string("id");
        case "channel" -> channel = in.repeatedString("channel", MsgpackInput.Recent.CHANNEL);
        case "channelSerial" -> channelSerial = in.string("channelSerial");
        case "connectionId" -> connectionId = in.repeatedString("connectionId", MsgpackInput.Recent.CONNECTION_ID);
        case "connectionKey" -> connectionKey = in.string("connectionKey");
        case "msgSerial" -> msgSerial = in.int64("msgSerial");
        case "count" -> {
          Long v = in.int64("count");
          count = v == null ? null : WireData.toInt(v, "count");
        }
        case "timestamp" -> timestamp = in.int64("timestamp");
        case "error" -> error = errorInfo("error", 0);
        case "connectionDetails" -> connectionDetails = connectionDetails();
        case "auth" -> auth = authDetails();
        case "messages" -> {
          boolean fill = receive && action == Action.MESSAGE;
          messages = messages(fill ? id : null, fill ? connectionId : null, fill ? timestamp : null);
        }
        case "presence" -> presence = presenceMessages();
        case "params" -> params = stringMap("params");
        case "res" -> res = publishResults();
        default -> in.skip();
      }
    }
    if (messages != null && receive && action == Action.MESSAGE) {
      // fields that came after the messages on the wire (this library and Ably write them before)
      for (int i = 0; i < messages.size(); i++) {
        if (MessageDefaults.missing(messages.get(i), id, connectionId, timestamp)) {
          messages = new ArrayList<>(messages); // the list of one message is immutable
          MessageDefaults.fill(messages, id, connectionId, timestamp);
          break;
        }
      }
    }
    return new ProtocolMessage(
        action, flags, id, channel, channelSerial, connectionId, connectionKey, msgSerial, count,
        timestamp, error, connectionDetails, auth, messages, presence, params, res);
  }

  List<Message> messages() throws IOException {
    return messages(null, null, null);
  }

  /** Messages, each given the ProtocolMessage's fields it lacks ({@link MessageDefaults}; null: none). */
  private List<Message> messages(String pmId, String pmConnectionId, Long pmTimestamp) throws IOException {
    if (in.tryNil()) {
      return new ArrayList<>(0);
    }
    int n = in.arrayHeader("messages");
    WireData.checkItems(n, "messages");
    if (n == 1) {
      return List.of(message(pmId, pmConnectionId, pmTimestamp, 0)); // the usual frame: no list to copy
    }
    List<Message> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(message(pmId, pmConnectionId, pmTimestamp, i));
    }
    return list;
  }

  List<PresenceMessage> presenceMessages() throws IOException {
    if (in.tryNil()) {
      return List.of();
    }
    int n = in.arrayHeader("presence");
    WireData.checkItems(n, "presence");
    List<PresenceMessage> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PresenceMessage m = presenceMessage();
      if (m != null) {
        list.add(m); // null: an action this client does not know, skipped (RSF1)
      }
    }
    return list;
  }

  Message message() throws IOException {
    return message(null, null, null, 0);
  }

  /** A message, built once, with the ProtocolMessage's fields it lacks ({@link MessageDefaults}). */
  private Message message(String pmId, String pmConnectionId, Long pmTimestamp, int index) throws IOException {
    int n = in.mapHeader("message");
    String id = null;
    String name = null;
    String clientId = null;
    String connectionId = null;
    String connectionKey = null;
    long timestamp = 0;
    String extras = null;
    String serial = null;
    MessageAction action = null;
    Data data = new Data();
    String encoding = null;
    for (int i = 0; i < n; i++) {
      switch (in.key("message")) {
        case "id" -> id = in.string("message.id");
        case "name" -> name = in.repeatedString("message.name", MsgpackInput.Recent.NAME);
        case "data" -> data.read(in, "message.data");
        case "encoding" -> encoding = in.repeatedString("message.encoding", MsgpackInput.Recent.ENCODING);
        case "clientId" -> clientId = in.repeatedString("message.clientId", MsgpackInput.Recent.CLIENT_ID);
        case "connectionId" -> connectionId = in.repeatedString("message.connectionId", MsgpackInput.Recent.CONNECTION_ID);
        case "connectionKey" -> connectionKey = in.string("message.connectionKey");
        case "timestamp" -> {
          Long v = in.int64("message.timestamp");
          timestamp = v == null ? 0 : WireData.timestamp(v, "message");
        }
        case "extras" -> extras = in.extras("message.extras");
        case "serial" -> serial = in.string("message.serial");
        case "action" -> {
          Long v = in.int64("message.action");
          action = v == null ? null : WireData.messageAction(v);
        }
        default -> in.skip();
      }
    }
    WireData.Payload p = data.payload(encoding);
    return new Message(
        MessageDefaults.id(id, pmId, index), name, p.data(), p.encoding(), clientId,
        MessageDefaults.connectionId(connectionId, pmConnectionId), connectionKey,
        MessageDefaults.timestamp(timestamp, pmTimestamp), extras, serial, action);
  }

  /** One presence message, or {@code null} if its action is one this client does not know (RSF1). */
  PresenceMessage presenceMessage() throws IOException {
    int n = in.mapHeader("presence");
    String id = null;
    PresenceAction action = PresenceAction.ABSENT;
    String clientId = null;
    String connectionId = null;
    Data data = new Data();
    String encoding = null;
    String extras = null;
    long timestamp = 0;
    for (int i = 0; i < n; i++) {
      switch (in.key("presence")) {
        case "id" -> id = in.string("presence.id");
        case "action" -> {
          Long v = in.int64("presence.action");
          action = v == null ? PresenceAction.ABSENT : WireData.presenceAction(v);
        }
        case "clientId" -> clientId = in.string("presence.clientId");
        case "connectionId" -> connectionId = in.string("presence.connectionId");
        case "data" -> data.read(in, "presence.data");
        case "encoding" -> encoding = in.string("presence.encoding");
        case "extras" -> extras = in.extras("presence.extras");
        case "timestamp" -> {
          Long v = in.int64("presence.timestamp");
          timestamp = v == null ? 0 : WireData.timestamp(v, "presence");
        }
        default -> in.skip();
      }
    }
    if (action == null) {
      return null;
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

    void read(MsgpackInput in, String field) throws IOException {
      text = null;
      bytes = null;
      json = null;
      MessageFormat f = in.nextFormat();
      switch (f.getValueType()) {
        case NIL -> in.nil();
        case STRING -> text = in.str(field);
        case BINARY -> bytes = in.binary(field);
        case MAP, ARRAY, BOOLEAN, INTEGER, FLOAT -> json = in.canonicalJson(field);
        default -> throw new WireFormatException(field + ": unsupported type " + f);
      }
    }

    WireData.Payload payload(String encoding) {
      return WireData.payload(text, bytes, json, WireData.encoding(encoding));
    }
  }

  private ErrorInfo errorInfo(String field, int depth) throws IOException {
    if (in.tryNil()) {
      return null;
    }
    if (depth > WireData.MAX_ERROR_DEPTH) {
      throw new WireFormatException(
          field + ": causes nested deeper than " + WireData.MAX_ERROR_DEPTH);
    }
    int n = in.mapHeader(field);
    long code = 0;
    long statusCode = 0;
    String message = null;
    String href = null;
    ErrorInfo cause = null;
    Map<String, String> detail = null;
    String requestId = null;
    for (int i = 0; i < n; i++) {
      switch (in.key(field)) {
        case "code" -> code = orZero(in.int64("error.code"));
        case "statusCode" -> statusCode = orZero(in.int64("error.statusCode"));
        case "message" -> message = in.string("error.message");
        case "href" -> href = in.string("error.href");
        case "cause" -> cause = errorInfo("error.cause", depth + 1);
        case "detail" -> detail = stringMap("error.detail");
        case "requestId" -> requestId = in.string("error.requestId");
        default -> in.skip();
      }
    }
    return WireData.errorInfo(field, code, statusCode, message, href, cause, detail, requestId);
  }

  private ConnectionDetails connectionDetails() throws IOException {
    if (in.tryNil()) {
      return null;
    }
    int n = in.mapHeader("connectionDetails");
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
      switch (in.key("connectionDetails")) {
        case "clientId" -> clientId = in.string("connectionDetails.clientId");
        case "connectionKey" -> connectionKey = in.string("connectionDetails.connectionKey");
        case "maxMessageSize" -> maxMessageSize = in.int64("connectionDetails.maxMessageSize");
        case "maxFrameSize" -> maxFrameSize = in.int64("connectionDetails.maxFrameSize");
        case "maxInboundRate" -> maxInboundRate = in.int64("connectionDetails.maxInboundRate");
        case "maxOutboundRate" -> maxOutboundRate = in.int64("connectionDetails.maxOutboundRate");
        case "connectionStateTtl" ->
            connectionStateTtl = in.int64("connectionDetails.connectionStateTtl");
        case "maxIdleInterval" -> maxIdleInterval = in.int64("connectionDetails.maxIdleInterval");
        case "serverId" -> serverId = in.string("connectionDetails.serverId");
        case "siteCode" -> siteCode = in.string("connectionDetails.siteCode");
        case "objectsGCGracePeriod" ->
            objectsGcGracePeriod = in.int64("connectionDetails.objectsGCGracePeriod");
        default -> in.skip();
      }
    }
    return new ConnectionDetails(
        clientId, connectionKey, maxMessageSize, maxFrameSize, maxInboundRate, maxOutboundRate,
        connectionStateTtl, maxIdleInterval, serverId, siteCode, objectsGcGracePeriod);
  }

  private AuthDetails authDetails() throws IOException {
    if (in.tryNil()) {
      return null;
    }
    int n = in.mapHeader("auth");
    String accessToken = null;
    for (int i = 0; i < n; i++) {
      if ("accessToken".equals(in.key("auth"))) {
        accessToken = in.string("auth.accessToken");
      } else {
        in.skip();
      }
    }
    if (accessToken == null) {
      throw new WireFormatException("auth: accessToken is missing");
    }
    return new AuthDetails(accessToken);
  }

  private List<PublishResult> publishResults() throws IOException {
    if (in.tryNil()) {
      return List.of();
    }
    int n = in.arrayHeader("res");
    List<PublishResult> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int entries = in.mapHeader("res[]");
      List<String> serials = null;
      for (int j = 0; j < entries; j++) {
        if (!"serials".equals(in.key("res[]"))) {
          in.skip();
        } else if (in.tryNil()) {
          serials = null;
        } else {
          int count = in.arrayHeader("res[].serials");
          serials = new ArrayList<>(count);
          for (int k = 0; k < count; k++) {
            serials.add(in.string("res[].serials[]"));
          }
        }
      }
      list.add(new PublishResult(serials));
    }
    return list;
  }

  /** Reads a map of strings; entries whose value is nil are dropped. */
  private Map<String, String> stringMap(String field) throws IOException {
    if (in.tryNil()) {
      return null;
    }
    int n = in.mapHeader(field);
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String k = in.key(field);
      String v = in.string(field);
      if (v != null) {
        map.put(k, v);
      }
    }
    return map;
  }


  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

}
