package io.ably.itest.interop;

import static io.ably.itest.interop.Sdk.TIMEOUT;
import static io.ably.itest.interop.Sdk.attach;
import static io.ably.itest.interop.Sdk.completing;
import static io.ably.itest.interop.Sdk.connectionStates;
import static io.ably.itest.interop.Sdk.fails;
import static io.ably.itest.interop.Sdk.get;
import static io.ably.itest.interop.Sdk.presenceGet;
import static io.ably.itest.interop.Sdk.publish;
import static io.ably.itest.interop.Sdk.record;
import static io.ably.itest.interop.Sdk.succeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ably.itest.AblyTestServer;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelEvent;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ChannelStateListener.ChannelStateChange;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener.ConnectionStateChange;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.rest.Auth.TokenDetails;
import io.ably.lib.rest.Auth.TokenParams;
import io.ably.lib.rest.Auth.TokenRequest;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.Param;
import io.ably.lib.types.PresenceMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ably-java 1.5.0 against the testkit, continued: token auth through an {@code authCallback}
 * (PROTOCOL.md §7.2–7.4) and its renewal (§7.7), the REST API (§8), connection recovery (§4.6),
 * and the realtime error paths (NACK, failed attach, message size), echo, ping (§4.8) and the
 * presence leave of a dropped connection (§6.6). As in {@link AblyJavaInteropIT}, every assertion
 * is about what the SDK observed, with its JSON and its MessagePack protocol.
 */
class AblyJavaAuthAndRestIT {
  /** Short, so that the synthesized leave of a dropped member arrives quickly. */
  private static final Duration PRESENCE_LEAVE_DELAY = Duration.ofMillis(500);

  /** Small, so that a message over it is easy to make. */
  private static final int MAX_MESSAGE_SIZE = 2048;

  private AblyTestServer server;
  private SdkClients clients;

  @BeforeEach
  void startServer() {
    server =
        AblyTestServer.builder()
            .presenceLeaveDelay(PRESENCE_LEAVE_DELAY)
            .maxMessageSize(MAX_MESSAGE_SIZE)
            .start();
    clients = new SdkClients(server);
  }

  /** Closes every client (waiting for CLOSED or FAILED), then the server, pass or fail. */
  @AfterEach
  void stopEverything() throws InterruptedException {
    List<String> notClosed;
    try {
      notClosed = clients.closeAll();
    } finally {
      server.close();
    }
    assertTrue(notClosed.isEmpty(), "clients that did not close: " + notClosed);
  }

