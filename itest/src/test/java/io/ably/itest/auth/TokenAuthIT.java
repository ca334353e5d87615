package io.ably.itest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.auth.AuthCallback;
import io.ably.api.auth.AuthMethod;
import io.ably.api.auth.AuthResult;
import io.ably.api.auth.TokenDetails;
import io.ably.api.auth.TokenParams;
import io.ably.api.auth.TokenRequest;
import io.ably.api.message.MessageData;
import io.ably.api.rest.RestClient;
import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.itest.AblyTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token authentication end to end against the testkit: TokenRequests signed by a backend,
 * authCallback and authUrl returning each kind of result, renewal on connect (RTN14b), while
 * connected (RTN15h2, RTN22) and in band (RTC8a), over REST (RSA4b), and every failure mode with
 * the state and code it ends in (RSA4a, RSA4c, RSA4d).
 */
class TokenAuthIT {
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private AblyTestServer server;
  /** The application's backend: holds the key, signs TokenRequests. */
  private RestClient backend;

  @BeforeEach
  void start() {
    server = AblyTestServer.builder().start();
    closeables.add(server);
    backend = Ably.rest(base().key(server.defaultKey().keyStr()).build());
    closeables.add(backend);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private ClientOptions.Builder base() {
    return ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static ErrorInfo failure(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(stage));
    assertTrue(e.getCause() instanceof AblyException, e.toString());
    return ((AblyException) e.getCause()).errorInfo();
  }

  /** Records state changes, in order. */
  private static final class Recorder {
    final BlockingQueue<ConnectionStateChange> changes = new LinkedBlockingQueue<>();

    ConnectionStateChange until(ConnectionState state) throws InterruptedException {
      while (true) {
        ConnectionStateChange c = changes.poll(20, TimeUnit.SECONDS);
        assertNotNull(c, "no state change within 20 s while waiting for " + state);
        if (c.current() == state && c.event() != ConnectionEvent.UPDATE) {
          return c;
        }
      }
    }

    ConnectionStateChange update() throws InterruptedException {
      while (true) {
        ConnectionStateChange c = changes.poll(20, TimeUnit.SECONDS);
        assertNotNull(c, "no UPDATE within 20 s");
        if (c.event() == ConnectionEvent.UPDATE) {
          return c;
        }
      }
    }
  }

  private RealtimeClient realtime(ClientOptions options, Recorder r) {
    RealtimeClient c = Ably.realtime(options.toBuilder().autoConnect(false).build());
    closeables.add(c);
    c.connection().onStateChange(r.changes::add);
    c.connection().connect();
    return c;
  }

  /** A callback that asks the backend for a TokenRequest with the params it is given. */
  private AuthCallback backendCallback(AtomicInteger calls) {
    return params -> {
      calls.incrementAndGet();
      return backend.auth().createTokenRequest(params, null).thenApply(r -> (AuthResult) r);
    };
  }

  @Test
  void aTokenRequestFromTheBackendConnectsAndIdentifiesTheClientRSA9RSA7b3() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Recorder r = new Recorder();
    RealtimeClient c =
        realtime(
            base().authCallback(backendCallback(calls))
                .defaultTokenParams(TokenParams.empty().withClientId("alice")).build(),
            r);
    r.until(ConnectionState.CONNECTED);
    assertEquals("alice", c.auth().clientId());
    TokenDetails details = c.auth().tokenDetails();
    assertNotNull(details);
    assertEquals("alice", details.clientId());
    assertEquals(1, calls.get());
  }

