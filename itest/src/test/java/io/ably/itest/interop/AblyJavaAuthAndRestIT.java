package io.ably.itest.interop;

import static io.ably.itest.interop.Sdk.TIMEOUT;
import static io.ably.itest.interop.Sdk.attach;
import static io.ably.itest.interop.Sdk.connectionStates;
import static io.ably.itest.interop.Sdk.get;
import static io.ably.itest.interop.Sdk.publish;
import static io.ably.itest.interop.Sdk.record;
import static io.ably.itest.interop.Sdk.succeeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.ably.lib.types.Message;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.Param;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ably-java 1.5.0 against the testkit, continued: token auth through an {@code authCallback}
 * (PROTOCOL.md §7.2–7.4) and its renewal (§7.7), and the REST API (§8). As in {@link AblyJavaInteropIT}, every assertion
 * is about what the SDK observed, with its JSON and its MessagePack protocol.
 */
class AblyJavaAuthAndRestIT {
  private AblyTestServer server;
  private SdkClients clients;

  @BeforeEach
  void startServer() {
    server = AblyTestServer.builder().start();
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
  // Helpers
  // ---------------------------------------------------------------------------------------------

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