  // ---------------------------------------------------------------------------------------------
  // Token auth
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aTokenRequestFromTheAuthCallbackIsExchangedAndItsClientIdIdentifiesTheClient(
      Protocol protocol) throws Exception {
    TokenIssuer issuer = new TokenIssuer(protocol, "tina");
    AblyRealtime tina = clients.connected(issuer.options(protocol));

    assertEquals(1, issuer.requests.size(), "the authCallback ran once");
    TokenRequest request = issuer.requests.get(0);
    assertEquals(server.defaultKey().keyName(), request.keyName);
    assertNotNull(request.mac, "signed by ably-java");
    assertEquals(Auth.AuthMethod.token, tina.auth.getAuthMethod());
    TokenDetails token = tina.auth.getTokenDetails();
    assertNotNull(token, "the token the server issued for the TokenRequest");
    assertNotNull(token.token);
    assertEquals("tina", token.clientId, "TokenDetails.clientId");
    assertTrue(token.expires > token.issued, token.issued + " .. " + token.expires);
    assertEquals("tina", tina.auth.clientId, "clientId from connectionDetails (RSA7b3)");

    AblyRealtime bob = clients.connected(protocol, "bob", server.defaultKey());
    Channel subscribed = bob.channels.get("tokens");
    Recorder<Message> received = new Recorder<>(TIMEOUT);
    subscribed.subscribe(received::add);
    succeeds(attach(subscribed), "subscriber attach");
    succeeds(publish(tina.channels.get("tokens"), new Message("hi", "from tina")), "publish");
    Message hi = received.await(m -> true, "tina's message");
    assertEquals("hi", hi.name);
    assertEquals("from tina", hi.data);
    assertEquals("tina", hi.clientId, "the server stamps the token's clientId (RSA7a1)");
    assertEquals(tina.connection.id, hi.connectionId);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anExpiredTokenIsRenewedThroughTheAuthCallbackAndTheConnectionResumes(Protocol protocol)
      throws Exception {
    TokenIssuer issuer = new TokenIssuer(protocol, "tina");
    AblyRealtime tina = clients.connected(issuer.options(protocol));
    AblyRealtime bob = clients.connected(protocol, "bob", server.defaultKey());
    Channel tinas = tina.channels.get("renewal");
    Recorder<Message> tinaGot = new Recorder<>(TIMEOUT);
    tinas.subscribe(tinaGot::add);
    succeeds(attach(tinas), "tina attach");
    Channel bobs = bob.channels.get("renewal");
    Recorder<Message> bobGot = new Recorder<>(TIMEOUT);
    bobs.subscribe(bobGot::add);
    succeeds(attach(bobs), "bob attach");
    String idBefore = tina.connection.id;
    String tokenBefore = tina.auth.getTokenDetails().token;
    Recorder<ConnectionStateChange> states = record(tina.connection);
    Recorder<ChannelStateChange> channelStates = record(tinas);

    server.faults().expireTokens();

    ConnectionStateChange disconnected =
        states.await(c -> c.event == ConnectionEvent.disconnected, "DISCONNECTED");
    assertNotNull(disconnected.reason, "DISCONNECTED says why (RTN15h)");
    assertEquals(40142, disconnected.reason.code, disconnected.reason.toString());
    assertEquals(401, disconnected.reason.statusCode, disconnected.reason.toString());
    states.await(c -> c.event == ConnectionEvent.connected, "CONNECTED again");
    assertEquals(2, issuer.requests.size(), "the authCallback ran again for the renewal");
    assertNotEquals(tokenBefore, tina.auth.getTokenDetails().token, "a new token");
    assertEquals(idBefore, tina.connection.id, "resumed: same connection id (RTN15h2)");
    assertNull(tina.connection.reason, "a successful resume has no error");
    assertTrue(
        channelStates.await(c -> c.event == ChannelEvent.attached, "ATTACHED again").resumed,
        "the channel resumed");
    assertEquals(
        List.of(
            ConnectionState.disconnected, ConnectionState.connecting, ConnectionState.connected),
        connectionStates(states));

    succeeds(publish(tinas, new Message("renewed", "r")), "publish with the new token");
    Message renewed = bobGot.await(m -> true, "tina's message after the renewal");
    assertEquals("renewed", renewed.name);
    assertEquals("tina", renewed.clientId);
    assertEquals(idBefore, renewed.connectionId);
    succeeds(publish(bobs, new Message("back", "b")), "publish to tina");
    Message back = tinaGot.await(m -> "back".equals(m.name), "bob's message after the renewal");
    assertEquals("bob", back.clientId);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void authorizeReplacesTheTokenInBandOnTheSameConnection(Protocol protocol) throws Exception {
    TokenIssuer issuer = new TokenIssuer(protocol, "tina");
    AblyRealtime tina = clients.connected(issuer.options(protocol));
    String idBefore = tina.connection.id;
    String tokenBefore = tina.auth.getTokenDetails().token;
    Recorder<ConnectionStateChange> states = record(tina.connection);

    // authorize() blocks until the server answers the AUTH (RTC8a3), so it runs elsewhere.
    TokenDetails renewed =
        get(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return tina.auth.authorize(null, null);
                  } catch (AblyException e) {
                    throw new CompletionException(e);
                  }
                }),
            "authorize()");
    assertNotEquals(tokenBefore, renewed.token, "a new token");
    assertEquals(renewed.token, tina.auth.getTokenDetails().token);
    assertEquals(2, issuer.requests.size(), "the authCallback ran again");
    ConnectionStateChange update =
        states.await(c -> c.event == ConnectionEvent.update, "UPDATE (RTC8a1, RTN24)");
    assertEquals(ConnectionState.connected, update.current);
    assertNull(update.reason, "the AUTH succeeded");
    assertEquals(idBefore, tina.connection.id, "still the same connection");
    assertEquals(
        List.of(ConnectionState.connected),
        states.all().stream().map(c -> c.current).distinct().toList(),
        "no state change besides UPDATE");

