package io.ably.itest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.auth.AuthCallback;
import io.ably.api.auth.AuthResult;
import io.ably.api.auth.TokenParams;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.RestClient;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #15's proof: a publisher and a subscriber whose tokens expire every two seconds (or are
 * replaced in band) exchange 20,000 messages across at least ten renewals each, with nothing lost,
 * nothing twice, and the connection ids kept.
 */
class TokenRenewalUnderLoadIT {
  private static final int TOTAL = 20_000;
  private static final int ROUNDS = 10;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** One client on renewable tokens from the backend; each token obtained is signalled. */
  private static final class TokenClient {
    final RealtimeClient client;
    final BlockingQueue<Integer> tokensObtained = new LinkedBlockingQueue<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger expiries = new AtomicInteger();
    final AtomicInteger disconnections = new AtomicInteger();

    TokenClient(AblyTestServer server, RestClient backend, Duration ttl, String clientId) {
      AuthCallback callback =
          params ->
              backend.auth().createTokenRequest(params, null).thenApply(
                  r -> {
                    tokensObtained.add(calls.incrementAndGet());
                    return (AuthResult) r;
                  });
      TokenParams params = TokenParams.empty().withClientId(clientId);
      client =
          Ably.realtime(
              ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false)
                  .authCallback(callback).defaultTokenParams(ttl == null ? params : params.withTtl(ttl))
                  .autoConnect(false).build());
      client.connection().onStateChange(
          c -> {
            if (c.current() == ConnectionState.DISCONNECTED && c.event() != ConnectionEvent.UPDATE) {
              disconnections.incrementAndGet();
              if (c.reason() != null && c.reason().code() == ErrorCode.TOKEN_EXPIRED.code()) {
                expiries.incrementAndGet();
              }
            }
          });
      client.connection().connect();
    }

