package io.ably.itest.interop;

import static io.ably.itest.interop.Sdk.publish;
import static io.ably.itest.interop.Sdk.succeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.ably.api.Ably;
import io.ably.api.RealtimeClient;
import io.ably.api.auth.AuthResult;
import io.ably.api.auth.TokenParams;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TokenRequests across SDKs (RSA9, RSA8d): one made by our {@code auth().createTokenRequest} is
 * accepted when ably-java 1.5.0 returns it from its authCallback (realtime and REST), and one made
 * by ably-java's {@code Auth.createTokenRequest} (read from its JSON, as a backend would serve it)
 * is accepted when our client returns it from its authCallback.
 */
class AblyJavaTokenInteropIT {
  private AblyTestServer server;
  private SdkClients clients;
  private io.ably.api.rest.RestClient ourBackend;

  @BeforeEach
  void start() {
    server = AblyTestServer.builder().start();
    clients = new SdkClients(server);
    ourBackend =
        Ably.rest(
            io.ably.api.ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false)
                .key(server.defaultKey().keyStr()).build());
  }

  @AfterEach
  void stop() throws InterruptedException {
    List<String> notClosed;
    try {
      ourBackend.close();
      notClosed = clients.closeAll();
    } finally {
      server.close();
    }
    assertTrue(notClosed.isEmpty(), "clients that did not close: " + notClosed);
  }

  /** Our TokenRequest, in ably-java's type, field by field (its authCallback returns an Object). */
  private Auth.TokenRequest ours(String clientId, Duration ttl) throws AblyException {
    io.ably.api.auth.TokenRequest r;
    try {
      r = ourBackend.auth()
          .createTokenRequest(new TokenParams(ttl, "{\"*\":[\"*\"]}", clientId, null), null)
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw AblyException.fromThrowable(e);
    }
    Auth.TokenRequest t = new Auth.TokenRequest();
    t.keyName = r.keyName();
    t.ttl = r.ttl() == null ? 0 : r.ttl().toMillis();
    t.capability = r.capability();
    t.clientId = r.clientId();
    t.timestamp = r.timestamp().toEpochMilli();
    t.nonce = r.nonce();
    t.mac = r.mac();
    return t;
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void ablyJavaAcceptsOurTokenRequestFromItsAuthCallbackRSA9RSA8d(Protocol protocol) throws Exception {
    List<Auth.TokenRequest> given = new CopyOnWriteArrayList<>();
    ClientOptions options = clients.options(protocol, null, null);
    options.authCallback =
        params -> {
          Auth.TokenRequest t = ours("zed", given.isEmpty() ? Duration.ofMinutes(5) : null);
          given.add(t);
          return t;
        };
    AblyRealtime zed = clients.connected(options);
    assertEquals("zed", zed.auth.clientId, "the clientId of our TokenRequest (RSA7b3)");
    assertNotNull(zed.auth.getTokenDetails());
    assertEquals(1, given.size());
    succeeds(publish(zed.channels.get("interop-tokens"), new Message("m", "from ably-java")), "publish");
    // A second one without a TTL: ably-java writes ttl 0, which the service reads as "default".
    ClientOptions restOptions = clients.options(protocol, null, null);
    restOptions.authCallback = options.authCallback;
    AblyRest rest = clients.rest(restOptions);
    Auth.TokenDetails d = rest.auth.requestToken(null, null);
    assertNotNull(d.token);
    assertEquals("zed", d.clientId);
    assertEquals(2, given.size());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void weAcceptAblyJavasTokenRequestFromOurAuthCallbackRSA9RSA8d(Protocol protocol) throws Exception {
    AblyRest signer = clients.rest(clients.options(protocol, null, server.defaultKey()));
    Gson gson = new Gson();
    List<io.ably.api.auth.TokenRequest> received = new CopyOnWriteArrayList<>();
    RealtimeClient ours =
        Ably.realtime(
            io.ably.api.ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false)
                .useBinaryProtocol(protocol.binary)
                .authCallback(
                    params -> {
                      try {
                        Auth.TokenParams p = new Auth.TokenParams();
                        p.clientId = "yolanda";
                        p.capability = "{\"*\":[\"publish\",\"subscribe\"]}";
                        Auth.TokenRequest theirs = signer.auth.createTokenRequest(p, null);
                        // As a backend in ably-java would serve it: its JSON.
                        io.ably.api.auth.TokenRequest r = io.ably.api.auth.TokenRequest.fromJson(gson.toJson(theirs));
                        received.add(r);
                        return CompletableFuture.completedFuture((AuthResult) r);
                      } catch (AblyException e) {
                        return CompletableFuture.failedFuture(e);
                      }
                    })
                .build());
    try {
      ours.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals("yolanda", ours.auth().clientId());
      assertEquals(1, received.size());
      io.ably.api.auth.TokenRequest r = received.get(0);
      assertEquals(server.defaultKey().keyName(), r.keyName());
      assertTrue(r.timestamp().isAfter(Instant.now().minusSeconds(600)));
      assertEquals("yolanda", ours.auth().tokenDetails().clientId());
      ours.channels().get("interop-tokens").publish("m", "from us").toCompletableFuture().get(20, TimeUnit.SECONDS);
    } finally {
      ours.close();
    }
  }
}
