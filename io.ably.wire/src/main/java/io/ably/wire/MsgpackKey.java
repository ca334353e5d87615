package io.ably.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.core.MessagePacker;

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

  /**
   * Open-addressed table of the names by {@link #hash}, with linear probing. With the names above
   * and these constants every name sits in its home slot, so a known name costs one probe and an
   * unknown one usually meets an empty slot at once; a name added later still works, perhaps
   * with a probe more.
   */
  private static final MsgpackKey[] TABLE = new MsgpackKey[256];

  static {
    for (MsgpackKey k : values()) {
      int slot = hash(k.utf8.length, k.utf8[0], k.utf8[k.utf8.length >> 1], k.utf8[k.utf8.length - 1]);
      while (TABLE[slot] != null) {
        slot = (slot + 1) & (TABLE.length - 1);
      }
      TABLE[slot] = k;
    }
  }

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
   * Finds the known name that some bytes spell.
   *
   * @param bytes holds the bytes of a map key
   * @param offset where they start
   * @param length how many there are
   * @return the constant name, or {@code null} when the key is not a known field
   */
  static String lookup(byte[] bytes, int offset, int length) {
    MsgpackKey k = find(bytes, offset, length);
    return k == null ? null : k.text;
  }

  /**
   * Finds the known name that some bytes spell, without a scan over all names: a hash of the
   * length and three bytes picks the slot.
   *
   * @param bytes holds the bytes of a map key
   * @param offset where they start
   * @param length how many there are
   * @return the name, or {@code null} when the key is not a known field
   */
  static MsgpackKey find(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return null;
    }
    int slot = hash(length, bytes[offset], bytes[offset + (length >> 1)], bytes[offset + length - 1]);
    for (MsgpackKey k = TABLE[slot]; k != null; k = TABLE[slot]) {
      if (k.utf8.length == length && Arrays.equals(k.utf8, 0, length, bytes, offset, offset + length)) {
        return k;
      }
      slot = (slot + 1) & (TABLE.length - 1);
    }
    return null;
  }

  private static int hash(int length, byte first, byte middle, byte last) {
    return (length * 4 + first + middle * 20 + last) & 255;
  }

}
