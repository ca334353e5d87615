package io.ably.itest.interop;

import static io.ably.itest.interop.Sdk.TIMEOUT;
import static io.ably.itest.interop.Sdk.completing;
import static io.ably.itest.interop.Sdk.presenceGet;
import static io.ably.itest.interop.Sdk.succeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.ably.api.Ably;
import io.ably.api.ChannelOptions;
import io.ably.api.CipherParams;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.message.MessageData;
import io.ably.itest.AblyTestServer;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.PresenceMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Presence members between this project's client and the official ably-java 1.5.0 on one testkit
 * server, in both directions, with text, JSON, binary and AES-encrypted data (RTP8e, RTP11, RTP14).
 */
class AblyJavaPresenceInteropIT {
  private static final String TEXT = "h\u00e9llo \u2713";
  private static final byte[] BYTES = {0, 1, 2, 0x7f, (byte) 0x80, (byte) 0xff};
  private static final String JSON = "{\"a\":1,\"b\":[true,null,\"x\"]}";
  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i * 5 + 1);
    }
  }

  private AblyTestServer server;
  private SdkClients sdk;
  private RealtimeClient ours;

  @BeforeEach
  void startServer() {
    server = AblyTestServer.builder().start();
    sdk = new SdkClients(server);
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    try {
      if (ours != null) {
        ours.close();
      }
      List<String> notClosed = sdk.closeAll();
      assertTrue(notClosed.isEmpty(), "ably-java clients that did not close: " + notClosed);
    } finally {
      server.close();
    }
  }

  private RealtimeClient ours() {
    ours = Ably.realtime(ClientOptions.builder()
        .key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false).build());
    return ours;
  }

  private static CompletableFuture<ErrorInfo> enterClient(Channel ch, String clientId, Object data) throws Exception {
    CompletableFuture<ErrorInfo> outcome = new CompletableFuture<>();
    ch.presence.enterClient(clientId, data, completing(outcome));
    return outcome;
  }

  private static Map<String, MessageData> members(io.ably.api.Channel ch) throws Exception {
    Map<String, MessageData> out = new HashMap<>();
    for (io.ably.api.message.PresenceMessage m :
        ch.presence().get().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      assertNull(m.encoding(), "decoded: " + m);
      out.put(m.clientId(), m.data());
    }
    return out;
  }

  @ParameterizedTest(name = "ably-java {0} members seen by ours")
  @EnumSource(Protocol.class)
  void membersEnteredByAblyJavaAreSeenByThisClientWithTheSameData(Protocol sdkProtocol) throws Exception {
    AblyRealtime java = sdk.connected(sdkProtocol, null, server.defaultKey());
    Channel plain = java.channels.get("interop-presence");
    Channel secret = java.channels.get("interop-presence-secret", io.ably.lib.types.ChannelOptions.withCipherKey(KEY));
    succeeds(enterClient(plain, "text", TEXT), "ably-java enterClient text");
    succeeds(enterClient(plain, "json", JsonParser.parseString(JSON)), "ably-java enterClient json");
    succeeds(enterClient(plain, "binary", BYTES.clone()), "ably-java enterClient binary");
    succeeds(enterClient(secret, "secret", TEXT), "ably-java enterClient encrypted");

    RealtimeClient client = ours();
    Map<String, MessageData> seen = members(client.channels().get("interop-presence"));
    assertEquals(3, seen.size(), seen.toString());
    assertEquals(MessageData.text(TEXT), seen.get("text"));
    assertEquals(JsonParser.parseString(JSON),
        JsonParser.parseString(assertInstanceOf(MessageData.Json.class, seen.get("json")).json()));
    assertArrayEquals(BYTES, assertInstanceOf(MessageData.Binary.class, seen.get("binary")).toByteArray());
    Map<String, MessageData> secretSeen = members(client.channels().get("interop-presence-secret",
        ChannelOptions.builder().cipher(CipherParams.aes(KEY)).build()));
    assertEquals(Map.of("secret", MessageData.text(TEXT)), secretSeen);
  }

  @ParameterizedTest(name = "ours seen by ably-java {0}")
  @EnumSource(Protocol.class)
  void membersEnteredByThisClientAreSeenByAblyJavaWithTheSameData(Protocol sdkProtocol) throws Exception {
    RealtimeClient client = ours();
    io.ably.api.Channel plain = client.channels().get("interop-presence");
    io.ably.api.Channel secret = client.channels().get("interop-presence-secret",
        ChannelOptions.builder().cipher(CipherParams.aes(KEY)).build());
    CompletableFuture.allOf(
            plain.presence().enterClient("text", MessageData.text(TEXT)).toCompletableFuture(),
            plain.presence().enterClient("json", MessageData.json(JSON)).toCompletableFuture(),
            plain.presence().enterClient("binary", MessageData.binary(BYTES.clone())).toCompletableFuture(),
            secret.presence().enterClient("secret", MessageData.text(TEXT)).toCompletableFuture())
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    AblyRealtime java = sdk.connected(sdkProtocol, null, server.defaultKey());
    Map<String, Object> seen = new HashMap<>();
    for (PresenceMessage m : presenceGet(java.channels.get("interop-presence"))) {
      seen.put(m.clientId, m.data);
    }
    assertEquals(3, seen.size(), seen.toString());
    assertEquals(TEXT, seen.get("text"));
    assertEquals(JsonParser.parseString(JSON), assertInstanceOf(JsonElement.class, seen.get("json")));
    assertArrayEquals(BYTES, assertInstanceOf(byte[].class, seen.get("binary")));
    PresenceMessage[] secretSeen = presenceGet(
        java.channels.get("interop-presence-secret", io.ably.lib.types.ChannelOptions.withCipherKey(KEY)));
    assertEquals(1, secretSeen.length);
    assertEquals("secret", secretSeen[0].clientId);
    assertNull(secretSeen[0].encoding, "decrypted by ably-java");
    assertEquals(TEXT, secretSeen[0].data);
  }
}
