package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.itest.AblyTestServer;
import io.ably.itest.TestKey;
import io.ably.wire.Action;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueType;

/** The testkit server's REST endpoints (PROTOCOL.md §8), driven by java.net.http. */
class TestkitRestIT {
  private static final String KEY = AblyTestServer.DEFAULT_KEY;
  private static final String KEY_NAME = "testapp.key1";
  private static final String SECRET = "testsecret1";
  private static final String SUBSCRIBE_ONLY = "testapp.sub:subsecret";
  private static final String JSON_TYPE = "application/json";
  private static final String MSGPACK_TYPE = "application/x-msgpack";
  private static final Pattern LINK = Pattern.compile("<\\./(\\w+)\\?([^>]*)>; rel=\"(\\w+)\"");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(RawClient.TIMEOUT)
          .build();
  private AblyTestServer server;

  @BeforeEach
  void start() {
    server =
        AblyTestServer.builder()
            .key(KEY)
            .key(new TestKey("testapp.sub", "subsecret", "{\"*\":[\"subscribe\"]}"))
            .maxMessageSize(2000)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ------------------------------------------------------------------------------------------
  // HTTP helpers
  // ------------------------------------------------------------------------------------------

  /** A response: status, headers, body. */
  record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {
    JSONObject json() {
      return JSON.parseObject(new String(body, StandardCharsets.UTF_8));
    }

    JSONArray jsonArray() {
      return JSON.parseArray(new String(body, StandardCharsets.UTF_8));
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The Link targets by relation, each as the word and query of {@code <./word?query>}. */
    Map<String, String[]> links() {
      Map<String, String[]> out = new HashMap<>();
      for (String value : headers.allValues("link")) {
        Matcher m = LINK.matcher(value);
        assertTrue(m.matches(), "one relation per Link line in ./word?query form: " + value);
        out.put(m.group(3), new String[] {m.group(1), m.group(2)});
      }
      return out;
    }

    void assertError(int code, int statusCode) {
      assertEquals(statusCode, status, () -> new String(body, StandardCharsets.UTF_8));
      JSONObject error = json().getJSONObject("error");
      assertEquals(code, error.getIntValue("code"));
      assertEquals(statusCode, error.getIntValue("statusCode"));
      assertNotNull(error.getString("message"));
      assertEquals("https://help.ably.io/error/" + code, error.getString("href"));
      assertEquals(Integer.toString(code), header("X-Ably-Errorcode"));
      assertNotNull(header("X-Ably-Errormessage"));
    }
  }

  private Reply send(String method, String path, String authorization, String accept,
      String contentType, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(RawClient.TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(res.statusCode(), res.headers(), res.body());
  }

  private static String basic(String keyStr) {
    return "Basic " + Base64.getEncoder().encodeToString(keyStr.getBytes(StandardCharsets.UTF_8));
  }

  private static String bearer(String token) {
    return "Bearer " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  private Reply get(String path, String keyStr) throws Exception {
    return send("GET", path, basic(keyStr), JSON_TYPE, null, null);
  }

  private Reply publishJson(String channel, String json) throws Exception {
    return send("POST", "/channels/" + channel + "/messages", basic(KEY), JSON_TYPE, JSON_TYPE,
        json.getBytes(StandardCharsets.UTF_8));
  }

  /** The signed TokenRequest of PROTOCOL.md §7.3, computed here independently of the server. */
  private static JSONObject tokenRequest(
      String keyName, String secret, Long ttl, String capability, String clientId, long timestamp,
      String nonce) throws Exception {
    String text = keyName + "\n" + (ttl == null ? "" : ttl) + "\n" + (capability == null ? "" : capability)
        + "\n" + (clientId == null ? "" : clientId) + "\n" + timestamp + "\n" + nonce + "\n";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    JSONObject request = new JSONObject();
    request.put("keyName", keyName);
    if (ttl != null) {
      request.put("ttl", ttl);
    }
    if (capability != null) {
      request.put("capability", capability);
    }
    if (clientId != null) {
      request.put("clientId", clientId);
    }
    request.put("timestamp", timestamp);
    request.put("nonce", nonce);
    request.put("mac", Base64.getEncoder().encodeToString(
        mac.doFinal(text.getBytes(StandardCharsets.UTF_8))));
    return request;
  }

  private Reply requestToken(JSONObject tokenRequest) throws Exception {
    return send("POST", "/keys/" + tokenRequest.getString("keyName") + "/requestToken", null,
        JSON_TYPE, JSON_TYPE, tokenRequest.toJSONString().getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------------------------------
  // Time and tokens
  // ------------------------------------------------------------------------------------------

  @Test
  void timeIsAOneElementArrayOfServerMillisWithoutCredentialsRSC16() throws Exception {
    long before = System.currentTimeMillis();
    Reply reply = send("GET", "/time", null, null, null, null);
    assertEquals(200, reply.status());
    assertTrue(reply.header("Content-Type").startsWith(JSON_TYPE));
    JSONArray time = reply.jsonArray();
    assertEquals(1, time.size());
    long millis = time.getLongValue(0);
    assertTrue(millis >= before && millis <= System.currentTimeMillis(), "time " + millis);
  }

  @Test
  void aSignedTokenRequestGetsATokenUsableForRealtimeAndRestRSA8() throws Exception {
    long now = System.currentTimeMillis();
    String capability = "{\"chat\":[\"publish\",\"subscribe\",\"history\"]}";
    Reply reply = requestToken(
        tokenRequest(KEY_NAME, SECRET, 60_000L, capability, "bob", now, "1234567890123456"));
    assertEquals(200, reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
    JSONObject details = reply.json();
    String token = details.getString("token");
    assertNotNull(token);
    assertEquals(KEY_NAME, details.getString("keyName"));
    assertEquals(capability, details.getString("capability"));
    assertEquals("bob", details.getString("clientId"));
    assertEquals(60_000L, details.getLongValue("expires") - details.getLongValue("issued"));

    String query = "accessToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    try (RawClient c = RawClient.connect(server.port(), query, WireFormat.JSON)) {
      ProtocolMessage connected = c.await(pm -> pm.action() == Action.CONNECTED || pm.action() == Action.ERROR);
      assertEquals(Action.CONNECTED, connected.action(), String.valueOf(connected.error()));
      assertEquals("bob", connected.connectionDetails().clientId());
    }
    Reply history = send("GET", "/channels/chat/messages", bearer(token), JSON_TYPE, null, null);
    assertEquals(200, history.status());
    assertEquals(0, history.jsonArray().size());
    Reply denied = send("GET", "/channels/other/messages", bearer(token), JSON_TYPE, null, null);
    denied.assertError(40160, 401);
  }

  @Test
  void aTokenRequestWithABadMacIsRefusedWith40101() throws Exception {
    JSONObject request =
        tokenRequest(KEY_NAME, "not-the-secret", null, null, null, System.currentTimeMillis(),
            "abcdefghijklmnop");
    requestToken(request).assertError(40101, 401);
    // A field changed after signing breaks the MAC too: the signed text is the fields verbatim.
    JSONObject signed =
        tokenRequest(KEY_NAME, SECRET, null, null, "alice", System.currentTimeMillis(),
            "abcdefghijklmnoq");
    signed.put("clientId", "mallory");
    requestToken(signed).assertError(40101, 401);
  }

  @Test
  void aReplayedNonceIsRefusedWith40105() throws Exception {
    long now = System.currentTimeMillis();
    JSONObject request = tokenRequest(KEY_NAME, SECRET, null, null, null, now, "0000111122223333");
    assertEquals(200, requestToken(request).status());
    requestToken(request).assertError(40105, 401);
  }

  @Test
  void aTimestampMoreThanTenMinutesOffIsRefusedWith40104() throws Exception {
    long stale = System.currentTimeMillis() - Duration.ofMinutes(11).toMillis();
    requestToken(tokenRequest(KEY_NAME, SECRET, null, null, null, stale, "9999888877776666"))
        .assertError(40104, 401);
    long future = System.currentTimeMillis() + Duration.ofMinutes(11).toMillis();
    requestToken(tokenRequest(KEY_NAME, SECRET, null, null, null, future, "9999888877776667"))
        .assertError(40104, 401);
  }

  @Test
  void aTokenMayNotExceedTheKeysCapabilityAndDefaultsToTheKeysCapabilityAndTtl() throws Exception {
    long now = System.currentTimeMillis();
    requestToken(tokenRequest("testapp.sub", "subsecret", null, "{\"*\":[\"publish\"]}", null, now,
        "aaaabbbbccccdddd")).assertError(40160, 401);
    JSONObject details = requestToken(
        tokenRequest("testapp.sub", "subsecret", null, null, null, now, "aaaabbbbccccddde")).json();
    assertEquals("{\"*\":[\"subscribe\"]}", details.getString("capability"));
    assertEquals(Duration.ofHours(1).toMillis(),
        details.getLongValue("expires") - details.getLongValue("issued"));
    assertFalse(details.containsKey("clientId"));
  }

  @Test
  void tokenParamsWithBasicAuthAreExchangedWithoutAMac() throws Exception {
    Reply reply = send("POST", "/keys/" + KEY_NAME + "/requestToken", basic(KEY), JSON_TYPE,
        JSON_TYPE, "{\"clientId\":\"carol\",\"ttl\":5000}".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, reply.status());
    assertEquals("carol", reply.json().getString("clientId"));
    send("POST", "/keys/" + KEY_NAME + "/requestToken", null, JSON_TYPE, JSON_TYPE,
        "{\"clientId\":\"carol\"}".getBytes(StandardCharsets.UTF_8)).assertError(40101, 401);
  }

  @Test
  void aTokenErrorIs401WithAStaleChallengeForAblyJavaRSA4b() throws Exception {
    Reply unknown = send("GET", "/channels/x/messages", bearer("testapp.nosuchtoken"), JSON_TYPE, null, null);
    unknown.assertError(40143, 401);
    assertEquals("x-ably-token realm=\"ably\", stale=\"true\"", unknown.header("WWW-Authenticate"));

    String token = requestToken(tokenRequest(KEY_NAME, SECRET, null, null, null,
        System.currentTimeMillis(), "expire0123456789")).json().getString("token");
    assertEquals(200, send("GET", "/channels/x/messages", bearer(token), JSON_TYPE, null, null).status());
    server.faults().expireTokens();
    Reply expired = send("GET", "/channels/x/messages", bearer(token), JSON_TYPE, null, null);
    expired.assertError(40142, 401);
    assertTrue(expired.header("WWW-Authenticate").contains("stale"));
    Reply noCredentials = send("GET", "/channels/x/messages", null, JSON_TYPE, null, null);
    noCredentials.assertError(40101, 401);
    assertNull(noCredentials.header("WWW-Authenticate"), "not a token error");
  }

  // ------------------------------------------------------------------------------------------
  // Publish and history
  // ------------------------------------------------------------------------------------------

  @Test
  void publishInJsonAndMsgpackThenHistoryInBothFormatsTranscodesBinaryRSL1RSL2() throws Exception {
    Reply json = publishJson("mixed",
        "[{\"name\":\"j-bin\",\"data\":\"AQID\",\"encoding\":\"base64\"},{\"name\":\"j-text\",\"data\":\"hi\"}]");
    assertEquals(201, json.status());
    assertEquals("mixed", json.json().getString("channel"));
    assertEquals(2, json.json().getJSONArray("serials").size());

    byte[] msgpackBody = ProtocolCodec.of(WireFormat.MSGPACK)
        .encodeMessage(Message.of("m-bin", MessageData.binary(new byte[] {4, 5, 6})));
    Reply msgpack = send("POST", "/channels/mixed/messages", basic(KEY), MSGPACK_TYPE,
        MSGPACK_TYPE, msgpackBody);
    assertEquals(201, msgpack.status());
    assertEquals(MSGPACK_TYPE, msgpack.header("Content-Type"));
    Map<String, Value> result = msgpackMap(MessagePack.newDefaultUnpacker(msgpack.body()).unpackValue());
    assertEquals(1, result.get("serials").asArrayValue().size());

    // JSON history: newest first, binary as base64 with "base64" appended (RSL4d1).
    JSONArray history = get("/channels/mixed/messages", KEY).jsonArray();
    assertEquals(List.of("m-bin", "j-text", "j-bin"),
        history.stream().map(o -> ((JSONObject) o).getString("name")).toList());
    JSONObject mBin = history.getJSONObject(0);
    assertEquals("BAUG", mBin.getString("data"));
    assertEquals("base64", mBin.getString("encoding"));
    assertEquals("AQID", history.getJSONObject(2).getString("data"));
    assertEquals("base64", history.getJSONObject(2).getString("encoding"));
    assertEquals("hi", history.getJSONObject(1).getString("data"));
    assertNull(history.getJSONObject(1).getString("encoding"));
    for (Object o : history) {
      JSONObject m = (JSONObject) o;
      for (String field : List.of("id", "timestamp", "connectionId", "serial")) {
        assertNotNull(m.get(field), field + " in " + m);
      }
    }
    assertEquals(json.json().getJSONArray("serials").get(0), history.getJSONObject(2).getString("serial"));

    // MessagePack history: binary as bin, no encoding left (RSL4c1).
    Reply packed = send("GET", "/channels/mixed/messages?direction=forwards", basic(KEY),
        MSGPACK_TYPE + "," + JSON_TYPE, null, null);
    assertEquals(MSGPACK_TYPE, packed.header("Content-Type"));
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(packed.body())) {
      List<Value> messages = u.unpackValue().asArrayValue().list();
      Map<String, Value> first = msgpackMap(messages.get(0));
      assertEquals("j-bin", first.get("name").asStringValue().asString());
      assertEquals(ValueType.BINARY, first.get("data").getValueType());
      assertArrayEquals(new byte[] {1, 2, 3}, first.get("data").asBinaryValue().asByteArray());
      assertNull(first.get("encoding"));
    }
    List<Message> decoded = ProtocolCodec.of(WireFormat.MSGPACK).decodeMessages(packed.body());
    assertEquals(MessageData.binary(new byte[] {4, 5, 6}), decoded.get(2).data());
  }

  private static Map<String, Value> msgpackMap(Value value) {
    Map<String, Value> out = new HashMap<>();
    value.asMapValue().map().forEach((k, v) -> out.put(k.asStringValue().asString(), v));
    return out;
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void aRestPublishReachesARealtimeSubscriber(WireFormat format) throws Exception {
    try (RawClient sub = RawClient.connect(server.port(), "key=" + KEY.replace(":", "%3A"), format)) {
      sub.await(pm -> pm.action() == Action.CONNECTED);
      sub.send(ProtocolMessage.builder(Action.ATTACH).channel("fan").build());
      sub.await(pm -> pm.action() == Action.ATTACHED);
      Reply reply = publishJson("fan", "{\"name\":\"rest\",\"data\":\"AAEC\",\"encoding\":\"base64\"}");
      assertEquals(201, reply.status());
      ProtocolMessage delivered = sub.await(pm -> pm.action() == Action.MESSAGE);
      assertEquals("fan", delivered.channel());
      assertNotNull(delivered.id());
      assertNotNull(delivered.connectionId());
      assertNotNull(delivered.channelSerial());
      assertNotNull(delivered.timestampMillis());
      Message m = delivered.messages().get(0);
      assertEquals("rest", m.name());
      assertEquals(MessageData.binary(new byte[] {0, 1, 2}), m.data());
      assertEquals(reply.json().getJSONArray("serials").get(0), m.serial());
    }
  }

  @Test
  void historyPaginatesAcrossThreePagesFollowingLinkNextRSL2TG() throws Exception {
    publishJson("pages", "[{\"name\":\"m0\"},{\"name\":\"m1\"},{\"name\":\"m2\"},{\"name\":\"m3\"}]");
    for (int i = 4; i < 7; i++) {
      assertEquals(201, publishJson("pages", "{\"name\":\"m" + i + "\"}").status());
    }
    for (String word : List.of("messages", "history")) {
      List<List<String>> pages = new ArrayList<>();
      String query = "limit=3";
      while (query != null) {
        Reply page = get("/channels/pages/" + word + "?" + query, KEY);
        assertEquals(200, page.status());
        pages.add(page.jsonArray().stream().map(o -> ((JSONObject) o).getString("name")).toList());
        Map<String, String[]> links = page.links();
        assertEquals(word, links.get("first")[0], "the link word matches the path used");
        assertEquals(word, links.get("current")[0]);
        query = links.containsKey("next") ? links.get("next")[1] : null;
        assertTrue(pages.size() <= 3, "more pages than expected: " + pages);
      }
      assertEquals(
          List.of(List.of("m6", "m5", "m4"), List.of("m3", "m2", "m1"), List.of("m0")), pages);
    }
    Reply forwards = get("/channels/pages/messages?limit=4&direction=forwards", KEY);
    assertEquals(List.of("m0", "m1", "m2", "m3"),
        forwards.jsonArray().stream().map(o -> ((JSONObject) o).getString("name")).toList());
    String next = forwards.links().get("next")[1];
    assertEquals(List.of("m4", "m5", "m6"), get("/channels/pages/messages?" + next, KEY).jsonArray()
        .stream().map(o -> ((JSONObject) o).getString("name")).toList());
    get("/channels/pages/messages?limit=3&cursor=bogus.1.0", KEY).assertError(40011, 400);
    get("/channels/pages/messages?limit=1001", KEY).assertError(40003, 400);
  }

  @Test
  void historyUntilAttachStopsAtTheAttachSerialRTL10b() throws Exception {
    publishJson("until", "{\"name\":\"before\"}");
    String attachSerial;
    try (RawClient c = RawClient.connect(server.port(), "key=" + KEY.replace(":", "%3A"), WireFormat.JSON)) {
      c.await(pm -> pm.action() == Action.CONNECTED);
      c.send(ProtocolMessage.builder(Action.ATTACH).channel("until").build());
      attachSerial = c.await(pm -> pm.action() == Action.ATTACHED).channelSerial();
    }
    publishJson("until", "{\"name\":\"after\"}");
    String serial = URLEncoder.encode(attachSerial, StandardCharsets.UTF_8);
    for (String param : List.of("fromSerial", "from_serial")) {
      JSONArray h = get("/channels/until/messages?" + param + "=" + serial, KEY).jsonArray();
      assertEquals(1, h.size());
      assertEquals("before", h.getJSONObject(0).getString("name"));
    }
    assertEquals(2, get("/channels/until/messages", KEY).jsonArray().size());
  }

  @Test
  void aRetriedPublishWithTheSameIdsIsNotPublishedTwiceRSL1k4() throws Exception {
    String body = "[{\"id\":\"idem:0\",\"name\":\"a\"},{\"id\":\"idem:1\",\"name\":\"b\"}]";
    Reply first = publishJson("idem", body);
    Reply retry = publishJson("idem", body);
    assertEquals(201, retry.status());
    assertEquals(first.json().getJSONArray("serials"), retry.json().getJSONArray("serials"));
    JSONArray history = get("/channels/idem/messages", KEY).jsonArray();
    assertEquals(2, history.size());
    assertEquals("idem:1", history.getJSONObject(0).getString("id"));
  }

  @Test
  void theClientIdOfXAblyClientIdIsStampedAndAnotherIsRefusedWith40012() throws Exception {
    String clientIdHeader = Base64.getEncoder().encodeToString("dave".getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/channels/who/messages"))
        .header("Authorization", basic(KEY))
        .header("X-Ably-ClientId", clientIdHeader)
        .header("Content-Type", JSON_TYPE)
        .timeout(RawClient.TIMEOUT);
    HttpResponse<String> ok = http.send(
        b.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"mine\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, ok.statusCode());
    HttpResponse<String> mismatch = http.send(
        b.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"clientId\":\"eve\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, mismatch.statusCode());
    assertEquals(40012, JSON.parseObject(mismatch.body()).getJSONObject("error").getIntValue("code"));
    JSONArray history = get("/channels/who/messages", KEY).jsonArray();
    assertEquals(1, history.size());
    assertEquals("dave", history.getJSONObject(0).getString("clientId"));
  }

  @Test
  void aPublishOverMaxMessageSizeIsRefusedWith40009() throws Exception {
    publishJson("big", "{\"name\":\"big\",\"data\":\"" + "x".repeat(2001) + "\"}").assertError(40009, 413);
    assertEquals(0, get("/channels/big/messages", KEY).jsonArray().size());
  }

  // ------------------------------------------------------------------------------------------
  // Presence, channel details, capabilities, errors, stats
  // ------------------------------------------------------------------------------------------

  @Test
  void presenceAfterARealtimeEnterIsListedAsPresentAndInPresenceHistoryRSP3RSP4() throws Exception {
    String query = "key=" + KEY.replace(":", "%3A") + "&clientId=alice";
    try (RawClient member = RawClient.connect(server.port(), query, WireFormat.MSGPACK)) {
      String connectionId = member.await(pm -> pm.action() == Action.CONNECTED).connectionId();
      member.send(ProtocolMessage.builder(Action.ATTACH).channel("room").build());
      member.await(pm -> pm.action() == Action.ATTACHED);
      member.send(ProtocolMessage.builder(Action.PRESENCE).channel("room").msgSerial(0L)
          .presence(List.of(PresenceMessage.of(PresenceAction.ENTER, null, MessageData.text("here"))))
          .build());
      member.await(pm -> pm.action() == Action.ACK);

      JSONArray present = get("/channels/room/presence", KEY).jsonArray();
      assertEquals(1, present.size());
      JSONObject alice = present.getJSONObject(0);
      assertEquals(PresenceAction.PRESENT.wireValue(), alice.getIntValue("action"));
      assertEquals("alice", alice.getString("clientId"));
      assertEquals(connectionId, alice.getString("connectionId"));
      assertEquals("here", alice.getString("data"));
      assertEquals(0, get("/channels/room/presence?clientId=bob", KEY).jsonArray().size());
      assertEquals(1, get("/channels/room/presence?connectionId=" + connectionId, KEY).jsonArray().size());

      Reply packed = send("GET", "/channels/room/presence/history", basic(KEY), MSGPACK_TYPE, null, null);
      List<PresenceMessage> events = ProtocolCodec.of(WireFormat.MSGPACK).decodePresence(packed.body());
      assertEquals(PresenceAction.ENTER, events.get(0).action());
      assertEquals("history", packed.links().get("first")[0]);

      JSONObject metrics = get("/channels/room", KEY).json().getJSONObject("status")
          .getJSONObject("occupancy").getJSONObject("metrics");
      assertEquals(1, metrics.getIntValue("connections"));
      assertEquals(1, metrics.getIntValue("presenceMembers"));
      assertEquals(1, metrics.getIntValue("publishers"));
      assertEquals(1, metrics.getIntValue("subscribers"));
      assertTrue(get("/channels/room", KEY).json().getJSONObject("status").getBooleanValue("isActive"));
    }
  }

  @Test
  void operationsTheCapabilityDeniesAreRefusedWith40160() throws Exception {
    send("POST", "/channels/ro/messages", basic(SUBSCRIBE_ONLY), JSON_TYPE, JSON_TYPE,
        "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)).assertError(40160, 401);
    get("/channels/ro/messages", SUBSCRIBE_ONLY).assertError(40160, 401);
    get("/stats", SUBSCRIBE_ONLY).assertError(40160, 401);
    assertEquals(200, get("/channels/ro/presence", SUBSCRIBE_ONLY).status());
  }

  @Test
  void errorsHaveTheAblyShapeInTheNegotiatedFormatAndNeverBreakTheServer() throws Exception {
    get("/no/such/thing", KEY).assertError(40400, 404);
    send("DELETE", "/channels/x/messages", basic(KEY), JSON_TYPE, null, null).assertError(40400, 404);
    publishJson("bad", "{\"name\":").assertError(40001, 400);
    get("/channels/x/messages", "testapp.key1:wrong").assertError(40101, 401);
    get("/channels/x/messages", "nosuch.key:secret").assertError(40400, 404);
    get("/channels/x/messages?direction=sideways", KEY).assertError(40003, 400);

    Reply packed = send("GET", "/no/such/thing", basic(KEY), MSGPACK_TYPE, null, null);
    assertEquals(404, packed.status());
    assertEquals(MSGPACK_TYPE, packed.header("Content-Type"));
    Map<String, Value> error = msgpackMap(
        msgpackMap(MessagePack.newDefaultUnpacker(packed.body()).unpackValue()).get("error"));
    assertEquals(40400, error.get("code").asIntegerValue().asInt());
    assertEquals(404, error.get("statusCode").asIntegerValue().asInt());

    // array32 claiming 2^31-1 elements
    byte[] hostile = {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    send("POST", "/channels/bad/messages", basic(KEY), JSON_TYPE, MSGPACK_TYPE, hostile)
        .assertError(40001, 400);
    send("POST", "/apps", null, JSON_TYPE, MSGPACK_TYPE, hostile).assertError(40001, 400);
    send("POST", "/channels/bad/messages", basic(KEY), JSON_TYPE, "text/plain",
        "x".getBytes(StandardCharsets.UTF_8)).assertError(40001, 400);
    assertEquals(200, send("GET", "/time", null, null, null, null).status());
  }

  @Test
  void statsCountWhatTheServerDidAsV3EntriesRSC6() throws Exception {
    publishJson("counted", "[{\"name\":\"a\"},{\"name\":\"b\"}]");
    try (RawClient c = RawClient.connect(server.port(), "key=" + KEY.replace(":", "%3A"), WireFormat.JSON)) {
      c.await(pm -> pm.action() == Action.CONNECTED);
    }
    Reply reply = get("/stats?direction=forwards", KEY);
    assertEquals(200, reply.status());
    JSONArray stats = reply.jsonArray();
    assertFalse(stats.isEmpty());
    Map<String, Long> totals = new HashMap<>();
    for (Object o : stats) {
      JSONObject interval = (JSONObject) o;
      assertEquals("minute", interval.getString("unit"));
      assertTrue(interval.getString("intervalId").matches("\\d{4}-\\d{2}-\\d{2}:\\d{2}:\\d{2}"),
          interval.getString("intervalId"));
      interval.getJSONObject("entries").forEach((k, v) -> totals.merge(k, ((Number) v).longValue(), Long::sum));
    }
    assertEquals(2L, totals.get("messages.inbound.rest.messages.count"));
    assertEquals(2L, totals.get("messages.all.all.count"));
    assertEquals(1L, totals.get("connections.all.opened"));
    for (int i = 0; i < stats.size() - 1; i++) {
      assertNull(stats.getJSONObject(i).get("inProgress"), "only the newest interval may be in progress");
    }
    JSONArray byMonth = get("/stats?unit=month", KEY).jsonArray();
    JSONObject month = byMonth.getJSONObject(0);
    assertTrue(month.getString("intervalId").matches("\\d{4}-\\d{2}"), month.getString("intervalId"));
    assertEquals(2L, byMonth.stream().mapToLong(o -> ((JSONObject) o).getJSONObject("entries")
        .getLongValue("messages.inbound.rest.messages.count")).sum());
    assertNotNull(month.getString("inProgress"), "the current month is in progress");
  }

  // ------------------------------------------------------------------------------------------
  // Sandbox-style provisioning
  // ------------------------------------------------------------------------------------------

  @Test
  void postAppsProvisionsKeysForRestAndRealtimeWithPresenceFixturesAndDeleteRemovesThem() throws Exception {
    Path fixture = Path.of(System.getProperty("ably.fixtures.dir", "../../shared/fixtures/ably-common"),
        "test-app-setup.json");
    JSONObject spec = JSON.parseObject(Files.readString(fixture)).getJSONObject("post_apps");
    Reply reply = send("POST", "/apps", null, JSON_TYPE, JSON_TYPE,
        spec.toJSONString().getBytes(StandardCharsets.UTF_8));
    assertEquals(201, reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
    JSONObject app = reply.json();
    String appId = app.getString("appId");
    assertEquals(server.port(), app.getIntValue("port"));
    assertEquals("127.0.0.1", app.getString("endpoint"));
    assertFalse(app.getBooleanValue("tls"));
    assertEquals(spec.getJSONArray("keys").size(), app.getJSONArray("keys").size());
    assertEquals(spec.getJSONArray("namespaces").size(), app.getJSONArray("namespaces").size());
    JSONObject key0 = app.getJSONArray("keys").getJSONObject(0);
    String keyStr = key0.getString("keyStr");
    assertEquals(appId + "." + key0.getString("id") + ":" + key0.getString("value"), keyStr);
    assertEquals(key0.getString("keyName") + ":" + key0.getString("keySecret"), keyStr);
    assertEquals("{\"*\":[\"*\"]}", key0.getString("capability"));

    try (RawClient c = RawClient.connect(server.port(),
        "key=" + URLEncoder.encode(keyStr, StandardCharsets.UTF_8), WireFormat.JSON)) {
      ProtocolMessage connected = c.await(pm -> pm.action() == Action.CONNECTED || pm.action() == Action.ERROR);
      assertEquals(Action.CONNECTED, connected.action(), String.valueOf(connected.error()));
    }
    String fixtures = "/channels/" + URLEncoder.encode("persisted:presence_fixtures", StandardCharsets.UTF_8);
    JSONArray members = get(fixtures + "/presence", keyStr).jsonArray();
    assertEquals(6, members.size());
    JSONObject encoded = members.stream().map(o -> (JSONObject) o)
        .filter(m -> m.getString("clientId").equals("client_encoded")).findFirst().orElseThrow();
    assertEquals("json/utf-8/cipher+aes-128-cbc/base64", encoded.getString("encoding"));
    assertEquals("HO4cYSP8LybPYBPZPHQOtuD53yrD3YV3NBoTEYBh4U0N1QXHbtkfsDfTspKeLQFt", encoded.getString("data"));

    String subscribeOnly = app.getJSONArray("keys").getJSONObject(3).getString("keyStr");
    send("POST", "/channels/any/messages", basic(subscribeOnly), JSON_TYPE, JSON_TYPE,
        "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)).assertError(40160, 401);

    Reply deleted = send("DELETE", "/apps/" + appId, basic(keyStr), JSON_TYPE, null, null);
    assertEquals(204, deleted.status());
    get(fixtures + "/presence", keyStr).assertError(40400, 404);
    assertEquals(0, get(fixtures + "/presence", KEY).jsonArray().size());
  }
}
