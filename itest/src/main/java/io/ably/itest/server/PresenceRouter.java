package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Presence enter / update / leave, SYNC and synthesized leaves (PROTOCOL.md §6.6). */
final class PresenceRouter {
  /** Members per SYNC page. */
  static final int SYNC_PAGE_SIZE = 100;

  private final ServerConductor server;

  PresenceRouter(ServerConductor server) {
    this.server = server;
  }

  void onPresence(ServerConnection c, ProtocolMessage pm) {
    if (!server.router.acceptSerial(c, pm)) {
      return;
    }
    String name = pm.channel();
    ErrorInfo refusal = check(c, pm);
    if (refusal != null) {
      server.router.nack(c, pm, refusal);
      return;
    }
    ServerChannel channel = server.channel(name);
    long seq = channel.nextSeq();
    String pmId = c.id + ":" + pm.msgSerial();
    long now = server.nowMillis();
    List<PresenceMessage> out = new ArrayList<>();
    for (int i = 0; i < pm.presence().size(); i++) {
      PresenceMessage p = pm.presence().get(i);
      String clientId = p.clientId() != null ? p.clientId() : c.clientId;
      PresenceAction action = p.action() == PresenceAction.PRESENT ? PresenceAction.UPDATE : p.action();
      String memberKey = c.id + ":" + clientId;
      String id = pmId + ":" + i;
      PresenceMessage event =
          new PresenceMessage(id, action, clientId, c.id, p.data(), p.encoding(), p.extras(), now);
      if (action == PresenceAction.LEAVE) {
        if (channel.members.remove(memberKey) == null) {
          continue; // RTP10d: leaving when absent is acknowledged but not broadcast
        }
        c.presenceClients.computeIfAbsent(name, k -> new java.util.HashMap<>()).remove(clientId);
      } else {
        channel.members.put(
            memberKey,
            new PresenceMessage(
                id, PresenceAction.PRESENT, clientId, c.id, p.data(), p.encoding(), p.extras(), now));
        c.presenceClients.computeIfAbsent(name, k -> new java.util.HashMap<>()).put(clientId, true);
      }
      out.add(event);
    }
    server.stats.messages(
        ServerConductor.appIdOf(c.keyName), true, "realtime", true, pm.presence().size(), now);
    server.router.ack(c, pm.msgSerial(), null);
    if (!out.isEmpty()) {
      broadcast(channel, seq, pmId, c.id, now, out);
    }
  }

  private ErrorInfo check(ServerConnection c, ProtocolMessage pm) {
    String name = pm.channel();
    if (name == null || name.isEmpty()) {
      return ErrorInfo.of(ErrorCode.INVALID_CHANNEL_NAME, "channel name is empty");
    }
    if (!c.capability.allows(name, "presence")) {
      return ErrorInfo.of(
          ErrorCode.OPERATION_NOT_PERMITTED, "Unable to perform channel operation (presence)");
    }
    for (PresenceMessage p : pm.presence()) {
      String clientId = p.clientId() != null ? p.clientId() : c.clientId;
      if (clientId == null || clientId.equals("*")) {
        return ErrorInfo.of(
            ErrorCode.PRESENCE_CLIENT_ID_REQUIRED, "presence needs an identified clientId");
      }
      if (p.clientId() != null && c.isIdentified() && !p.clientId().equals(c.clientId)) {
        return ErrorInfo.of(
            ErrorCode.INVALID_CLIENT_ID, "mismatched clientId " + p.clientId() + " on presence");
      }
    }
    return null;
  }

  private void broadcast(
      ServerChannel channel, long seq, String pmId, String connectionId, long now,
      List<PresenceMessage> events) {
    ProtocolMessage outbound =
        ProtocolMessage.builder(Action.PRESENCE)
            .id(pmId)
            .connectionId(connectionId)
            .channel(channel.name)
            .channelSerial(server.router.serial(seq))
            .timestampMillis(now)
            .presence(events)
            .build();
    server.router.deliver(channel, channel.append(seq, outbound));
  }

  /** Sends the channel's members as SYNC pages with cursors {@code seq:cursor}, last {@code seq:}. */
  void sendSync(ServerConnection c, String name) {
    ServerChannel channel = name == null ? null : server.channels.get(name);
    if (channel == null || c.transport == null) {
      return;
    }
    List<PresenceMessage> members = new ArrayList<>(channel.members.values());
    String syncId = server.randomId(4);
    int pages = Math.max(1, (members.size() + SYNC_PAGE_SIZE - 1) / SYNC_PAGE_SIZE);
    for (int page = 0; page < pages; page++) {
      int from = page * SYNC_PAGE_SIZE;
      List<PresenceMessage> slice = members.subList(from, Math.min(members.size(), from + SYNC_PAGE_SIZE));
      String cursor = page == pages - 1 ? "" : Integer.toString(from + SYNC_PAGE_SIZE);
      c.transport.send(
          ProtocolMessage.builder(Action.SYNC)
              .channel(name)
              .channelSerial(syncId + ":" + cursor)
              .presence(slice)
              .build());
    }
  }

  /** Sends a fresh SYNC to every connection attached to the channel (a forced re-sync). */
  void resyncAll(String name) {
    ServerChannel channel = server.channels.get(name);
    if (channel != null) {
      for (ServerConnection c : List.copyOf(channel.subscribers.keySet())) {
        sendSync(c, name);
      }
    }
  }

  /** Makes every member a connection entered leave, on every channel (close, or drop + delay). */
  void leaveAll(ServerConnection c) {
    long now = server.nowMillis();
    for (Map.Entry<String, Map<String, Boolean>> e : c.presenceClients.entrySet()) {
      ServerChannel channel = server.channels.get(e.getKey());
      if (channel == null) {
        continue;
      }
      List<PresenceMessage> leaves = new ArrayList<>();
      Iterator<String> clients = e.getValue().keySet().iterator();
      while (clients.hasNext()) {
        String clientId = clients.next();
        PresenceMessage member = channel.members.remove(c.id + ":" + clientId);
        if (member != null) {
          // A synthesized leave: its id does not start with the member's connectionId (RTP2b1).
          leaves.add(
              new PresenceMessage(
                  "leave-" + server.randomId(6) + ":0:0", PresenceAction.LEAVE, clientId, c.id,
                  member.data(), member.encoding(), null, now));
        }
      }
      if (!leaves.isEmpty()) {
        long seq = channel.nextSeq();
        broadcast(channel, seq, "leave-" + server.randomId(6), c.id, now, leaves);
      }
    }
    c.presenceClients.clear();
  }
}
