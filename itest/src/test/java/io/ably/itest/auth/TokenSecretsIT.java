package io.ably.itest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.auth.AuthMethod;
import io.ably.api.auth.TokenDetails;
import io.ably.api.auth.TokenParams;
import io.ably.api.auth.TokenRequest;
import io.ably.api.rest.RestClient;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.itest.support.PrintedCapture;
import io.ably.jmx.AblyJmx;
import io.ably.api.Subscription;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay secret (issue #15 item 6): with every logger of the JVM at its most verbose level
 * and standard output and error captured, through a token
 * obtained from an authUrl whose query, headers and params carry secrets, renewals, a refused URL
 * and in-band re-authentication, no log record, exception, toString or JMX attribute contains the
 * key secret, a token, a TokenRequest MAC or an authUrl secret; the JMX bean shows the token's
 * expiry and the clientId.
 */
class TokenSecretsIT {
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private AblyTestServer server;
  private RestClient backend;
  /** Every token and MAC handed out during the test. */
  private final List<String> secrets = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server = AblyTestServer.builder().start();
    closeables.add(server);
    backend =
        Ably.rest(ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false)
            .key(server.defaultKey().keyStr()).build());
    closeables.add(backend);
    secrets.add(server.defaultKey().keySecret());
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void noSecretReachesALogAnExceptionAToStringOrJmxAndJmxShowsExpiryAndClientId() throws Exception {
    List<String> seen = new ArrayList<>();
    try (PrintedCapture capture = new PrintedCapture();
        AuthEndpoint endpoint =
            new AuthEndpoint(
                req -> {
                  if (req.path().equals("/refuse")) {
                    return CompletableFuture.completedFuture(new AuthEndpoint.Response(403, "text/plain", "no"));
                  }
                  TokenParams p = TokenParams.empty().withClientId("alice").withTtl(Duration.ofSeconds(2));
                  return backend.auth().createTokenRequest(p, null).thenApply(
                      t -> {
                        secrets.add(t.mac());
                        return new AuthEndpoint.Response(200, "application/json", t.toJson());
                      });
                })) {
      secrets.add("urlSecret-9f8e");
      secrets.add("headerSecret-7d6c");
      secrets.add("paramSecret-5b4a");
      ClientOptions options =
          ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false)
              .logLevel(System.Logger.Level.ALL)
              .authUrl(endpoint.url("/token?sig=urlSecret-9f8e")).authMethod(AuthMethod.POST)
              .authHeader("X-Api", "headerSecret-7d6c").authParam("p", "paramSecret-5b4a")
              .build();
      RealtimeClient c = Ably.realtime(options);
      closeables.add(c);
      await(c.connection().whenState(ConnectionState.CONNECTED));
      MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
      Subscription registration = AblyJmx.register(c, mbeans);
      try {
        ObjectName name = AblyJmx.objectName(c);
        TokenDetails d = c.auth().tokenDetails();
        secrets.add(d.token());
        assertEquals("alice", mbeans.getAttribute(name, "ClientId"));
        assertEquals(d.expires().toString(), mbeans.getAttribute(name, "TokenExpires"));
        // Two expiries renewed (RTN15h2) and one in-band authorize (RTC8a), all logged.
        for (int i = 0; i < 2; i++) {
          String before = c.auth().tokenDetails().token();
          await(c.connection().whenState(ConnectionState.DISCONNECTED));
          await(c.connection().whenState(ConnectionState.CONNECTED));
          assertFalse(before.equals(c.auth().tokenDetails().token()));
          secrets.add(c.auth().tokenDetails().token());
        }
        TokenDetails renewed = await(c.auth().authorize());
        secrets.add(renewed.token());
        for (MBeanAttributeInfo a : mbeans.getMBeanInfo(name).getAttributes()) {
          seen.add("jmx " + a.getName() + "=" + mbeans.getAttribute(name, a.getName()));
        }
      } finally {
        registration.close();
      }
      // A refused authUrl: its error and the exception say what failed, without the URL's secret.
      RealtimeClient refused =
          Ably.realtime(options.toBuilder().authUrl(endpoint.url("/refuse?sig=urlSecret-9f8e")).build());
      closeables.add(refused);
      await(refused.connection().whenState(ConnectionState.FAILED));
      seen.add("errorReason " + refused.connection().errorReason());
      CompletableFuture<TokenDetails> failed = refused.auth().requestToken().toCompletableFuture();
      Throwable thrown = failed.handle((v, e) -> e).get(20, TimeUnit.SECONDS);
      assertNotNull(thrown);
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      seen.add("exception " + trace);
      TokenRequest r = await(backend.auth().createTokenRequest());
      secrets.add(r.mac());
      seen.add("toString " + options + " " + c.auth() + " " + r + " " + c.auth().tokenDetails()
          + " " + backend.options());
      seen.addAll(capture.printed());
    }
    assertTrue(seen.size() > 10, "the client logged: " + seen.size());
    for (String line : seen) {
      for (String secret : secrets) {
        assertFalse(line.contains(secret), "a secret in: " + line);
      }
    }
  }
}