  @Test
  void anAuthCallbackMayReturnATokenStringTokenDetailsOrATokenRequestRSA8d() throws Exception {
    List<Function<TokenParams, CompletionStage<AuthResult>>> kinds =
        List.of(
            p -> backend.auth().requestToken(p, null).thenApply(d -> AuthResult.token(d.token())),
            p -> backend.auth().requestToken(p, null).thenApply(d -> (AuthResult) d),
            p -> backend.auth().createTokenRequest(p, null).thenApply(t -> (AuthResult) t));
    for (Function<TokenParams, CompletionStage<AuthResult>> kind : kinds) {
      Recorder r = new Recorder();
      RealtimeClient c = realtime(base().authCallback(kind::apply).build(), r);
      r.until(ConnectionState.CONNECTED);
      RestClient rest = Ably.rest(base().authCallback(kind::apply).build());
      closeables.add(rest);
      await(rest.channels().get("kinds").publish("m", MessageData.text("x")));
      assertNotNull(rest.auth().tokenDetails());
      await(c.closeAsync());
    }
  }

  @Test
  void restWithUseTokenAuthSignsExchangesAndUsesATokenNeverTheKeyRSA4RSA8a() throws Exception {
    RestClient rest =
        Ably.rest(base().key(server.defaultKey().keyStr()).useTokenAuth(true).clientId("carol").build());
    closeables.add(rest);
    await(rest.channels().get("rest").publish("m", MessageData.text("x")));
    TokenDetails d = rest.auth().tokenDetails();
    assertNotNull(d);
    assertEquals("carol", d.clientId());
    assertEquals("carol", rest.auth().clientId());
  }

  @Test
  void anAuthUrlAnswersByGetAndPostWithEachKindOfResponseRSA8c() throws Exception {
    List<String> kinds = List.of("text", "jwt", "details", "request");
    try (AuthEndpoint endpoint =
        new AuthEndpoint(
            req -> {
              TokenParams p = TokenParams.empty().withClientId(req.params().get("clientId"));
              return switch (req.path()) {
                case "/text" -> backend.auth().requestToken(p, null)
                    .thenApply(d -> new AuthEndpoint.Response(200, "text/plain", d.token()));
                case "/jwt" -> backend.auth().requestToken(p, null)
                    .thenApply(d -> new AuthEndpoint.Response(200, "application/jwt", d.token()));
                case "/details" -> backend.auth().requestToken(p, null)
                    .thenApply(d -> new AuthEndpoint.Response(200, "application/json", d.toJson()));
                default -> backend.auth().createTokenRequest(p, null)
                    .thenApply(t -> new AuthEndpoint.Response(200, "application/json; charset=utf-8", t.toJson()));
              };
            })) {
      for (AuthMethod method : AuthMethod.values()) {
        for (String kind : kinds) {
          int before = endpoint.requests.size();
          ClientOptions o =
              base().authUrl(endpoint.url("/" + kind + "?fixed=1")).authMethod(method)
                  .authParam("session", "s-1").authHeader("X-Session", "h-1").clientId("dave").build();
          RestClient rest = Ably.rest(o);
          closeables.add(rest);
          await(rest.channels().get("url").publish("m", MessageData.text(kind)));
          assertEquals("dave", rest.auth().tokenDetails() == null ? null : rest.auth().clientId());
          Recorder r = new Recorder();
          RealtimeClient c = realtime(o, r);
          r.until(ConnectionState.CONNECTED);
          assertEquals("dave", c.auth().clientId(), method + " " + kind);
          await(c.closeAsync());
          AuthEndpoint.Request req = endpoint.requests.get(before);
          assertEquals(method.name(), req.method());
          assertEquals("1", req.params().get("fixed"), "the URL's own query is kept (RSA8c2)");
          assertEquals("s-1", req.params().get("session"));
          assertEquals("dave", req.params().get("clientId"), "the token params are sent (RSA8c1)");
          assertEquals("h-1", req.headers().get("x-session"));
        }
      }
    }
  }

