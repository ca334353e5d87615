package io.ably.itest.interop;

import static io.ably.itest.interop.Sdk.TIMEOUT;
import static io.ably.itest.interop.Sdk.attach;
import static io.ably.itest.interop.Sdk.publish;
import static io.ably.itest.interop.Sdk.succeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.itest.AblyTestServer;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.Message;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Messages between this project's client and the official ably-java 1.5.0 on one testkit server,
 * in both directions, with every pairing of JSON and MessagePack, with text, binary, JSON and
 * AES-encrypted data (RSL4, RSL5, RSL6, RTL6, RTL7).
 */
class AblyJavaChannelInteropIT {
  private static final String TEXT = "h\u00e9llo \u2713 \uD83D\uDE00";
  private static final byte[] BYTES = {0, 1, 2, 0x7f, (byte) 0x80, (byte) 0xff};
  private static final String JSON = "{\"a\":1,\"b\":[true,null,\"x\"],\"n\":{\"k\":\"v\"}}";
  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i * 7 + 3);
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

  static Stream<Arguments> protocols() {
    return Stream.of(Protocol.values())
        .flatMap(sdkProtocol -> Stream.of(true, false).map(binary -> Arguments.of(sdkProtocol, binary)));
  }

  private RealtimeClient ours(boolean binary) {
    ours = Ably.realtime(ClientOptions.builder()
        .key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false)
        .useBinaryProtocol(binary).build());
    return ours;
  }

  @ParameterizedTest(name = "ably-java {0} to ours (binary {1})")
  @MethodSource("protocols")
  void ablyJavaPublishesAndThisClientReceivesEveryKindOfData(Protocol sdkProtocol, boolean binary) throws Exception {
    RealtimeClient client = ours(binary);
    io.ably.api.Channel plain = client.channels().get("interop");
    io.ably.api.Channel secret = client.channels().get("interop-secret",
        ChannelOptions.builder().cipher(CipherParams.aes(KEY)).build());
    BlockingQueue<io.ably.api.message.Message> got = new LinkedBlockingQueue<>();
    plain.subscribe(got::add);
    secret.subscribe(got::add);
    plain.whenState(ChannelState.ATTACHED).toCompletableFuture().get(20, TimeUnit.SECONDS);
    secret.whenState(ChannelState.ATTACHED).toCompletableFuture().get(20, TimeUnit.SECONDS);

    AblyRealtime publisher = sdk.connected(sdkProtocol, null, server.defaultKey());
    Channel out = publisher.channels.get("interop");
    succeeds(publish(out,
        new Message("text", TEXT),
        new Message("binary", BYTES.clone()),
        new Message("json", JsonParser.parseString(JSON))), "ably-java publish");
    Channel encrypted = publisher.channels.get("interop-secret",
        io.ably.lib.types.ChannelOptions.withCipherKey(KEY));
    succeeds(publish(encrypted, new Message("secret-text", TEXT), new Message("secret-json", JsonParser.parseString(JSON))),
        "ably-java encrypted publish");

    io.ably.api.message.Message text = next(got);
    assertEquals("text", text.name());
    assertEquals(MessageData.text(TEXT), text.data());
    assertEquals(publisher.connection.id, text.connectionId());
    assertNotNull(text.serial());
    assertArrayEquals(BYTES, ((MessageData.Binary) next(got).data()).toByteArray());
    assertJson(JSON, ((MessageData.Json) next(got).data()).json());
    io.ably.api.message.Message secretText = next(got);
    assertEquals("secret-text", secretText.name());
    assertNull(secretText.encoding(), "decrypted");
    assertEquals(MessageData.text(TEXT), secretText.data());
    assertJson(JSON, ((MessageData.Json) next(got).data()).json());
  }

  @ParameterizedTest(name = "ours (binary {1}) to ably-java {0}")
  @MethodSource("protocols")
  void thisClientPublishesAndAblyJavaReceivesEveryKindOfData(Protocol sdkProtocol, boolean binary) throws Exception {
    AblyRealtime subscriber = sdk.connected(sdkProtocol, null, server.defaultKey());
    BlockingQueue<Message> got = new LinkedBlockingQueue<>();
    Channel plain = subscriber.channels.get("interop");
    Channel secret = subscriber.channels.get("interop-secret", io.ably.lib.types.ChannelOptions.withCipherKey(KEY));
    plain.subscribe(got::add);
    secret.subscribe(got::add);
    succeeds(attach(plain), "ably-java attach");
    succeeds(attach(secret), "ably-java attach (encrypted)");

    RealtimeClient client = ours(binary);
    io.ably.api.Channel out = client.channels().get("interop");
    PublishResult r = out.publish(List.of(
            io.ably.api.message.Message.ofText("text", TEXT),
            io.ably.api.message.Message.of("binary", MessageData.binary(BYTES.clone())),
            io.ably.api.message.Message.of("json", MessageData.json(JSON))))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    io.ably.api.Channel encrypted = client.channels().get("interop-secret",
        ChannelOptions.builder().cipher(CipherParams.aes(KEY)).build());
    encrypted.publish(List.of(
            io.ably.api.message.Message.ofText("secret-text", TEXT),
            io.ably.api.message.Message.of("secret-binary", MessageData.binary(BYTES.clone()))))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);

    Message text = next(got);
    assertEquals("text", text.name);
    assertEquals(TEXT, text.data);
    assertEquals(client.connection().id(), text.connectionId);
    assertEquals(r.serials().get(0), text.serial);
    assertArrayEquals(BYTES, assertInstanceOf(byte[].class, next(got).data));
    assertJson(JSON, assertInstanceOf(JsonElement.class, next(got).data).toString());
    Message secretText = next(got);
    assertEquals("secret-text", secretText.name);
    assertNull(secretText.encoding, "decrypted by ably-java");
    assertEquals(TEXT, secretText.data);
    assertArrayEquals(BYTES, assertInstanceOf(byte[].class, next(got).data));
  }

  private static <T> T next(BlockingQueue<T> q) throws InterruptedException {
    T t = q.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(t, "no message within " + TIMEOUT);
    return t;
  }

  private static void assertJson(String expected, String actual) {
    assertEquals(JsonParser.parseString(expected), JsonParser.parseString(actual));
  }
}
