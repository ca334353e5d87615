package io.ably.itest.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ably.api.Ably;
import io.ably.api.CipherParams;
import io.ably.api.ClientOptions;
import io.ably.api.message.MessageData;
import io.ably.api.rest.Direction;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.RestChannel;
import io.ably.api.rest.RestClient;
import io.ably.itest.AblyTestServer;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ChannelOptions;
import io.ably.lib.types.Message;
import io.ably.lib.types.Param;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our REST client and ably-java 1.5.0's on the same testkit, both ways, in JSON and MessagePack:
 * what one publishes (text, JSON, binary, each plain and AES-256 encrypted, RSL4, RSL5), the other
 * reads back from history identically, with the same ids.
 */
class AblyJavaRestCrossCheckIT {
  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (31 * i + 7);
    }
  }

  private AblyTestServer server;
  private SdkClients clients;
  private RestClient ours;

  @BeforeEach
  void start() {
    server = AblyTestServer.builder().start();
    clients = new SdkClients(server);
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      if (ours != null) {
        ours.close();
      }
      clients.closeAll();
    } finally {
      server.close();
    }
  }

  private RestClient ours(Protocol protocol) {
    ours =
        Ably.rest(
            ClientOptions.builder()
                .key(server.defaultKey().keyStr())
                .host("127.0.0.1")
                .port(server.port())
                .tls(false)
                .useBinaryProtocol(protocol.binary)
                .build());
    return ours;
  }

  private static io.ably.api.ChannelOptions ourOptions(boolean encrypted) {
    return encrypted
        ? io.ably.api.ChannelOptions.builder().cipher(CipherParams.aes(KEY)).build()
        : io.ably.api.ChannelOptions.defaults();
  }

  private static ChannelOptions theirOptions(boolean encrypted) throws Exception {
    return encrypted ? ChannelOptions.withCipherKey(KEY) : new ChannelOptions();
  }

  private static final String TEXT = "text \u00e9\u2713 \uD83D\uDE00";
  private static final String JSON = "{\"a\":1,\"list\":[true,null,\"x\"]}";
  private static final byte[] BINARY = {0, 1, (byte) 0x80, (byte) 0xff, 42};

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void whatOursPublishesAblyJavaReadsBackIdentically(Protocol protocol) throws Exception {
    RestClient rest = ours(protocol);
    AblyRest theirs = clients.rest(clients.options(protocol, null, server.defaultKey()));
    for (boolean encrypted : new boolean[] {false, true}) {
      String name = "ours-to-theirs-" + protocol + "-" + encrypted;
      RestChannel ch = rest.channels().get(name, ourOptions(encrypted));
      ch.publish("text", TEXT).toCompletableFuture().get(10, TimeUnit.SECONDS);
      ch.publish("json", MessageData.json(JSON)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      ch.publish("binary", MessageData.binary(BINARY)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<String> ourIds =
          ch.history(HistoryParams.defaults().direction(Direction.FORWARDS))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .items()
              .stream()
              .map(io.ably.api.message.Message::id)
              .toList();

      Message[] read =
          theirs
              .channels
              .get(name, theirOptions(encrypted))
              .history(new Param[] {new Param("direction", "forwards")})
              .items();
      assertEquals(3, read.length, name);
      assertEquals("text", read[0].name);
      assertEquals(TEXT, read[0].data, name);
      assertEquals("json", read[1].name);
      assertEquals(JsonParser.parseString(JSON), assertInstanceOf(JsonObject.class, read[1].data), name);
      assertEquals("binary", read[2].name);
      assertArrayEquals(BINARY, assertInstanceOf(byte[].class, read[2].data), name);
      for (int i = 0; i < 3; i++) {
        assertNull(read[i].encoding, name + ": decoded by ably-java");
        assertEquals(ourIds.get(i), read[i].id, name + ": same id");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void whatAblyJavaPublishesOursReadsBackIdentically(Protocol protocol) throws Exception {
    RestClient rest = ours(protocol);
    AblyRest theirs = clients.rest(clients.options(protocol, null, server.defaultKey()));
    for (boolean encrypted : new boolean[] {false, true}) {
      String name = "theirs-to-ours-" + protocol + "-" + encrypted;
      io.ably.lib.rest.Channel ch = theirs.channels.get(name, theirOptions(encrypted));
      ch.publish("text", TEXT);
      ch.publish("json", JsonParser.parseString(JSON));
      ch.publish("binary", BINARY);
      Message[] theirRead = ch.history(new Param[] {new Param("direction", "forwards")}).items();

      List<io.ably.api.message.Message> read =
          rest.channels()
              .get(name, ourOptions(encrypted))
              .history(HistoryParams.defaults().direction(Direction.FORWARDS))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .items();
      assertEquals(3, read.size(), name);
      assertEquals("text", read.get(0).name());
      assertEquals(MessageData.text(TEXT), read.get(0).data(), name);
      assertEquals("json", read.get(1).name());
      MessageData.Json json = assertInstanceOf(MessageData.Json.class, read.get(1).data(), name);
      assertEquals(JsonParser.parseString(JSON), JsonParser.parseString(json.json()), name);
      assertEquals("binary", read.get(2).name());
      assertArrayEquals(BINARY, assertInstanceOf(MessageData.Binary.class, read.get(2).data()).toByteArray(), name);
      for (int i = 0; i < 3; i++) {
        assertNull(read.get(i).encoding(), name + ": decoded by ours");
        assertEquals(theirRead[i].id, read.get(i).id(), name + ": same id");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void membersAblyJavaEntersAreReadByOurRestPresenceGetAndHistoryRSP3RSP4(Protocol protocol)
      throws Exception {
    RestClient rest = ours(protocol);
    String name = "presence-" + protocol;
    List<String> clientIds = List.of("ann", "bob", "cy");
    for (String clientId : clientIds) {
      io.ably.lib.realtime.AblyRealtime member = clients.connected(protocol, clientId, server.defaultKey());
      java.util.concurrent.CompletableFuture<io.ably.lib.types.ErrorInfo> entered =
          new java.util.concurrent.CompletableFuture<>();
      member.channels.get(name).presence.enter(clientId.equals("bob") ? JsonParser.parseString(JSON) : "here " + clientId,
          Sdk.completing(entered));
      Sdk.succeeds(entered, clientId + " enters");
    }
    RestChannel ch = rest.channels().get(name);
    io.ably.api.rest.PaginatedResult<io.ably.api.message.PresenceMessage> first =
        ch.presence().get(io.ably.api.rest.PresenceParams.defaults().limit(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<io.ably.api.message.PresenceMessage> members = new java.util.ArrayList<>(first.items());
    assertEquals(2, members.size(), "a page of 2");
    members.addAll(first.next().toCompletableFuture().get(10, TimeUnit.SECONDS).items());
    assertEquals(
        new java.util.HashSet<>(clientIds),
        new java.util.HashSet<>(members.stream().map(io.ably.api.message.PresenceMessage::clientId).toList()));
    for (io.ably.api.message.PresenceMessage m : members) {
      assertEquals(io.ably.api.message.PresenceAction.PRESENT, m.action(), m::toString);
      assertNull(m.encoding());
      if (m.clientId().equals("bob")) {
        assertEquals(JsonParser.parseString(JSON),
            JsonParser.parseString(assertInstanceOf(MessageData.Json.class, m.data()).json()));
      } else {
        assertEquals(MessageData.text("here " + m.clientId()), m.data());
      }
    }
    List<io.ably.api.message.PresenceMessage> onlyBob =
        ch.presence().get(io.ably.api.rest.PresenceParams.defaults().clientId("bob"))
            .toCompletableFuture().get(10, TimeUnit.SECONDS).items();
    assertEquals(1, onlyBob.size());

    List<io.ably.api.message.PresenceMessage> history =
        ch.presence().history(HistoryParams.defaults().direction(Direction.FORWARDS))
            .toCompletableFuture().get(10, TimeUnit.SECONDS).items();
    assertEquals(clientIds, history.stream().map(io.ably.api.message.PresenceMessage::clientId).toList());
    for (io.ably.api.message.PresenceMessage m : history) {
      assertEquals(io.ably.api.message.PresenceAction.ENTER, m.action(), m::toString);
    }
  }
}
