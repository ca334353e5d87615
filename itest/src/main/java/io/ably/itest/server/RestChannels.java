package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import io.ably.itest.server.ServerConductor.RefusedException;
import io.ably.wire.Flag;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.WireFormat;
import io.ably.wire.WireFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel endpoints of REST (PROTOCOL.md §8.2): publish, message and presence history,
 * current presence and channel details. State loop only.
 */
final class RestChannels {
  private final ServerConductor server;

  RestChannels(ServerConductor server) {
    this.server = server;
  }

  /**
   * {@code POST /channels/{ch}/messages} (RSL1): one message or an array, published like a realtime
   * publish and fanned out to realtime subscribers. A retry whose messages all carry ids already
   * published on the channel is not published again (RSL1k4). 201 with the serials (RSL1n).
   */
  RestResponse publish(RestRequest r, Credentials credentials, String name) throws RefusedException {
    List<Message> messages = decodeMessages(r);
    return RestResponse.of(201, RestFormat.responseFormat(r.accept()), publishTo(credentials, name, messages));
  }

  /** Publishes on one channel: {@code {channel, messageId, serials}}, or refused. */
  private Map<String, Object> publishTo(Credentials credentials, String name, List<Message> messages)
      throws RefusedException {
    String identified = RestAuth.identifiedClientId(credentials);
    ErrorInfo refusal = server.router.checkPublish(credentials.capability(), identified, name, messages);
    if (refusal != null) {
      throw new RefusedException(refusal);
    }
    // A REST publish has no connection unless it publishes on behalf of one (TM2h).
    String connectionId = onBehalfOf(messages);
    String appId = ServerConductor.appIdOf(credentials.keyName());
    server.stats.messages(appId, true, "rest", false, messages.size(), server.nowMillis());
    ServerChannel channel = server.channel(name);
    List<String> serials = channel.serialsOfRepublished(messages);
    String pmId;
    if (serials == null) {
      String requestId = "rest-" + server.randomId(6);
      if (connectionId == null) {
        connectionId = requestId;
      }
      pmId = requestId + ":0";
      ChannelRouter.Publication p =
          server.router.append(channel, pmId, connectionId, identified, messages);
      serials = p.serials();
      server.router.deliver(channel, p.entry());
    } else {
      pmId = commonIdPrefix(messages);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("channel", name);
    result.put("messageId", pmId);
    result.put("serials", serials);
    return result;
  }

  /**
   * {@code POST /messages} (RSC22c): one BatchPublishSpec {@code {channels, messages}} or an array
   * of them; each channel is published to as by {@link #publish}, and refused on its own. One
   * BatchResult {@code {successCount, failureCount, results}} per spec (BAR2; a result is {@code
   * {channel, messageId, serials}} or {@code {channel, error}}), an array if the request was one.
   */
  RestResponse batchPublish(RestRequest r, Credentials credentials) throws RefusedException {
    WireFormat format = RestFormat.requestFormat(r.contentType());
    Object tree = RestFormat.read(format, r.body());
    boolean array = tree instanceof List<?>;
    List<?> specs = array ? (List<?>) tree : List.of(tree);
    if (specs.isEmpty()) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "no batch publish specs");
    }
    List<Object> out = new ArrayList<>(specs.size());
    for (Object spec : specs) {
      if (!(spec instanceof Map<?, ?> m)
          || !(m.get("channels") instanceof List<?> channels)
          || channels.isEmpty()
          || m.get("messages") == null) {
        throw Credentials.refused(
            ErrorCode.INVALID_REQUEST_BODY, "a batch publish spec needs channels and messages");
      }
      Object ms = m.get("messages");
      byte[] encoded = RestFormat.write(format, ms instanceof List<?> ? ms : List.of(ms));
      List<Message> messages;
      try {
        messages = ProtocolCodec.of(format).decodeMessages(encoded);
      } catch (WireFormatException e) {
        throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "invalid messages: " + e.getMessage());
      }
      if (messages.isEmpty()) {
        throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "no messages to publish");
      }
      List<Object> results = new ArrayList<>(channels.size());
      int failures = 0;
      for (Object c : channels) {
        String channel = String.valueOf(c);
        try {
          RestAuth.require(credentials, channel, "publish");
          results.add(publishTo(credentials, channel, messages));
        } catch (RefusedException e) {
          failures++;
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("message", e.error.message());
          error.put("code", e.error.code());
          error.put("statusCode", e.error.statusCode());
          Map<String, Object> failed = new LinkedHashMap<>();
          failed.put("channel", channel);
          failed.put("error", error);
          results.add(failed);
        }
      }
      Map<String, Object> batch = new LinkedHashMap<>();
      batch.put("successCount", results.size() - failures);
      batch.put("failureCount", failures);
      batch.put("results", results);
      out.add(batch);
    }
    return RestResponse.of(201, RestFormat.responseFormat(r.accept()), array ? out : out.get(0));
  }

  private static List<Message> decodeMessages(RestRequest r) throws RefusedException {
    WireFormat format = RestFormat.requestFormat(r.contentType());
    ProtocolCodec codec = ProtocolCodec.of(format);
    byte[] body = r.body();
    List<Message> messages;
    try {
      messages = isArray(format, body) ? codec.decodeMessages(body) : List.of(codec.decodeMessage(body));
    } catch (WireFormatException e) {
      throw Credentials.refused(
          ErrorCode.INVALID_REQUEST_BODY, "invalid messages: " + e.getMessage());
    }
    if (messages.isEmpty()) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "no messages to publish");
    }
    return messages;
  }

  /** Whether a body holds an array (several messages) rather than one message. */
  private static boolean isArray(WireFormat format, byte[] body) throws RefusedException {
    if (format == WireFormat.MSGPACK) {
      if (body.length == 0) {
        throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "the request has no body");
      }
      int b = body[0] & 0xff;
      return (b >= 0x90 && b <= 0x9f) || b == 0xdc || b == 0xdd;
    }
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '[';
      }
    }
    throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "the request has no body");
  }

  /** The connection messages are published on behalf of (TM2h), or {@code null}. */
  private String onBehalfOf(List<Message> messages) throws RefusedException {
    String key = null;
    for (Message m : messages) {
      if (m.connectionKey() != null) {
        if (key != null && !key.equals(m.connectionKey())) {
          throw Credentials.refused(
              ErrorCode.INVALID_CONNECTION_ID, "messages name different connection keys");
        }
        key = m.connectionKey();
      }
    }
    if (key == null) {
      return null;
    }
    ServerConnection c = server.connectionByKey(key);
    if (c == null) {
      throw Credentials.refused(ErrorCode.INVALID_CONNECTION_ID, "no connection with key " + key);
    }
    return c.id;
  }

  /** The {@code base} of idempotent ids {@code base:index}, or the first id. */
  private static String commonIdPrefix(List<Message> messages) {
    String id = messages.get(0).id();
    int colon = id.lastIndexOf(':');
    return colon > 0 ? id.substring(0, colon) : id;
  }

  /** {@code GET /channels/{ch}/messages} and {@code …/history} (RSL2). */
  RestResponse history(RestRequest r, String name, String word) throws RefusedException {
    HistoryQuery q = HistoryQuery.parse(r, server.router, true);
    ServerChannel channel = server.channels.get(name);
    List<HistoryQuery.Item<Message>> items = channel == null ? List.of() : q.messages(channel);
    Paging.Page<HistoryQuery.Item<Message>> page = q.select(items, server.epoch);
    List<Message> out = new ArrayList<>(page.items().size());
    page.items().forEach(i -> out.add(i.item()));
    WireFormat format = RestFormat.responseFormat(r.accept());
    RestResponse res = RestResponse.encoded(200, format, ProtocolCodec.of(format).encodeMessages(out));
    q.links(res, word, page);
    return res;
  }

  /** {@code GET /channels/{ch}/presence/history} (RSP4). */
  RestResponse presenceHistory(RestRequest r, String name) throws RefusedException {
    HistoryQuery q = HistoryQuery.parse(r, server.router, false);
    ServerChannel channel = server.channels.get(name);
    List<HistoryQuery.Item<PresenceMessage>> items =
        channel == null ? List.of() : q.presence(channel);
    Paging.Page<HistoryQuery.Item<PresenceMessage>> page = q.select(items, server.epoch);
    List<PresenceMessage> out = new ArrayList<>(page.items().size());
    page.items().forEach(i -> out.add(i.item()));
    WireFormat format = RestFormat.responseFormat(r.accept());
    RestResponse res = RestResponse.encoded(200, format, ProtocolCodec.of(format).encodePresence(out));
    q.links(res, "history", page);
    return res;
  }

  /** {@code GET /channels/{ch}/presence} (RSP3): current members as PRESENT, filtered, paged. */
  RestResponse presence(RestRequest r, String name) throws RefusedException {
    int limit = Paging.limit(r);
    String clientId = r.param("clientId");
    String connectionId = r.param("connectionId");
    ServerChannel channel = server.channels.get(name);
    List<PresenceMessage> members = new ArrayList<>();
    if (channel != null) {
      for (PresenceMessage m : channel.members.values()) {
        if ((clientId == null || clientId.equals(m.clientId()))
            && (connectionId == null || connectionId.equals(m.connectionId()))) {
          members.add(m);
        }
      }
    }
    // Members in map order; a cursor is the index of a page's last member.
    List<Integer> indexes = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      indexes.add(i);
    }
    Paging.Page<Integer> page =
        Paging.page(
            indexes, i -> new Paging.Position(i, 0), false, limit, r.param(Paging.CURSOR),
            server.epoch);
    List<PresenceMessage> out = new ArrayList<>(page.items().size());
    page.items().forEach(i -> out.add(members.get(i)));
    WireFormat format = RestFormat.responseFormat(r.accept());
    RestResponse res = RestResponse.encoded(200, format, ProtocolCodec.of(format).encodePresence(out));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("limit", Integer.toString(limit));
    params.put("clientId", clientId);
    params.put("connectionId", connectionId);
    Paging.links(res, "presence", params, r.param(Paging.CURSOR), page);
    return res;
  }

  /** {@code GET /channels/{ch}} (RSL8): ChannelDetails with the occupancy metrics. */
  RestResponse details(RestRequest r, String name) {
    ServerChannel channel = server.channels.get(name);
    int connections = 0;
    int publishers = 0;
    int subscribers = 0;
    int presenceConnections = 0;
    int presenceSubscribers = 0;
    int presenceMembers = 0;
    if (channel != null) {
      for (Map.Entry<ServerConnection, Integer> e : channel.subscribers.entrySet()) {
        if (e.getKey().transport == null) {
          continue;
        }
        int modes = e.getValue();
        connections++;
        publishers += Flag.PUBLISH.isSet(modes) ? 1 : 0;
        subscribers += Flag.SUBSCRIBE.isSet(modes) ? 1 : 0;
        presenceConnections += Flag.PRESENCE.isSet(modes) ? 1 : 0;
        presenceSubscribers += Flag.PRESENCE_SUBSCRIBE.isSet(modes) ? 1 : 0;
      }
      presenceMembers = channel.members.size();
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("connections", connections);
    metrics.put("publishers", publishers);
    metrics.put("subscribers", subscribers);
    metrics.put("presenceConnections", presenceConnections);
    metrics.put("presenceMembers", presenceMembers);
    metrics.put("presenceSubscribers", presenceSubscribers);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("isActive", connections > 0 || presenceMembers > 0);
    status.put("occupancy", Map.of("metrics", metrics));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("channelId", name);
    details.put("name", name);
    details.put("status", status);
    return RestResponse.of(200, RestFormat.responseFormat(r.accept()), details);
  }
}