  @Test
  void aTokenThatExpiresWhileConnectedIsRenewedAndTheConnectionResumedRTN15h2() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Recorder r = new Recorder();
    RealtimeClient c =
        realtime(
            base().authCallback(backendCallback(calls))
                .defaultTokenParams(TokenParams.empty().withTtl(Duration.ofMillis(1500))).build(),
            r);
    r.until(ConnectionState.CONNECTED);
    String id = c.connection().id();
    for (int i = 0; i < 3; i++) {
      ConnectionStateChange d = r.until(ConnectionState.DISCONNECTED);
      assertEquals(ErrorCode.TOKEN_EXPIRED.code(), d.reason().code());
      r.until(ConnectionState.CONNECTED);
      assertEquals(id, c.connection().id(), "resumed with the new token");
    }
    assertTrue(calls.get() >= 4, "a new token for each reconnection: " + calls.get());
  }

  @Test
  void aTokenErrorOnConnectIsRenewedOnceAndTheConnectRetriedRTN14b() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AuthCallback firstExpired =
        params ->
            backend.auth().requestToken(params, null).thenApply(
                d -> {
                  if (calls.incrementAndGet() == 1) {
                    server.faults().expireTokens();
                  }
                  return (AuthResult) d;
                });
    Recorder r = new Recorder();
    RealtimeClient c = realtime(base().authCallback(firstExpired).build(), r);
    r.until(ConnectionState.CONNECTED);
    assertEquals(2, calls.get());
    assertEquals(ConnectionState.CONNECTED, c.connection().state());
  }

  @Test
  void aSecondTokenErrorOnConnectEndsTheAttemptInDisconnectedRTN14b() throws Exception {
    AuthCallback alwaysExpired =
        params ->
            backend.auth().requestToken(params, null).thenApply(
                d -> {
                  server.faults().expireTokens();
                  return (AuthResult) d;
                });
    Recorder r = new Recorder();
    realtime(base().authCallback(alwaysExpired).build(), r);
    ConnectionStateChange d = r.until(ConnectionState.DISCONNECTED);
    assertEquals(ErrorCode.TOKEN_EXPIRED.code(), d.reason().code());
  }

  @Test
  void authorizeWhileConnectedSendsAuthInBandAndKeepsTheConnectionRTC8a() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Recorder r = new Recorder();
    RealtimeClient c = realtime(base().authCallback(backendCallback(calls)).build(), r);
    r.until(ConnectionState.CONNECTED);
    String id = c.connection().id();
    TokenDetails before = c.auth().tokenDetails();
    TokenDetails after = await(c.auth().authorize());
    assertFalse(before.token().equals(after.token()));
    assertEquals(after, c.auth().tokenDetails());
    r.update(); // RTC8a1: the service's CONNECTED is an UPDATE
    assertEquals(id, c.connection().id());
    assertEquals(ConnectionState.CONNECTED, c.connection().state());
    assertEquals(2, calls.get());
  }

  @Test
  void aServerAuthRequestIsAnsweredInBandAndKeepsTheConnectionRTN22() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Recorder r = new Recorder();
    RealtimeClient c = realtime(base().authCallback(backendCallback(calls)).build(), r);
    r.until(ConnectionState.CONNECTED);
    String id = c.connection().id();
    server.faults().requestReauthentication();
    r.update();
    assertEquals(2, calls.get());
    assertEquals(id, c.connection().id());
  }

  @Test
  void aFailingAuthCallbackLeavesTheConnectionDisconnectedWith80019RSA4c() throws Exception {
    Recorder r = new Recorder();
    RealtimeClient c =
        realtime(
            base().authCallback(p -> CompletableFuture.failedFuture(new IllegalStateException("backend down")))
                .build(),
            r);
    ConnectionStateChange d = r.until(ConnectionState.DISCONNECTED);
    assertEquals(80019, d.reason().code());
    assertEquals(401, d.reason().statusCode());
    assertEquals(80019, failure(c.auth().requestToken()).code());
    ErrorInfo rest = failure(c.rest().channels().get("x").publish("m", MessageData.text("x")));
    assertEquals(ErrorCode.AUTH_CALLBACK_FAILED.code(), rest.code(), "RSA4e: " + rest);
    assertEquals(80019, rest.cause().code());
  }

  @Test
  void authorizeOnABasicAuthClientCompletesAndLeavesTheConnectionAsItIsRSA10() throws Exception {
    Recorder r = new Recorder();
    RealtimeClient c = realtime(base().key(server.defaultKey().keyStr()).build(), r);
    r.until(ConnectionState.CONNECTED);
    String id = c.connection().id();
    TokenDetails d = await(c.auth().authorize());
    assertEquals(d, c.auth().tokenDetails());
    await(c.rest().channels().get("x").publish("m", MessageData.text("with the token")));
    assertEquals(id, c.connection().id());
  }

  @Test
  void anAuthCallbackRefusingWith403FailsTheConnectionRSA4d() throws Exception {
    Recorder r = new Recorder();
    realtime(
        base().authCallback(
                p -> CompletableFuture.failedFuture(AblyException.of(ErrorCode.FORBIDDEN, "no token for you")))
            .build(),
        r);
    ConnectionStateChange f = r.until(ConnectionState.FAILED);
    assertEquals(80019, f.reason().code());
    assertEquals(403, f.reason().statusCode());
  }

  @Test
  void anAuthCallbackThatNeverAnswersTimesOutWith80019RSA4c() throws Exception {
    Recorder r = new Recorder();
    realtime(
        base().realtimeRequestTimeout(Duration.ofMillis(800)).authCallback(p -> new CompletableFuture<>()).build(),
        r);
    ConnectionStateChange d = r.until(ConnectionState.DISCONNECTED);
    assertEquals(80019, d.reason().code());
  }

  @Test
  void anAuthUrlAnswering403FailsTheConnectionAnd500LeavesItDisconnectedRSA4dRSA4c() throws Exception {
    try (AuthEndpoint endpoint =
        new AuthEndpoint(
            req ->
                CompletableFuture.completedFuture(
                    new AuthEndpoint.Response(req.path().equals("/403") ? 403 : 500, "text/plain", "no")))) {
      Recorder r403 = new Recorder();
      realtime(base().authUrl(endpoint.url("/403?secret=s3cr3t")).build(), r403);
      ConnectionStateChange f = r403.until(ConnectionState.FAILED);
      assertEquals(80019, f.reason().code());
      assertEquals(403, f.reason().statusCode());
      assertFalse(f.reason().toString().contains("s3cr3t"), f.reason().toString());
      Recorder r500 = new Recorder();
      realtime(base().authUrl(endpoint.url("/500")).build(), r500);
      assertEquals(80019, r500.until(ConnectionState.DISCONNECTED).reason().code());
    }
  }

  @Test
  void aTokenWithNoMeansToRenewFailsWith40171WhenItExpiresRSA4a() throws Exception {
    TokenDetails d =
        await(backend.auth().requestToken(TokenParams.empty().withTtl(Duration.ofMillis(1500)), null));
    Recorder r = new Recorder();
    realtime(base().tokenDetails(d).build(), r);
    r.until(ConnectionState.CONNECTED);
    ConnectionStateChange f = r.until(ConnectionState.FAILED);
    assertEquals(ErrorCode.TOKEN_NOT_RENEWABLE.code(), f.reason().code());
    RestClient rest = Ably.rest(base().tokenDetails(d).build());
    closeables.add(rest);
    ErrorInfo e = failure(rest.channels().get("x").publish("m", MessageData.text("x")));
    assertEquals(ErrorCode.TOKEN_NOT_RENEWABLE.code(), e.code());
  }

  @Test
  void aRestRequestRefusedForAnExpiredTokenIsSentAgainWithARenewedTokenRSA4b() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RestClient rest = Ably.rest(base().authCallback(backendCallback(calls)).build());
    closeables.add(rest);
    await(rest.channels().get("x").publish("m", MessageData.text("1")));
    server.faults().expireTokens();
    await(rest.channels().get("x").publish("m", MessageData.text("2")));
    assertEquals(2, calls.get());
  }

  @Test
  void aClientIdThatDiffersFromTheTokensFailsTheConnectionRSA15c() throws Exception {
    AuthCallback other =
        p -> backend.auth().createTokenRequest(p.withClientId("mallory"), null).thenApply(t -> (AuthResult) t);
    Recorder r = new Recorder();
    realtime(base().clientId("alice").authCallback(other).build(), r);
    ConnectionStateChange f = r.until(ConnectionState.FAILED);
    assertEquals(ErrorCode.INCOMPATIBLE_CREDENTIALS.code(), f.reason().code());
  }

  @Test
  void aWildcardTokenLetsTheClientActForAnyClientIdOrTakeOneRSA7b4RSA15b() throws Exception {
    AuthCallback wildcard =
        p -> backend.auth().createTokenRequest(p.withClientId("*"), null).thenApply(t -> (AuthResult) t);
    Recorder anyR = new Recorder();
    RealtimeClient any = realtime(base().authCallback(wildcard).build(), anyR);
    anyR.until(ConnectionState.CONNECTED);
    assertEquals("*", any.auth().clientId(), "a wildcard identity is reported as '*' (RSA7b4)");

    Recorder watcherR = new Recorder();
    RealtimeClient watcher = realtime(base().key(server.defaultKey().keyStr()).build(), watcherR);
    watcherR.until(ConnectionState.CONNECTED);
    BlockingQueue<io.ably.api.message.Message> seen = new LinkedBlockingQueue<>();
    io.ably.api.Channel in = watcher.channels().get("wild");
    in.subscribe(seen::add);
    await(in.attach());
    await(any.channels().get("wild").publish(
        io.ably.api.message.Message.builder().name("as-bob").text("x").clientId("bob").build()));
    io.ably.api.message.Message got = seen.poll(20, TimeUnit.SECONDS);
    assertNotNull(got, "the message published as bob arrives");
    assertEquals("bob", got.clientId(), "a wildcard client may publish for any clientId");
    await(any.channels().get("wild").presence().enterClient("carol", MessageData.text("here")));
    // the watcher learns of the entry by its own PRESENCE message, which may come after the ACK
    assertTrue(io.ably.itest.support.Eventually.eventually(() -> {
      try {
        List<io.ably.api.message.PresenceMessage> members = await(in.presence().get());
        return members.size() == 1 && "carol".equals(members.get(0).clientId());
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(20)), "and enter presence for any clientId");

    Recorder daveR = new Recorder();
    RealtimeClient dave = realtime(base().clientId("dave").authCallback(wildcard).build(), daveR);
    daveR.until(ConnectionState.CONNECTED);
    assertEquals("dave", dave.auth().clientId(), "a wildcard token accepts the client's own clientId (RSA15b)");
    await(dave.channels().get("wild").publish("as-dave", "y"));
    got = seen.poll(20, TimeUnit.SECONDS);
    assertNotNull(got, "dave's message arrives");
    assertEquals("dave", got.clientId(), "an identified client's messages carry its clientId");
  }

  @Test
  void aTokenRequestIsUsableOnceAndItsMacIsCheckedRSA9() throws Exception {
    TokenRequest t = await(backend.auth().createTokenRequest(TokenParams.empty(), null));
    RestClient client = Ably.rest(base().authCallback(p -> CompletableFuture.completedFuture(t)).build());
    closeables.add(client);
    assertNotNull(await(client.auth().requestToken()));
    assertEquals(ErrorCode.NONCE_REPLAYED.code(), failure(client.auth().requestToken()).code());
    TokenRequest forged =
        new TokenRequest(t.keyName(), t.ttl(), t.capability(), "eve", t.timestamp(), t.nonce() + "0", t.mac());
    RestClient forger = Ably.rest(base().authCallback(p -> CompletableFuture.completedFuture(forged)).build());
    closeables.add(forger);
    assertEquals(ErrorCode.INVALID_CREDENTIALS.code(), failure(forger.auth().requestToken()).code());
  }
}
