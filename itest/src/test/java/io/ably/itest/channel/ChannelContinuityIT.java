package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Channel;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Message continuity across dropped connections, resumes and failed resumes (RTN15, RTN19, RTL15, RTL12). */
class ChannelContinuityIT extends ChannelTestSupport {

  /**
   * Issue #5's proof: 100,000 messages from one publisher, received in order with no loss and no
   * duplicate while the testkit drops the subscriber's and the publisher's connections 20 times.
   * Under the build's paranoid Netty leak detection (a stack trace per buffer operation) this
   * takes about a minute; throughput is measured by the benchmarks, not here.
   */
  @Test
  void aHundredThousandMessagesArriveInOrderOnceEachThroughTwentyDroppedConnections() throws Exception {
    int total = 100_000;
    int drops = 20;
    AblyTestServer server = server(AblyTestServer.builder().historyLimit(total));
    // A victim dropped soon after it connected backs off before reconnecting (RTB1, after a
    // connection that failed at once): at the default 15 s a publish could wait longer than the
    // test waits for it. This test is about continuity, so the backoff is short.
    RealtimeClient publisher = client(options(server).disconnectedRetryTimeout(Duration.ofMillis(200)).build());
    RealtimeClient subscriber = client(options(server).disconnectedRetryTimeout(Duration.ofMillis(200)).build());
    Channel in = subscriber.channels().get("stream");
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] expected = {0};
    List<String> problems = new ArrayList<>();
    in.subscribe(m -> {
      int n = Integer.parseInt(((MessageData.Text) m.data()).value());
      if (n != expected[0]) {
        problems.add("expected " + expected[0] + " got " + n);
        done.completeExceptionally(new AssertionError(problems.get(0)));
      }
      expected[0] = n + 1;
      if (expected[0] == total) {
        done.complete(null);
      }
    });
    await(in.whenState(ChannelState.ATTACHED));
    Channel out = publisher.channels().get("stream");
    await(publisher.connection().whenState(ConnectionState.CONNECTED));

