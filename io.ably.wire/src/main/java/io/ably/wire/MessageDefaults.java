package io.ably.wire;

import io.ably.api.message.Message;
import java.util.List;

/**
 * The fields a received message takes from its MESSAGE ProtocolMessage when it has none of its
 * own: the id {@code <protocol message id>:<index>} (TM2a), the connection id (TM2c) and the
 * timestamp (TM2f). The receive decoders ({@link ProtocolCodec#newReceiveFrameDecoder()}) apply
 * them as each message is decoded, so that a received message is built once (issue #20).
 */
final class MessageDefaults {
  private MessageDefaults() {}

  /** The message's id, or the one TM2a gives it. */
  static String id(String own, String protocolMessageId, int index) {
    return own == null && protocolMessageId != null ? protocolMessageId + ":" + index : own;
  }

  /** The message's connection id, or the ProtocolMessage's (TM2c). */
  static String connectionId(String own, String protocolMessageConnectionId) {
    return own == null ? protocolMessageConnectionId : own;
  }

  /** The message's timestamp, or the ProtocolMessage's (TM2f); 0 if neither has one. */
  static long timestamp(long own, Long protocolMessageTimestamp) {
    return own == 0 && protocolMessageTimestamp != null ? protocolMessageTimestamp : own;
  }

  /** Whether a message lacks a field that the ProtocolMessage's would give it. */
  static boolean missing(Message m, String id, String connectionId, Long timestamp) {
    return (m.id() == null && id != null)
        || (m.connectionId() == null && connectionId != null)
        || (m.timestampMillis() == 0 && timestamp != null);
  }

  /**
   * Gives every message of {@code messages} that still lacks them the ProtocolMessage's fields,
   * replacing it in the (mutable) list; a message that has them is kept as it is. Only a
   * ProtocolMessage whose fields came after its messages on the wire needs this.
   */
  static void fill(List<Message> messages, String id, String connectionId, Long timestamp) {
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (missing(m, id, connectionId, timestamp)) {
        messages.set(i, with(m, id, connectionId, timestamp, i));
      }
    }
  }

  /** {@code m} with the ProtocolMessage's fields where it has none. */
  static Message with(Message m, String id, String connectionId, Long timestamp, int index) {
    return new Message(
        id(m.id(), id, index), m.name(), m.data(), m.encoding(), m.clientId(),
        connectionId(m.connectionId(), connectionId), m.connectionKey(), timestamp(m.timestampMillis(), timestamp),
        m.extras(), m.serial(), m.action());
  }

  /** {@code pm} with the defaults given to every message, if it is a MESSAGE. */
  static ProtocolMessage fill(ProtocolMessage pm) {
    if (pm.action() != Action.MESSAGE
        || pm.messages().stream().noneMatch(m -> missing(m, pm.id(), pm.connectionId(), pm.timestampMillis()))) {
      return pm;
    }
    List<Message> messages = new java.util.ArrayList<>(pm.messages());
    fill(messages, pm.id(), pm.connectionId(), pm.timestampMillis());
    return pm.toBuilder().messages(messages).build();
  }
}
