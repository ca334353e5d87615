package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.wire.Action;
import io.ably.wire.Flag;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.PublishResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Attach, detach and publish on the server side (PROTOCOL.md §5). State loop only. */
final class ChannelRouter {
  /** Channel params the service recognises and echoes in ATTACHED (RTL4k1). */
  private static final Set<String> KNOWN_PARAMS = Set.of("rewind", "delta", "modes", "occupancy", "agent");

  private final ServerConductor server;

  ChannelRouter(ServerConductor server) {
    this.server = server;
  }

  /** The serial of an entry: the server epoch and the channel sequence number. */
  String serial(long seq) {
    return server.epoch + ":" + seq;
  }

  /** The index of a message serial's message in its ProtocolMessage, or -1 for a channel serial. */
  int messageIndexOf(String serial) {
    if (serial == null || !serial.startsWith(server.epoch + ":")) {
      return -1;
    }
    String rest = serial.substring(server.epoch.length() + 1);
    int colon = rest.indexOf(':');
    try {
      return colon < 0 ? -1 : Integer.parseInt(rest.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The sequence number of a serial from this epoch, or -1. */
  long seqOf(String serial) {
    if (serial == null || !serial.startsWith(server.epoch + ":")) {
      return -1;
    }
    String rest = serial.substring(server.epoch.length() + 1);
    int colon = rest.indexOf(':');
    try {
      return Long.parseLong(colon < 0 ? rest : rest.substring(0, colon));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  void attach(ServerConnection c, ProtocolMessage pm) {
    String name = pm.channel();
    if (name == null || name.isEmpty()) {
      failChannel(c, name == null ? "" : name, ErrorInfo.of(ErrorCode.INVALID_CHANNEL_NAME, "channel name is empty"));
      return;
    }
    if (server.nextAttachError != null) {
      ErrorInfo error = server.nextAttachError;
      server.nextAttachError = null;
      failChannel(c, name, error);
      return;
    }
    DerivedFilter derived;
    try {
      derived = DerivedFilter.parse(name);
    } catch (DerivedFilter.Invalid e) {
      failChannel(c, name, e.error); // RTS5: a malformed filter fails the attach
      return;
    }
    // A derived channel is governed by the capability of the channel it derives from.
    String governing = derived == null ? name : derived.base();
    if (!c.capability.allowsAny(governing)) {
      failChannel(
          c,
          name,
          ErrorInfo.of(
              ErrorCode.OPERATION_NOT_PERMITTED,
              "Channel denied access based on given capability; channel = " + name));
      return;
    }
    int modes = grantedModes(c.capability, governing, pm);
    Map<String, String> params = new LinkedHashMap<>();
    if (derived != null) {
      params.putAll(derived.params()); // [filter=...?rewind=1]name (RTS5a2)
    }
    for (Map.Entry<String, String> e : pm.params().entrySet()) {
      if (KNOWN_PARAMS.contains(e.getKey())) {
        params.put(e.getKey(), e.getValue());
      }
    }
    ServerChannel channel = server.channel(name);
    if (derived != null) {
      registerDerived(channel, derived);
    }
    boolean wasAttached = c.attachments.containsKey(name);
    List<ServerChannel.Entry> replay = List.of();
    int flags = modes;
    long fromSeq = seqOf(pm.channelSerial());
    // A message's serial ("<channelSerial>:<index>") resumes after that message, within its
    // ProtocolMessage: the rest of that one is replayed first.
    int fromIndex = messageIndexOf(pm.channelSerial());
    ServerChannel.Entry partial = null;
    if (pm.channelSerial() != null) {
      // RTL4c1 / RTN15c6: a re-attach after a resumed connection continues from its channelSerial.
      if (wasAttached && channel.canReplayFrom(fromSeq)) {
        replay = channel.entriesAfter(fromIndex < 0 ? fromSeq : fromSeq - 1);
        if (!replay.isEmpty() && replay.get(0).seq == fromSeq) {
          partial = replay.get(0);
          replay = replay.subList(1, replay.size());
        }
        flags |= Flag.RESUMED.mask();
      }
    } else if (!pm.has(Flag.ATTACH_RESUME) && params.containsKey("rewind")) {
      replay = rewind(channel, params.get("rewind"));
    } else if (wasAttached && pm.has(Flag.ATTACH_RESUME)) {
      flags |= Flag.RESUMED.mask();
    }
    if (!replay.isEmpty() || partial != null) {
      flags |= Flag.HAS_BACKLOG.mask();
    }
    boolean sync = Flag.PRESENCE_SUBSCRIBE.isSet(modes) && !channel.members.isEmpty();
    if (sync) {
      flags |= Flag.HAS_PRESENCE.mask();
    }
    c.attachments.put(name, modes);
    channel.subscribers.put(c, modes);
    c.transport.send(
        ProtocolMessage.builder(Action.ATTACHED)
            .channel(name)
            // The attach point: before a replay, where it starts, so a client that loses the
            // transport mid-replay re-attaches from there (RTL15b) instead of past it.
            .channelSerial(
                partial != null
                    ? pm.channelSerial()
                    : serial(replay.isEmpty() ? channel.lastSeq() : replay.get(0).seq - 1))
            .flags(flags)
            .params(params)
            .build());
    if (sync) {
      server.presence.sendSync(c, name);
    }
    if (partial != null
        && partial.message.action() == Action.MESSAGE
        && partial.message.messages().size() > fromIndex + 1) {
      ProtocolMessage rest =
          partial.message.toBuilder()
              .messages(partial.message.messages().subList(fromIndex + 1, partial.message.messages().size()))
              .build();
      if (deliverable(c, modes, rest)) {
        c.transport.send(rest);
      }
    }
    for (ServerChannel.Entry e : replay) {
      if (deliverable(c, modes, e.message)) {
        c.transport.sendEncoded(e.frame(c.transport.format()));
      }
    }
  }

  /**
   * Makes a derived channel follow its base channel: its log starts as the base channel's log
   * filtered, so that rewind and history on the derived channel see the matching past messages.
   */
  private void registerDerived(ServerChannel channel, DerivedFilter derived) {
    ServerChannel base = server.channel(derived.base());
    if (base.derived.putIfAbsent(channel.name, derived) != null) {
      return;
    }
    for (ServerChannel.Entry e : base.entries()) {
      appendDerived(channel, derived, e.message);
    }
  }

  /**
   * Appends to a derived channel the messages of a base-channel MESSAGE that pass its filter.
   *
   * @return the new entry, or {@code null} when nothing passed (or it is not a MESSAGE)
   */
  private ServerChannel.Entry appendDerived(
      ServerChannel channel, DerivedFilter derived, ProtocolMessage pm) {
    if (pm.action() != Action.MESSAGE) {
      return null;
    }
    List<Message> passed = derived.select(pm.id(), pm.messages());
    if (passed.isEmpty()) {
      return null;
    }
    long seq = channel.nextSeq();
    return channel.append(
        seq,
        pm.toBuilder().channel(channel.name).channelSerial(serial(seq)).messages(passed).build());
  }

  private static List<ServerChannel.Entry> rewind(ServerChannel channel, String rewind) {
    try {
      return channel.lastMessages(Math.min(Integer.parseInt(rewind.strip()), 100));
    } catch (NumberFormatException e) {
      return List.of(); // durations ("15s") are accepted but replay nothing here
    }
  }

  /** Modes: params.modes wins over flags; none requested means all the capability allows. */
  private static int grantedModes(Capability capability, String name, ProtocolMessage pm) {
    int allowed = 0;
    if (capability.allows(name, "publish")) {
      allowed |= Flag.PUBLISH.mask();
    }
    if (capability.allows(name, "subscribe")) {
      allowed |= Flag.SUBSCRIBE.mask() | Flag.PRESENCE_SUBSCRIBE.mask();
    }
    if (capability.allows(name, "presence")) {
      allowed |= Flag.PRESENCE.mask() | Flag.PRESENCE_SUBSCRIBE.mask();
    }
    int requested = pm.flags() & Flag.ALL_MODES;
    String modesParam = pm.params().get("modes");
    if (modesParam != null) {
      requested = 0;
      for (String m : modesParam.split(",", -1)) {
        try {
          requested |= Flag.valueOf(m.strip().toUpperCase(Locale.ROOT)).mask();
        } catch (IllegalArgumentException e) {
          // an unknown mode name grants nothing
        }
      }
    }
    return requested == 0 ? allowed : requested & allowed;
  }

  void detach(ServerConnection c, ProtocolMessage pm) {
    String name = pm.channel();
    if (name != null) {
      c.attachments.remove(name);
      ServerChannel channel = server.channels.get(name);
      if (channel != null) {
        channel.subscribers.remove(c);
      }
    }
    c.transport.send(ProtocolMessage.builder(Action.DETACHED).channel(name).build());
  }

  /** A server-initiated DETACHED to every connection attached to the channel (RTL13). */
  void detachAll(String name, ErrorInfo error) {
    ServerChannel channel = server.channels.get(name);
    if (channel == null) {
      return;
    }
    for (ServerConnection c : List.copyOf(channel.subscribers.keySet())) {
      c.attachments.remove(name);
      channel.subscribers.remove(c);
      if (c.transport != null) {
        c.transport.send(ProtocolMessage.builder(Action.DETACHED).channel(name).error(error).build());
      }
    }
  }

  /** RTL14: ERROR with {@code channel} fails that channel for this connection. */
  void failChannel(ServerConnection c, String name, ErrorInfo error) {
    c.attachments.remove(name);
    ServerChannel channel = server.channels.get(name);
    if (channel != null) {
      channel.subscribers.remove(c);
    }
    if (c.transport != null) {
      c.transport.send(ProtocolMessage.builder(Action.ERROR).channel(name).error(error).build());
    }
  }

  /**
   * Takes the msgSerial of an ack-requiring message. Returns {@code false} when the message must
   * not be processed: it has no msgSerial (the connection is refused), or it is a resend after a
   * resume (RTN19a), which is acknowledged again but published only once.
   */
  boolean acceptSerial(ServerConnection c, ProtocolMessage pm) {
    Long serialBox = pm.msgSerial();
    if (serialBox == null) {
      Transport t = c.transport;
      server.discard(c);
      server.refuse(t, ErrorInfo.of(ErrorCode.PROTOCOL_ERROR, pm.action() + " without msgSerial"));
      return false;
    }
    long msgSerial = serialBox;
    if (msgSerial <= c.lastMsgSerial) {
      ack(c, msgSerial, c.recentResults.get(msgSerial));
      return false;
    }
    c.lastMsgSerial = msgSerial;
    return true;
  }

  /** A realtime MESSAGE: checked, then published once per msgSerial and acknowledged (RTL6). */
  void publish(ServerConnection c, ProtocolMessage pm) {
    if (!acceptSerial(c, pm)) {
      return;
    }
    long msgSerial = pm.msgSerial();
    ErrorInfo refusal = server.nextPublishError;
    server.nextPublishError = null;
    String identified = c.isIdentified() ? c.clientId : null;
    if (refusal == null) {
      refusal = checkPublish(c.capability, identified, pm.channel(), pm.messages());
    }
    if (refusal != null) {
      nack(c, pm, refusal);
      return;
    }
    server.stats.messages(
        ServerConductor.appIdOf(c.keyName), true, "realtime", false, pm.messages().size(),
        server.nowMillis());
    ServerChannel channel = server.channel(pm.channel());
    List<String> serials = channel.serialsOfRepublished(pm.messages());
    Publication publication = null;
    if (serials == null) {
      publication = append(channel, c.id + ":" + msgSerial, c.id, identified, pm.messages());
      serials = publication.serials();
    }
    c.recentResults.put(msgSerial, serials);
    ack(c, msgSerial, serials);
    if (publication != null) {
      deliver(channel, publication.entry());
    }
  }

  /**
   * A MESSAGE appended to a channel's log, not yet delivered.
   *
   * @param entry the log entry, with its encoded frames
   * @param serials the serial of each message, in order
   */
  record Publication(ServerChannel.Entry entry, List<String> serials) {}

  /**
   * Publishes messages, for realtime and REST alike: builds the outbound MESSAGE with the
   * ProtocolMessage id, the publisher's connection id, a timestamp, the channel serial and a serial
   * per message, stamps the identified publisher's clientId on messages without one (RSA7a1), and
   * appends it to the channel log. Checks are the caller's; {@link #deliver} fans it out.
   *
   * @param pmId the ProtocolMessage id ({@code connectionId:msgSerial} of the publisher)
   * @param connectionId the publishing connection, real or synthetic
   * @param identifiedClientId the publisher's clientId, or {@code null} if not identified
   */
  Publication append(
      ServerChannel channel, String pmId, String connectionId, String identifiedClientId,
      List<Message> messages) {
    long seq = channel.nextSeq();
    String channelSerial = serial(seq);
    List<Message> out = new ArrayList<>(messages.size());
    List<String> serials = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      String messageSerial = channelSerial + ":" + i;
      serials.add(messageSerial);
      Message.Builder b = m.toBuilder().serial(messageSerial).connectionKey(null);
      if (m.clientId() == null && identifiedClientId != null) {
        b.clientId(identifiedClientId); // RSA7a1
      }
      out.add(b.build());
    }
    ProtocolMessage outbound =
        ProtocolMessage.builder(Action.MESSAGE)
            .id(pmId)
            .connectionId(connectionId)
            .channel(channel.name)
            .channelSerial(channelSerial)
            .timestampMillis(server.nowMillis())
            .messages(out)
            .build();
    channel.rememberIds(messages, serials);
    return new Publication(channel.append(seq, outbound), serials);
  }

  /** Sends a logged MESSAGE or PRESENCE to every attached connection that should get it. */
  void deliver(ServerChannel channel, ServerChannel.Entry entry) {
    ProtocolMessage pm = entry.message;
    boolean presence = pm.action() == Action.PRESENCE;
    int count = presence ? pm.presence().size() : pm.messages().size();
    long now = server.nowMillis();
    for (Map.Entry<ServerConnection, Integer> sub : channel.subscribers.entrySet()) {
      ServerConnection s = sub.getKey();
      if (s.transport != null && deliverable(s, sub.getValue(), pm)) {
        s.transport.sendEncoded(entry.frame(s.transport.format()));
        server.stats.messages(
            ServerConductor.appIdOf(s.keyName), false, "realtime", presence, count, now);
      }
    }
    // RTS5: the service evaluates each derived channel's filter; what fails it is never sent.
    for (DerivedFilter derived : channel.derived.values()) {
      ServerChannel d = server.channel(derived.name());
      ServerChannel.Entry passed = appendDerived(d, derived, pm);
      if (passed != null) {
        deliver(d, passed);
      }
    }
  }

  static boolean deliverable(ServerConnection s, int modes, ProtocolMessage pm) {
    if (pm.action() == Action.MESSAGE) {
      return Flag.SUBSCRIBE.isSet(modes) && (s.echo || !s.id.equals(pm.connectionId()));
    }
    return Flag.PRESENCE_SUBSCRIBE.isSet(modes) || s.id.equals(pm.connectionId());
  }

  /**
   * Checks a publish from either path (RTL6, RSL1): channel name, capability, clientId (RSL1m4:
   * an identified publisher may not name another clientId) and size (TM6, 40009).
   *
   * @param identifiedClientId the publisher's clientId, or {@code null} if not identified
   * @return the refusal, or {@code null} if the publish may go ahead
   */
  ErrorInfo checkPublish(
      Capability capability, String identifiedClientId, String name, List<Message> messages) {
    if (name == null || name.isEmpty()) {
      return ErrorInfo.of(ErrorCode.INVALID_CHANNEL_NAME, "channel name is empty");
    }
    if (DerivedFilter.isDerived(name)) {
      return ErrorInfo.of(
          ErrorCode.INVALID_CHANNEL_NAME,
          "cannot publish to derived channel " + name + ": a derived channel is subscribe-only");
    }
    if (!capability.allows(name, "publish")) {
      return ErrorInfo.of(
          ErrorCode.OPERATION_NOT_PERMITTED, "Unable to perform channel operation (publish)");
    }
    int size = 0;
    for (Message m : messages) {
      size += m.size();
      if (m.clientId() != null && identifiedClientId != null
          && !m.clientId().equals(identifiedClientId)) {
        return ErrorInfo.of(
            ErrorCode.INVALID_CLIENT_ID,
            "mismatched clientId " + m.clientId() + " for a client identified as "
                + identifiedClientId);
      }
    }
    if (size > server.config.maxMessageSize()) {
      return ErrorInfo.of(
          ErrorCode.MESSAGE_TOO_LARGE,
          "Maximum message length exceeded (size " + size + ", limit "
              + server.config.maxMessageSize() + ")");
    }
    return null;
  }

  void ack(ServerConnection c, long msgSerial, List<String> serials) {
    if (c.transport == null) {
      return;
    }
    ProtocolMessage.Builder b =
        ProtocolMessage.builder(Action.ACK).msgSerial(msgSerial).count(1);
    if (serials != null) {
      b.res(List.of(new PublishResult(serials)));
    }
    c.transport.send(b.build());
  }

  void nack(ServerConnection c, ProtocolMessage pm, ErrorInfo error) {
    if (c.transport == null || pm.msgSerial() == null) {
      return;
    }
    c.transport.send(
        ProtocolMessage.builder(Action.NACK)
            .msgSerial(pm.msgSerial())
            .count(1)
            .error(error)
            .build());
  }
}