    ArrayDeque<CompletionStage<PublishResult>> window = new ArrayDeque<>();
    int dropEvery = total / (drops + 1);
    dropsHit[0] = 0;
    int dropped = 0;
    for (int i = 0; i < total; i++) {
      window.add(out.publish("n", Integer.toString(i)));
      if (window.size() >= 2_000) {
        await(window.poll());
      }
      if (i > 0 && i % dropEvery == 0 && dropped < drops) {
        RealtimeClient victim = dropped % 2 == 0 ? subscriber : publisher;
        // A victim may still be reconnecting (after a connection that failed soon after CONNECTED it
        // backs off, RTB1): wait for it, so that every one of the drops hits a live connection.
        for (int attempt = 0; attempt < 100 && !dropLive(server, victim); attempt++) {
          await(victim.connection().whenState(ConnectionState.CONNECTED));
        }
        dropped++;
      }
    }
    while (!window.isEmpty()) {
      await(window.poll());
    }
    done.get(60, TimeUnit.SECONDS);
    assertTrue(problems.isEmpty(), problems.toString());
    assertEquals(drops, dropped);
    assertTrue(dropsHit[0] >= drops, "drops of a live connection: " + dropsHit[0]);
    assertEquals(total, in.metrics().messagesReceived(), "no duplicate after the last one either");
    assertEquals(total, publisher.metrics().messagesAcknowledged());
    assertEquals(0, publisher.metrics().messagesRefused());
    assertTrue(publisher.metrics().resumes() + subscriber.metrics().resumes() >= drops);
    assertEquals(0, in.metrics().continuityLosses());
  }

  @Test
  void aResumedConnectionReattachesWithContinuityAndGetsWhatWasPublishedMeanwhileRTN15c6RTL15b() throws Exception {
    AblyTestServer server = server();
    RealtimeClient publisher = client(server);
    RealtimeClient subscriber = client(server);
    Channel in = subscriber.channels().get("resumed");
    Inbox<Message> inbox = subscribe(in);
    Inbox<ChannelStateChange> states = states(in);
    Inbox<ChannelStateChange> losses = new Inbox<>();
    in.onContinuityLoss(losses::add);
    until(states, ChannelState.ATTACHED);
    Channel out = publisher.channels().get("resumed");
    await(out.publish("m", "before"));
    assertEquals("before", text(inbox.next()));

    server.faults().blackholeOutbound(true); // nobody hears the server from now on
    CompletionStage<PublishResult> during = out.publish("m", "during");
    awaitStored(server, "resumed", "during"); // fanned out into the void, ACK lost too
    server.faults().blackholeOutbound(false);
    server.faults().dropConnections(); // only a replay can bring it to the subscriber now
    assertEquals(ChannelState.ATTACHING, states.next().current());
    ChannelStateChange back = states.next();
    assertEquals(ChannelState.ATTACHED, back.current());
    assertTrue(back.resumed(), "RTL2f: continuity kept");
    assertEquals("during", text(inbox.next()));
    await(during);
    await(out.publish("m", "after"));
    assertEquals("after", text(inbox.next()));
    assertTrue(losses.items.isEmpty());
  }

  @Test
  void aFailedResumeIsReportedAsAContinuityLossAndTheChannelIsReattachedRTN15c7RTL12() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("lost");
    Inbox<ChannelStateChange> losses = new Inbox<>();
    ch.onContinuityLoss(losses::add);
    Inbox<Message> inbox = subscribe(ch);
    await(ch.whenState(ChannelState.ATTACHED));
    String before = client.connection().id();

    server.faults().failNextResume();
    server.faults().dropConnection(before);
    ChannelStateChange loss = losses.next();
    assertEquals(ChannelState.ATTACHED, loss.current());
    assertFalse(loss.resumed());
    assertNotEquals(before, client.connection().id(), "a new connection");
    assertEquals(1, ch.metrics().continuityLosses());

    RealtimeClient other = client(server);
    await(other.channels().get("lost").publish("m", "afterwards"));
    assertEquals("afterwards", text(inbox.next()));
  }

  @Test
  void publishesAwaitingAnAckAreResentAfterAResumeAndDeliveredOnceRTN19a() throws Exception {
    AblyTestServer server = server();
    RealtimeClient subscriber = client(server);
    Channel in = subscriber.channels().get("resend");
    Inbox<Message> inbox = subscribe(in);
    await(in.whenState(ChannelState.ATTACHED));
    RealtimeClient publisher = client(server);
    await(publisher.connection().whenState(ConnectionState.CONNECTED));
    String id = publisher.connection().id();
    Channel out = publisher.channels().get("resend");

    // The publisher's frames reach the server but no ACK comes back before the drop.
    server.faults().blackholeOutbound(true);
    List<CompletionStage<PublishResult>> stages = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      stages.add(out.publish("m", "r" + i));
    }
    awaitStored(server, "resend", "r4");
    assertEquals(5, publisher.metrics().messagesPending(), "sent, processed, not acknowledged");
    server.faults().blackholeOutbound(false);
    server.faults().dropConnections(); // the publisher resends the five; the server re-ACKs them
    List<String> serials = new ArrayList<>();
    for (CompletionStage<PublishResult> s : stages) {
      String serial = await(s).serials().get(0);
      assertNotNull(serial);
      serials.add(serial);
    }
    assertEquals(id, publisher.connection().id(), "resumed");
    List<Message> got = inbox.next(5);
    for (int i = 0; i < 5; i++) {
      assertEquals("r" + i, text(got.get(i)));
      assertEquals(serials.get(i), got.get(i).serial());
    }
    RealtimeClient check = client(server);
    Channel again = check.channels().get("resend");
    await(again.publish("m", "last"));
    assertEquals("last", text(inbox.next()), "no duplicate before it");
  }

  /** Drops which live connections the server dropped, counted; see the 100,000-message test. */
  private final int[] dropsHit = {0};

  private boolean dropLive(AblyTestServer server, RealtimeClient victim) {
    String id = victim.connection().id();
    if (victim.connection().state() == ConnectionState.CONNECTED && id != null && server.faults().dropConnection(id)) {
      dropsHit[0]++;
      return true;
    }
    return false;
  }
}
