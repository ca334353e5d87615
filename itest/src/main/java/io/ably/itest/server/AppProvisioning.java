package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.itest.TestKey;
import io.ably.itest.server.ServerConductor.RefusedException;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.WireFormat;
import io.ably.wire.WireFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-app provisioning shaped like the public sandbox (PROTOCOL.md §8.7): {@code POST /apps}
 * creates an app with keys the server then accepts for REST and realtime, and present members from
 * the spec's presence fixtures; {@code DELETE /apps/{appId}} removes its keys. The request's
 * {@code limits} and namespace options are echoed but not enforced. State loop only.
 */
final class AppProvisioning {
  /**
   * An app this server provisioned.
   *
   * @param fixtureConnectionId the synthetic connection its presence fixtures belong to
   * @param fixtureChannels the channels holding those members
   */
  private record App(String fixtureConnectionId, List<String> fixtureChannels) {}

  private final ServerConductor server;
  /** Provisioned apps by app id. */
  private final Map<String, App> apps = new HashMap<>();

  AppProvisioning(ServerConductor server) {
    this.server = server;
  }

  /** {@code POST /apps}: 201 with the app, its keys and where the server listens. */
  RestResponse create(RestRequest r) throws RefusedException {
    Map<String, Object> spec =
        RestFormat.readObject(RestFormat.requestFormat(r.contentType()), r.body());
    String appId = server.randomId(6);
    String accountId = server.randomId(6);
    long now = server.nowMillis();
    List<Object> keySpecs = list(spec.get("keys"), "keys");
    if (keySpecs.isEmpty()) {
      keySpecs = List.of(Map.of());
    }
    List<TestKey> keys = new ArrayList<>();
    List<Object> keysOut = new ArrayList<>();
    for (Object o : keySpecs) {
      Map<?, ?> keySpec = map(o, "keys[]");
      Object cap = keySpec.get("capability");
      String capability =
          cap == null ? Capability.ALL_JSON
              : cap instanceof String s ? s
              : com.alibaba.fastjson2.JSON.toJSONString(cap);
      Capability.parse(capability); // 40000 for an invalid capability, before anything is kept
      String keyId = server.randomId(4);
      TestKey key = new TestKey(appId + "." + keyId, server.randomId(24), capability);
      keys.add(key);
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("id", keyId);
      k.put("value", key.keySecret());
      k.put("keyName", key.keyName());
      k.put("keySecret", key.keySecret());
      k.put("keyStr", key.keyStr());
      k.put("capability", capability);
      k.put("status", 0);
      k.put("created", now);
      k.put("modified", now);
      if (keySpec.get("revocableTokens") != null) {
        k.put("revocableTokens", keySpec.get("revocableTokens"));
      }
      keysOut.add(k);
    }
    List<Object> namespaces = list(spec.get("namespaces"), "namespaces");
    List<Object> channels = list(spec.get("channels"), "channels");
    String fixtureConnectionId = "fixtures-" + appId;
    Map<String, List<PresenceMessage>> fixtures = presenceFixtures(channels, fixtureConnectionId, now);

    keys.forEach(server::addKey);
    for (Map.Entry<String, List<PresenceMessage>> e : fixtures.entrySet()) {
      ServerChannel channel = server.channel(e.getKey());
      for (PresenceMessage m : e.getValue()) {
        channel.members.put(m.memberKey(), m);
      }
    }
    apps.put(appId, new App(fixtureConnectionId, List.copyOf(fixtures.keySet())));

    Map<String, Object> app = new LinkedHashMap<>();
    app.put("appId", appId);
    app.put("accountId", accountId);
    app.put("id", accountId + ":" + appId);
    app.put("status", 0);
    app.put("created", now);
    app.put("modified", now);
    app.put("tlsOnly", false);
    app.put("keys", keysOut);
    app.put("namespaces", namespaces);
    app.put("channels", channels);
    app.put("connections", List.of());
    app.put("endpoint", r.host());
    app.put("port", r.port());
    app.put("tls", false);
    return RestResponse.of(201, WireFormat.JSON, app);
  }

  /**
   * The members of every {@code channels[].presence} list, as PRESENT members of one synthetic
   * connection; their data is normalised as if it had arrived over JSON (an outer {@code base64}
   * becomes binary).
   */
  private static Map<String, List<PresenceMessage>> presenceFixtures(
      List<Object> channels, String connectionId, long now) throws RefusedException {
    Map<String, List<PresenceMessage>> out = new LinkedHashMap<>();
    for (Object o : channels) {
      Map<?, ?> channel = map(o, "channels[]");
      if (!(channel.get("name") instanceof String name) || name.isEmpty()) {
        throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "channels[].name is required");
      }
      List<Object> wire = new ArrayList<>();
      int index = 0;
      for (Object p : list(channel.get("presence"), "channels[].presence")) {
        Map<?, ?> fixture = map(p, "channels[].presence[]");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", connectionId + ":0:" + index++);
        m.put("action", PresenceAction.PRESENT.wireValue());
        m.put("clientId", fixture.get("clientId"));
        m.put("connectionId", connectionId);
        m.put("data", fixture.get("data"));
        m.put("encoding", fixture.get("encoding"));
        m.put("timestamp", now);
        m.values().removeIf(v -> v == null);
        wire.add(m);
      }
      if (wire.isEmpty()) {
        continue;
      }
      try {
        List<PresenceMessage> members =
            ProtocolCodec.of(WireFormat.JSON)
                .decodePresence(RestFormat.write(WireFormat.JSON, wire));
        for (PresenceMessage m : members) {
          if (m.clientId() == null) {
            throw Credentials.refused(
                ErrorCode.INVALID_REQUEST_BODY, "a presence fixture needs a clientId");
          }
        }
        out.computeIfAbsent(name, n -> new ArrayList<>()).addAll(members);
      } catch (WireFormatException e) {
        throw Credentials.refused(
            ErrorCode.INVALID_REQUEST_BODY, "invalid presence fixture: " + e.getMessage());
      }
    }
    return out;
  }

  /** {@code DELETE /apps/{appId}} with a key of that app: its keys and fixtures go; 204. */
  RestResponse delete(Credentials credentials, String appId) throws RefusedException {
    App app = apps.get(appId);
    if (app == null) {
      throw Credentials.refused(ErrorCode.NOT_FOUND, "no provisioned app " + appId);
    }
    if (credentials.token() != null
        || !ServerConductor.appIdOf(credentials.keyName()).equals(appId)) {
      throw Credentials.refused(
          ErrorCode.OPERATION_NOT_PERMITTED, "deleting an app needs basic auth with one of its keys");
    }
    apps.remove(appId);
    server.removeKeys(appId);
    for (String name : app.fixtureChannels()) {
      ServerChannel channel = server.channels.get(name);
      if (channel != null) {
        channel.members.values().removeIf(m -> app.fixtureConnectionId().equals(m.connectionId()));
      }
    }
    return RestResponse.empty(204);
  }

  private static List<Object> list(Object value, String field) throws RefusedException {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l)) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, field + " must be an array");
    }
    return new ArrayList<>(l);
  }

  private static Map<?, ?> map(Object value, String field) throws RefusedException {
    if (!(value instanceof Map<?, ?> m)) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, field + " must be an object");
    }
    return m;
  }
}