    Channel channel = tina.channels.get("authorized");
    Recorder<Message> received = new Recorder<>(TIMEOUT);
    channel.subscribe(received::add);
    succeeds(attach(channel), "attach with the new token");
    succeeds(publish(channel, new Message("again", "a")), "publish with the new token");
    Message again = received.await(m -> true, "own message");
    assertEquals("tina", again.clientId);
  }

  /**
   * ably-java's REST client renews a token only for a 401 that has a {@code WWW-Authenticate}
   * challenge it can parse (PROTOCOL.md §7.7): the testkit sends {@code x-ably-token}, {@code
   * stale="true"} with 40142.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aRestClientRenewsAnExpiredTokenThroughTheAuthCallback(Protocol protocol)
      throws Exception {
    TokenIssuer issuer = new TokenIssuer(protocol, "rosa");
    AblyRest rest = clients.rest(issuer.options(protocol));
    io.ably.lib.rest.Channel channel = rest.channels.get("rest-renewal");

    channel.publish("one", "1");
    assertEquals(1, issuer.requests.size(), "a token for the first request");
    String tokenBefore = rest.auth.getTokenDetails().token;
    server.faults().expireTokens();
    channel.publish("two", "2");
    assertEquals(2, issuer.requests.size(), "one renewal after the 401");
    assertNotEquals(tokenBefore, rest.auth.getTokenDetails().token, "a new token");

    Message[] history =
        channel.history(new Param[] {new Param("direction", "forwards")}).items();
    assertEquals(List.of("one", "two"), names(history), "each publish once");
    for (Message m : history) {
      assertEquals("rosa", m.clientId, m.name + ": the token's clientId");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // REST
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void restPublishesReachRealtimeSubscribersAndHistoryPagesThroughThemAll(Protocol protocol)
      throws Exception {
    final int total = 25;
    AblyRealtime subscriber = clients.connected(protocol, null, server.defaultKey());
    Channel subscribed = subscriber.channels.get("rest-history");
    Recorder<Message> received = new Recorder<>(TIMEOUT);
    subscribed.subscribe(received::add);
    succeeds(attach(subscribed), "subscriber attach");
    AblyRest rest = clients.rest(clients.options(protocol, "rita", server.defaultKey()));
    io.ably.lib.rest.Channel channel = rest.channels.get("rest-history");

    for (int i = 0; i < total; i++) {
      channel.publish("m" + i, data(i));
    }

    List<Message> live = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      live.add(received.await(m -> true, "REST message " + i));
    }
    for (int i = 0; i < total; i++) {
      assertMessage(i, live.get(i));
      assertEquals("rita", live.get(i).clientId, "the REST client's clientId (RSA7e2)");
    }
    List<String> ids = live.stream().map(m -> m.id).toList();
    assertEquals(total, new HashSet<>(ids).size(), "distinct ids: " + ids);

    List<Integer> pageSizes = new ArrayList<>();
    List<Message> backwards =
        allPages(channel.history(new Param[] {new Param("limit", "10")}), pageSizes);
    assertEquals(List.of(10, 10, 5), pageSizes, "page sizes, newest first");
    assertEquals(total, backwards.size());
    for (int k = 0; k < total; k++) {
      int i = total - 1 - k;
      assertMessage(i, backwards.get(k));
      assertEquals(ids.get(i), backwards.get(k).id, "history has the delivered message");
    }

    pageSizes.clear();
    PaginatedResult<Message> first =
        channel.history(
            new Param[] {new Param("limit", "10"), new Param("direction", "forwards")});
    List<Message> forwards = allPages(first, pageSizes);
    assertEquals(List.of(10, 10, 5), pageSizes, "page sizes, oldest first");
    for (int i = 0; i < total; i++) {
      assertMessage(i, forwards.get(i));
      assertEquals(ids.get(i), forwards.get(i).id);
    }
    assertTrue(first.hasFirst(), "a rel=first link");
    assertEquals(
        names(first.items()), names(first.next().first().items()), "first() is the first page");
  }

  /** Message i's data: text, binary and JSON in turn. */
  private static Object data(int i) {
    return switch (i % 3) {
      case 0 -> "text-" + i + " \u00e9\u2713";
      case 1 -> new byte[] {(byte) i, 0, (byte) 0xff, (byte) 0x80};
      default -> JsonParser.parseString("{\"i\":" + i + ",\"list\":[true,null]}");
    };
  }

  private static void assertMessage(int i, Message m) {
    assertEquals("m" + i, m.name, "name");
    Object expected = data(i);
    if (expected instanceof byte[] bytes) {
      assertArrayEquals(bytes, assertInstanceOf(byte[].class, m.data), m.name);
    } else if (expected instanceof JsonObject object) {
      assertEquals(object, assertInstanceOf(JsonObject.class, m.data), m.name);
    } else {
      assertEquals(expected, m.data, m.name);
    }
    assertNull(m.encoding, m.name + ": fully decoded");
    assertTrue(m.timestamp > 0, m.name + ": timestamp");
  }

  /** Reads every page from this one on; records the page sizes. */
  private static List<Message> allPages(PaginatedResult<Message> page, List<Integer> sizes)
      throws AblyException {
    List<Message> all = new ArrayList<>();
    while (true) {
      sizes.add(page.items().length);
      all.addAll(List.of(page.items()));
      if (!page.hasNext()) {
        assertTrue(page.isLast(), "no next page means the last page");
        return all;
      }
      assertTrue(sizes.size() < 100, "too many pages: " + sizes);
      page = page.next();
    }
  }

  private static List<String> names(Message[] messages) {
    return List.of(messages).stream().map(m -> m.name).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Recovery
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aNewClientRecoversALostConnectionWithItsRecoveryKey(Protocol protocol) throws Exception {
    AblyRealtime first = clients.connected(protocol, "rex", server.defaultKey());
    AblyRealtime publisher = clients.connected(protocol, "pub", server.defaultKey());
    Channel firstChannel = first.channels.get("recovery");
    Recorder<Message> firstGot = new Recorder<>(TIMEOUT);
    firstChannel.subscribe(firstGot::add);
    succeeds(attach(firstChannel), "first client attach");
    Channel publishing = publisher.channels.get("recovery");
    succeeds(publish(publishing, new Message("before", "b")), "publish before");
    assertEquals("before", firstGot.await(m -> true, "message before the loss").name);
    String lostId = first.connection.id;
    String recoveryKey = first.connection.createRecoveryKey();
    assertNotNull(recoveryKey, "createRecoveryKey() while CONNECTED (RTN16g)");
    assertTrue(
        JsonParser.parseString(recoveryKey)
            .getAsJsonObject()
            .getAsJsonObject("channelSerials")
            .has("recovery"),
        "the key has the attached channel's serial: " + recoveryKey);

    // The first client's socket is lost without a CLOSE, as when a process dies; it is kept
    // from reconnecting (and taking the connection back) until the end of the test.
    CompletableFuture<Void> release = new CompletableFuture<>();
    CompletableFuture<Void> lost = holdWhenDisconnected(first, release);
    try {
      assertTrue(server.faults().dropConnection(lostId), "the server knew the first client");
      get(lost, "the first client's DISCONNECTED");
      succeeds(publish(publishing, new Message("missed", "m")), "publish while nobody is there");

      ClientOptions options = clients.options(protocol, "rex", server.defaultKey());
      options.recover = recoveryKey;
      AblyRealtime second = clients.connected(options);
      assertEquals(lostId, second.connection.id, "recovered: the same connection id (RTN16d)");
      assertNull(second.connection.reason, "a successful recover has no error (RTN16d)");
      assertEquals("rex", second.auth.clientId);
      assertNotEquals(recoveryKey, second.connection.createRecoveryKey(), "a new connection key");

      // RTN16j: the recovered client made the channel with its channelSerial; attaching it
      // resumes from there, so the message published while nobody was there arrives.
      Channel recovered = second.channels.get("recovery");
      assertEquals(ChannelState.initialized, recovered.state, "not attached by the recover");
      Recorder<ChannelStateChange> channelStates = record(recovered);
      Recorder<Message> secondGot = new Recorder<>(TIMEOUT);
      recovered.subscribe(secondGot::add);
      succeeds(attach(recovered), "attach after the recover");
      assertTrue(
          channelStates.await(c -> c.event == ChannelEvent.attached, "ATTACHED").resumed,
          "continuity kept, so RESUMED (RTL2f)");
      assertEquals("missed", secondGot.await(m -> true, "the missed message").name);
      succeeds(publish(publishing, new Message("after", "a")), "publish after the recover");
      assertEquals("after", secondGot.await(m -> true, "a live message").name);
      assertEquals(List.of("missed", "after"), secondGot.all().stream().map(m -> m.name).toList());
      assertEquals(List.of("before"), firstGot.all().stream().map(m -> m.name).toList());
    } finally {
      release.complete(null);
    }
  }

  /**
   * ably-java 1.5 does not keep the recovery key's msgSerial (RTN16f): its constructor sets it, but
   * {@code ConnectionManager.onConnected} sets it to 0 again for a client whose
   * {@code connection.id} is still null, recovered or not. So a recovered client numbers its
   * publishes from 0 again, and the server takes those the lost client had already used for
   * resends (RTN19a, PROTOCOL.md §4.11): it acknowledges them with the earlier results and
   * delivers nothing. This pins down that behaviour of the SDK; the recovery key itself has the
   * right msgSerial.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aRecoveredAblyJava15ClientReusesMsgSerialsSoItsFirstPublishesAreTakenForResends(
      Protocol protocol) throws Exception {
    AblyRealtime first = clients.connected(protocol, "rex", server.defaultKey());
    AblyRealtime watcher = clients.connected(protocol, "wes", server.defaultKey());
    Channel watched = watcher.channels.get("serials");
    Recorder<Message> seen = new Recorder<>(TIMEOUT);
    watched.subscribe(seen::add);
    succeeds(attach(watched), "watcher attach");
    Channel firstChannel = first.channels.get("serials");
    succeeds(publish(firstChannel, new Message("a0", "x")), "publish a0");
    succeeds(publish(firstChannel, new Message("a1", "x")), "publish a1");
    seen.await(m -> "a1".equals(m.name), "a1");
    String recoveryKey = first.connection.createRecoveryKey();
    assertEquals(
        2,
        JsonParser.parseString(recoveryKey).getAsJsonObject().get("msgSerial").getAsInt(),
        "the recovery key's msgSerial: " + recoveryKey);
    CompletableFuture<Void> release = new CompletableFuture<>();
    CompletableFuture<Void> lost = holdWhenDisconnected(first, release);
    try {
      assertTrue(server.faults().dropConnection(first.connection.id), "the server knew it");
      get(lost, "the first client's DISCONNECTED");
      ClientOptions options = clients.options(protocol, "rex", server.defaultKey());
      options.recover = recoveryKey;
      AblyRealtime second = clients.connected(options);
      Channel secondChannel = second.channels.get("serials");
      succeeds(attach(secondChannel), "attach after the recover");

      succeeds(publish(secondChannel, new Message("b0", "x")), "publish b0 (msgSerial 0)");
      succeeds(publish(secondChannel, new Message("b1", "x")), "publish b1 (msgSerial 1)");
      succeeds(publish(secondChannel, new Message("b2", "x")), "publish b2 (msgSerial 2)");
      Message b2 = seen.await(m -> "b2".equals(m.name), "b2");
      assertEquals(second.connection.id + ":2:0", b2.id, "b2 went out with msgSerial 2");
      assertEquals(
          List.of("a0", "a1", "b2"),
          seen.all().stream().map(m -> m.name).toList(),
          "b0 and b1 reused the msgSerials of a0 and a1");
    } finally {
      release.complete(null);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Realtime error paths, echo, ping, presence leave
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anInjectedNackFailsThePublishWithItsError(Protocol protocol) throws Exception {
    AblyRealtime client = clients.connected(protocol, "nina", server.defaultKey());
    Channel channel = client.channels.get("nacks");
    Recorder<Message> received = new Recorder<>(TIMEOUT);
    channel.subscribe(received::add);
    succeeds(attach(channel), "attach");

    server.faults().nackNextPublish(injected(40099, 400, "injected NACK"));
    ErrorInfo error = fails(publish(channel, new Message("refused", "r")), "the NACKed publish");
    assertEquals(40099, error.code, error.toString());
    assertEquals(400, error.statusCode, error.toString());
    assertEquals("injected NACK", error.message);

    succeeds(publish(channel, new Message("accepted", "a")), "the next publish");
    assertEquals("accepted", received.await(m -> true, "the accepted message").name);
    assertEquals(List.of("accepted"), received.all().stream().map(m -> m.name).toList());
    assertEquals(ConnectionState.connected, client.connection.state);
    assertEquals(ChannelState.attached, channel.state);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anInjectedAttachFailureFailsTheChannelWithItsError(Protocol protocol) throws Exception {
    AblyRealtime client = clients.connected(protocol, null, server.defaultKey());
    Channel channel = client.channels.get("refused");
    Recorder<ChannelStateChange> states = record(channel);

    server.faults().failNextAttach(injected(90123, 503, "injected attach failure"));
    ErrorInfo error = fails(attach(channel), "the refused attach");
    assertEquals(90123, error.code, error.toString());
    assertEquals(503, error.statusCode, error.toString());
    ChannelStateChange failed = states.await(c -> c.event == ChannelEvent.failed, "FAILED");
    assertEquals(90123, failed.reason.code);
    assertEquals(ChannelState.failed, channel.state);
    assertEquals(90123, channel.reason.code);
    assertEquals(ConnectionState.connected, client.connection.state, "only the channel failed");

    succeeds(attach(channel), "attach again (RTL4g: from FAILED)");
    assertEquals(ChannelState.attached, channel.state);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void withEchoMessagesOffAClientDoesNotReceiveItsOwnMessages(Protocol protocol)
      throws Exception {
    ClientOptions quietOptions = clients.options(protocol, "quiet", server.defaultKey());
    quietOptions.echoMessages = false;
    AblyRealtime quiet = clients.connected(quietOptions);
    AblyRealtime other = clients.connected(protocol, "other", server.defaultKey());
    Channel quiets = quiet.channels.get("echo");
    Recorder<Message> quietGot = new Recorder<>(TIMEOUT);
    quiets.subscribe(quietGot::add);
    succeeds(attach(quiets), "quiet attach");
    Channel others = other.channels.get("echo");
    Recorder<Message> otherGot = new Recorder<>(TIMEOUT);
    others.subscribe(otherGot::add);
    succeeds(attach(others), "other attach");

    succeeds(publish(quiets, new Message("own", "o")), "publish with echo off");
    Message own = otherGot.await(m -> true, "the message at the other client");
    assertEquals("own", own.name);
    assertEquals("quiet", own.clientId);
    // The other client's message comes after the own one on the same channel, so had the own
    // message been echoed it would have arrived first.
    succeeds(publish(others, new Message("theirs", "t")), "publish from the other client");
    assertEquals("theirs", quietGot.await(m -> true, "the other client's message").name);
    assertEquals(List.of("theirs"), quietGot.all().stream().map(m -> m.name).toList());
    assertEquals("theirs", otherGot.await(m -> true, "echo is on for the other client").name);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aMessageOverMaxMessageSizeIsNackedWith40009(Protocol protocol) throws Exception {
    AblyRealtime client = clients.connected(protocol, null, server.defaultKey());
    Channel channel = client.channels.get("sizes");
    Recorder<Message> received = new Recorder<>(TIMEOUT);
    channel.subscribe(received::add);
    succeeds(attach(channel), "attach");

    // ably-java 1.5 reads connectionDetails.maxMessageSize but does not check it (no RTL6d
    // check client-side), so the message goes to the server, which refuses it (TM6).
    ErrorInfo error =
        fails(
            publish(channel, new Message("big", "x".repeat(MAX_MESSAGE_SIZE + 1))),
            "publish over maxMessageSize");
    assertEquals(40009, error.code, error.toString());
    assertEquals(413, error.statusCode, error.toString());

    String largest = "y".repeat(MAX_MESSAGE_SIZE - "fits".length());
    succeeds(publish(channel, new Message("fits", largest)), "publish of exactly maxMessageSize");
    Message fits = received.await(m -> true, "the message that fits");
    assertEquals("fits", fits.name);
    assertEquals(largest, fits.data);
    assertEquals(List.of("fits"), received.all().stream().map(m -> m.name).toList());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void pingCompletesWhenConnectedAndFailsBeforehand(Protocol protocol) throws Exception {
    AblyRealtime client = clients.client(protocol, null, server.defaultKey());
    CompletableFuture<ErrorInfo> early = new CompletableFuture<>();
    client.connection.ping(completing(early));
    ErrorInfo error = fails(early, "ping before connecting");
    // ably-java 1.5 swaps the arguments here: new ErrorInfo(message, 40000, 400).
    assertEquals(
        List.of(400, 40000), List.of(error.code, error.statusCode), "RTN13b: " + error.toString());

    Recorder<ConnectionStateChange> states = record(client.connection);
    client.connection.connect();
    states.await(c -> c.event == ConnectionEvent.connected, "CONNECTED");
    // The server answers a HEARTBEAT at once (§4.8). ably-java 1.5 waits for the answer on a new
    // thread, which misses an answer that comes before it waits (a lost wake-up); it then succeeds
    // only after its 5 s HEARTBEAT_TIMEOUT, as the answer did clear the ping. Without any answer
    // the ping fails after those 5 s. Hence one ping.
    CompletableFuture<ErrorInfo> pong = new CompletableFuture<>();
    client.connection.ping(completing(pong));
    succeeds(pong, "ping");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void theMembersOfADroppedConnectionLeaveAfterThePresenceLeaveDelay(Protocol protocol)
      throws Exception {
    AblyRealtime member = clients.connected(protocol, "mia", server.defaultKey());
    AblyRealtime watcher = clients.connected(protocol, "wes", server.defaultKey());
    Channel watched = watcher.channels.get("lobby");
    Recorder<PresenceMessage> seen = new Recorder<>(TIMEOUT);
    CompletableFuture<ErrorInfo> subscribed = new CompletableFuture<>();
    watched.presence.subscribe(seen::add, completing(subscribed));
    succeeds(subscribed, "presence subscribe (attach)");
    CompletableFuture<ErrorInfo> entered = new CompletableFuture<>();
    member.channels.get("lobby").presence.enter("here", completing(entered));
    succeeds(entered, "enter");
    assertEquals(PresenceMessage.Action.enter, seen.await(p -> true, "ENTER").action);
    String memberId = member.connection.id;

    // The member is kept from reconnecting, which would resume and cancel the leave.
    CompletableFuture<Void> release = new CompletableFuture<>();
    CompletableFuture<Void> lost = holdWhenDisconnected(member, release);
    try {
      long droppedAt = System.nanoTime();
      assertTrue(server.faults().dropConnection(memberId), "the server knew the member");
      get(lost, "the member's DISCONNECTED");
      PresenceMessage leave = seen.await(p -> true, "the synthesized LEAVE");
      long waited = System.nanoTime() - droppedAt;
      assertEquals(PresenceMessage.Action.leave, leave.action);
      assertEquals("mia", leave.clientId);
      assertEquals(memberId, leave.connectionId);
      assertEquals("here", leave.data, "the member's last data");
      assertFalse(
          leave.id.startsWith(memberId + ":"), "a synthesized leave's id (RTP2b1): " + leave.id);
      assertTrue(
          waited >= PRESENCE_LEAVE_DELAY.toNanos(),
          "LEAVE after the presenceLeaveDelay, not " + Duration.ofNanos(waited));
      assertEquals(0, presenceGet(watched).length, "nobody after the LEAVE");
    } finally {
      release.complete(null);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  /**
   * Keeps a client from reconnecting after it loses its transport: its DISCONNECTED listener holds
   * the connection thread until {@code release} completes (or the deadline passes), and ably-java
   * acts on a state only after telling its listeners.
   *
   * @return completes when the client is DISCONNECTED
   */
  private static CompletableFuture<Void> holdWhenDisconnected(
      AblyRealtime client, CompletableFuture<Void> release) {
    CompletableFuture<Void> disconnected = new CompletableFuture<>();
    client.connection.on(
        ConnectionEvent.disconnected,
        change -> {
          if (disconnected.complete(null)) {
            try {
              release.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
              // the test is over either way; the client may reconnect and be closed
            }
          }
        });
    return disconnected;
  }

  /** An error for the testkit's fault injection. */
  private static io.ably.api.ErrorInfo injected(int code, int statusCode, String message) {
    return new io.ably.api.ErrorInfo(code, statusCode, message, null, null, null, null);
  }

  /**
   * An {@code authCallback} that returns a {@link TokenRequest} signed by a REST client that holds
   * the server's key (RSA8d, RSA9): ably-java then exchanges it at {@code POST
   * /keys/{keyName}/requestToken}. Records every request it made.
   */
  private final class TokenIssuer implements Auth.TokenCallback {
    final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private final AblyRest signer;
    private final String clientId;

    TokenIssuer(Protocol protocol, String clientId) throws AblyException {
      this.signer = clients.rest(clients.options(protocol, null, server.defaultKey()));
      this.clientId = clientId;
    }

    /** Options of a realtime client that authenticates with this callback only (no key). */
    ClientOptions options(Protocol protocol) throws AblyException {
      ClientOptions options = clients.options(protocol, null, null);
      options.authCallback = this;
      return options;
    }

    @Override
    public Object getTokenRequest(TokenParams params) throws AblyException {
      TokenParams signed = new TokenParams();
      signed.clientId = clientId;
      TokenRequest request = signer.auth.createTokenRequest(signed, null);
      requests.add(request);
      return request;
    }
  }
}
