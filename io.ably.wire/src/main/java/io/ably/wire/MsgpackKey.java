package io.ably.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.buffer.MessageBuffer;

/**
 * The field names of the protocol, with their UTF-8 bytes: the MessagePack encoder writes the
 * bytes without encoding a string per field, and the decoder matches received names against them
 * without allocating one.
 */
enum MsgpackKey {
  ACTION("action"),
  FLAGS("flags"),
  ID("id"),
  CHANNEL("channel"),
  CHANNEL_SERIAL("channelSerial"),
  CONNECTION_ID("connectionId"),
  CONNECTION_KEY("connectionKey"),
  MSG_SERIAL("msgSerial"),
  COUNT("count"),
  TIMESTAMP("timestamp"),
  ERROR("error"),
  CONNECTION_DETAILS("connectionDetails"),
  AUTH("auth"),
  MESSAGES("messages"),
  PRESENCE("presence"),
  PARAMS("params"),
  RES("res"),
  NAME("name"),
  DATA("data"),
  ENCODING("encoding"),
  CLIENT_ID("clientId"),
  EXTRAS("extras"),
  SERIAL("serial"),
  CODE("code"),
  STATUS_CODE("statusCode"),
  MESSAGE("message"),
  HREF("href"),
  CAUSE("cause"),
  DETAIL("detail"),
  REQUEST_ID("requestId"),
  MAX_MESSAGE_SIZE("maxMessageSize"),
  MAX_FRAME_SIZE("maxFrameSize"),
  MAX_INBOUND_RATE("maxInboundRate"),
  MAX_OUTBOUND_RATE("maxOutboundRate"),
  CONNECTION_STATE_TTL("connectionStateTtl"),
  MAX_IDLE_INTERVAL("maxIdleInterval"),
  SERVER_ID("serverId"),
  SITE_CODE("siteCode"),
  OBJECTS_GCGRACE_PERIOD("objectsGCGracePeriod"),
  ACCESS_TOKEN("accessToken"),
  SERIALS("serials");

  private static final MsgpackKey[] ALL = values();

  /** The name as a constant string. */
  final String text;

  // Private and never written after construction; an array so it can go to the packer as is.
  @SuppressWarnings("ImmutableEnumChecker")
  private final byte[] utf8;

  MsgpackKey(String text) {
    this.text = text;
    this.utf8 = text.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes this name as a MessagePack str. */
  void pack(MessagePacker p) throws IOException {
    p.packRawStringHeader(utf8.length);
    p.writePayload(utf8);
  }

  /**
   * Finds the known name whose bytes a payload holds.
   *
   * @param payload the bytes of a map key
   * @return the constant name, or {@code null} when the key is not a known field
   */
  static String lookup(MessageBuffer payload) {
    int length = payload.size();
    for (MsgpackKey k : ALL) {
      if (k.utf8.length == length && k.matches(payload)) {
        return k.text;
      }
    }
    return null;
  }

  private boolean matches(MessageBuffer payload) {
    for (int i = 0; i < utf8.length; i++) {
      if (payload.getByte(i) != utf8[i]) {
        return false;
      }
    }
    return true;
  }
}