    /** Waits until this client has obtained another token. */
    void awaitNextToken() throws InterruptedException {
      assertNotNull(tokensObtained.poll(30, TimeUnit.SECONDS), "no token renewal within 30 s");
    }
  }

  /** Subscribes and checks order, loss and duplicates; completes when all arrived. */
  private static CompletableFuture<Void> expectAll(Channel in, List<String> problems) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] expected = {0};
    in.subscribe(
        m -> {
          int n = Integer.parseInt(((MessageData.Text) m.data()).value());
          if (n != expected[0]) {
            problems.add("expected " + expected[0] + " got " + n);
            done.completeExceptionally(new AssertionError(problems.get(0)));
          }
          expected[0] = n + 1;
          if (expected[0] == TOTAL) {
            done.complete(null);
          }
        });
    return done;
  }

  private interface Renewal {
    void renew(int round) throws Exception;
  }

  private void exchange(
      TokenClient publisher, TokenClient subscriber, Renewal renewal, String channel) throws Exception {
    List<String> problems = new ArrayList<>();
    Channel in = subscriber.client.channels().get(channel);
    CompletableFuture<Void> done = expectAll(in, problems);
    await(in.whenState(ChannelState.ATTACHED));
    await(publisher.client.connection().whenState(ConnectionState.CONNECTED));
    String publisherId = publisher.client.connection().id();
    String subscriberId = subscriber.client.connection().id();
    Channel out = publisher.client.channels().get(channel);
    ArrayDeque<CompletionStage<PublishResult>> window = new ArrayDeque<>();
    int perRound = TOTAL / ROUNDS;
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = round * perRound; i < (round + 1) * perRound; i++) {
        window.add(out.publish("n", Integer.toString(i)));
        if (window.size() >= 1_000) {
          await(window.poll());
        }
      }
      renewal.renew(round); // both clients get a new token while messages are in flight
    }
    while (!window.isEmpty()) {
      await(window.poll());
    }
    done.get(60, TimeUnit.SECONDS);
    assertTrue(problems.isEmpty(), problems.toString());
    assertEquals(TOTAL, in.metrics().messagesReceived(), "nothing twice");
    assertEquals(TOTAL, publisher.client.metrics().messagesAcknowledged());
    assertEquals(0, publisher.client.metrics().messagesRefused());
    assertTrue(publisher.calls.get() - 1 >= ROUNDS, "publisher renewals: " + (publisher.calls.get() - 1));
    assertTrue(subscriber.calls.get() - 1 >= ROUNDS, "subscriber renewals: " + (subscriber.calls.get() - 1));
    assertEquals(publisherId, publisher.client.connection().id(), "the publisher's connection is kept");
    assertEquals(subscriberId, subscriber.client.connection().id(), "the subscriber's connection is kept");
    assertEquals(0, in.metrics().continuityLosses());
  }

  @Test
  void twentyThousandMessagesCrossTenTokenExpiriesOfEachClientWithoutLossOrDuplicateRTN15h2() throws Exception {
    AblyTestServer server = AblyTestServer.builder().historyLimit(TOTAL).start();
    closeables.add(server);
    RestClient backend =
        Ably.rest(ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false)
            .key(server.defaultKey().keyStr()).build());
    closeables.add(backend);
    Duration ttl = Duration.ofSeconds(2);
    TokenClient subscriber = new TokenClient(server, backend, ttl, "sub");
    closeables.add(subscriber.client);
    TokenClient publisher = new TokenClient(server, backend, ttl, "pub");
    closeables.add(publisher.client);
    subscriber.awaitNextToken();
    publisher.awaitNextToken();
    exchange(
        publisher, subscriber,
        round -> {
          // Each token lives two seconds: wait until each client renewed on expiry once more.
          publisher.awaitNextToken();
          subscriber.awaitNextToken();
        },
        "expiring");
    // Each expiry drops the connection with DISCONNECTED 40142 (RTN15h2), read before the socket
    // ends even while the publisher is still sending: the testkit closes its half first and waits
    // for the client's close, as the service does, so no reset destroys the message.
    for (TokenClient c : List.of(publisher, subscriber)) {
      String counts = "disconnections " + c.disconnections.get() + ", of which 40142 " + c.expiries.get();
      System.out.println("TokenRenewalUnderLoadIT " + (c == publisher ? "publisher" : "subscriber") + ": " + counts
          + ", tokens " + c.calls.get());
      assertTrue(c.disconnections.get() >= ROUNDS, counts);
      assertEquals(c.disconnections.get(), c.expiries.get(), "every disconnection is 40142: " + counts);
    }
  }

  @Test
  void twentyThousandMessagesCrossTenInBandRenewalsOfEachClientOnOneConnectionRTC8aRTN22() throws Exception {
    AblyTestServer server = AblyTestServer.builder().historyLimit(TOTAL).start();
    closeables.add(server);
    RestClient backend =
        Ably.rest(ClientOptions.builder().host("127.0.0.1").port(server.port()).tls(false)
            .key(server.defaultKey().keyStr()).build());
    closeables.add(backend);
    TokenClient subscriber = new TokenClient(server, backend, null, "sub");
    closeables.add(subscriber.client);
    TokenClient publisher = new TokenClient(server, backend, null, "pub");
    closeables.add(publisher.client);
    subscriber.awaitNextToken();
    publisher.awaitNextToken();
    exchange(
        publisher, subscriber,
        round -> {
          if (round % 2 == 0) {
            // RTC8a: the application re-authorizes; the stage completes on the service's CONNECTED
            CompletionStage<?> p = publisher.client.auth().authorize();
            CompletionStage<?> s = subscriber.client.auth().authorize();
            await(p);
            await(s);
          } else {
            server.faults().requestReauthentication(); // RTN22
          }
          publisher.awaitNextToken();
          subscriber.awaitNextToken();
        },
        "inband");
    System.out.println("TokenRenewalUnderLoadIT in band: tokens " + publisher.calls.get() + " and " + subscriber.calls.get());
    assertEquals(0, publisher.disconnections.get(), "in-band renewal never drops the connection");
    assertEquals(0, subscriber.disconnections.get(), "in-band renewal never drops the connection");
  }
}
