package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ChannelOptions;
import io.ably.api.ContinuityPolicy;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.RestChannel;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ContinuityGap;
import io.ably.itest.AblyTestServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The channel continuity policies against the testkit: BACKFILL and FAIL (issue #18; RTL12, RTL10b). */
class ContinuityPolicyIT extends ChannelTestSupport {

  private static ChannelOptions policy(ContinuityPolicy p) {
    return ChannelOptions.builder().continuity(p).build();
  }

  /**
   * 50,000 messages from one publisher while the subscriber's connection is dropped twenty times
   * and each resume fails (RTN15c7), so each re-attach loses continuity (RTL12): the BACKFILL
   * policy fills every gap from history and the subscriber sees every message once, in order.
   */
  @Test
  void backfillDeliversFiftyThousandMessagesInOrderOnceEachThroughTwentyFailedResumesRTL12() throws Exception {
    int total = 50_000;
    int losses = 20;
    AblyTestServer server = server(AblyTestServer.builder().historyLimit(total));
    RealtimeClient publisher = client(server);
    // Dropped again and again soon after connecting, it backs off (RTB1): from a short base.
    RealtimeClient subscriber =
        client(options(server).disconnectedRetryTimeout(Duration.ofMillis(100)).build());
    Channel in = subscriber.channels().get("gapless", policy(ContinuityPolicy.BACKFILL));
    List<ChannelStateChange> holes = new ArrayList<>();
    in.onContinuityLoss(holes::add);
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> oneMore = new CompletableFuture<>();
    int[] expected = {0};
    in.subscribe(m -> {
      int n = Integer.parseInt(((MessageData.Text) m.data()).value());
      if (n != expected[0]) {
        AssertionError e = new AssertionError("expected " + expected[0] + " got " + n);
        done.completeExceptionally(e);
        oneMore.completeExceptionally(e);
      }
      expected[0] = n + 1;
      if (expected[0] == total) {
        done.complete(null);
      } else if (expected[0] == total + 1) {
        oneMore.complete(null);
      }
    });
    await(in.whenState(ChannelState.ATTACHED));
    // Completed by each re-attach that lost continuity, so that each failed resume is a loss of its own.
    AtomicReference<CompletableFuture<Void>> lost = new AtomicReference<>(new CompletableFuture<>());
    in.onStateChange(c -> {
      if (c.current() == ChannelState.ATTACHED && !c.resumed()) {
        lost.get().complete(null);
      }
    });
    Channel out = publisher.channels().get("gapless");
    await(publisher.connection().whenState(ConnectionState.CONNECTED));

    ArrayDeque<CompletionStage<PublishResult>> window = new ArrayDeque<>();
    int lossEvery = total / (losses + 1);
    int caused = 0;
    for (int i = 0; i < total; i++) {
      window.add(out.publish("n", Integer.toString(i)));
      if (window.size() >= 2_000) {
        await(window.poll());
      }
      if (i > 0 && i % lossEvery == 0 && caused < losses) {
        for (int attempt = 0; attempt < 100; attempt++) {
          String id = subscriber.connection().id();
          if (subscriber.connection().state() == ConnectionState.CONNECTED && id != null) {
            server.faults().failNextResume();
            if (server.faults().dropConnection(id)) {
              break;
            }
          }
          await(subscriber.connection().whenState(ConnectionState.CONNECTED));
        }
        caused++;
        // the next loss only after this one's re-attach, so that each is a loss of its own
        lost.get().get(WAIT_SECONDS, TimeUnit.SECONDS);
        lost.set(new CompletableFuture<>());
      }
    }
    while (!window.isEmpty()) {
      await(window.poll());
    }
    done.get(60, TimeUnit.SECONDS);
    assertEquals(losses, caused);
    assertTrue(holes.isEmpty(), "no hole reported: " + holes);
    assertTrue(in.metrics().continuityLosses() >= losses, "losses: " + in.metrics().continuityLosses());
    assertEquals(in.metrics().continuityLosses(), in.metrics().backfills());
    assertTrue(in.metrics().messagesBackfilled() > 0, "some messages came from history");
    assertEquals(0, in.metrics().holesReported());
    // One more after the last: nothing was delivered twice before it.
    await(out.publish("n", Integer.toString(total)));
    oneMore.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * History keeps ten messages; the subscriber misses thirty: the backfill delivers the ten it can
   * find and the continuity listener gets the exact hole, from the last message delivered to the
   * first one recovered.
   */
  @Test
  void backfillReportsTheExactHoleWhenHistoryIsTooShortForTheGap() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder().historyLimit(10));
    RealtimeClient publisher = client(server);
    RealtimeClient subscriber = client(server);
    Channel in = subscriber.channels().get("short", policy(ContinuityPolicy.BACKFILL));
    Inbox<ChannelStateChange> holes = new Inbox<>();
    in.onContinuityLoss(holes::add);
    Inbox<Message> inbox = subscribe(in);
    await(in.whenState(ChannelState.ATTACHED));
    RestChannel out = publisher.rest().channels().get("short");
    for (int i = 0; i < 5; i++) {
      await(out.publish("n", "m" + i));
    }
    List<Message> first = inbox.next(5);
    assertEquals("m4", text(first.get(4)));

    server.faults().blackholeOutbound(true); // the subscriber hears nothing of the next thirty
    for (int i = 5; i < 35; i++) {
      await(out.publish("n", "m" + i)); // over REST, which the blackhole does not touch
    }
    server.faults().blackholeOutbound(false);
    server.faults().failNextResume();
    assertTrue(server.faults().dropConnection(subscriber.connection().id()));

    ChannelStateChange hole = holes.next();
    ContinuityGap gap = hole.gap();
    assertNotNull(gap, "the report carries what was recovered");
    assertFalse(gap.complete());
    assertEquals(first.get(4).id(), gap.lastDeliveredId());
    assertEquals(first.get(4).serial(), gap.lastDeliveredSerial());
    assertEquals(10, gap.recovered());
    assertEquals(0, gap.droppedLive());
    assertNull(gap.error());
    Message firstRecovered = inbox.next();
    assertEquals("m25", text(firstRecovered), "the hole is m5..m24");
    assertEquals(firstRecovered.id(), gap.firstRecoveredId());
    assertEquals(firstRecovered.serial(), gap.firstRecoveredSerial());
    for (int i = 26; i < 35; i++) {
      assertEquals("m" + i, text(inbox.next()));
    }
    await(out.publish("n", "after"));
    assertEquals("after", text(inbox.next()));
    assertEquals(1, in.metrics().holesReported());
    assertEquals(1, in.metrics().continuityLosses());
  }

  /**
   * History kept by age (the testkit's historyTtl): the missed messages expire before the
   * subscriber comes back, so the backfill recovers nothing and reports the hole as everything
   * after the last message delivered, up to the attach point.
   */
  @Test
  void backfillReportsAGapWhoseMessagesExpiredFromHistoryByAge() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder().historyTtl(Duration.ofMillis(300)));
    RealtimeClient subscriber = client(server);
    Channel in = subscriber.channels().get("aged", policy(ContinuityPolicy.BACKFILL));
    Inbox<ChannelStateChange> holes = new Inbox<>();
    in.onContinuityLoss(holes::add);
    Inbox<Message> inbox = subscribe(in);
    await(in.whenState(ChannelState.ATTACHED));
    RestChannel out = client(server).rest().channels().get("aged");
    await(out.publish("n", "m0"));
    Message delivered = inbox.next();

    server.faults().blackholeOutbound(true);
    for (int i = 1; i <= 3; i++) {
      await(out.publish("n", "m" + i));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!await(out.history(io.ably.api.rest.HistoryParams.defaults())).items().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "history never expired"); // each query is the wait
    }
    server.faults().blackholeOutbound(false);
    server.faults().failNextResume();
    assertTrue(server.faults().dropConnection(subscriber.connection().id()));

    ContinuityGap gap = holes.next().gap();
    assertFalse(gap.complete());
    assertEquals(delivered.id(), gap.lastDeliveredId());
    assertEquals(0, gap.recovered());
    assertNull(gap.firstRecoveredId(), "nothing recovered: the hole runs up to the attach point");
    assertNotNull(gap.attachSerial());
    await(out.publish("n", "after"));
    assertEquals("after", text(inbox.next()), "m1..m3 are gone; the stream goes on");
  }

  /** FAIL: the first loss ends the subscription with 90003 and detaches the channel. */
  @Test
  void failEndsTheSubscriptionWithAnErrorOnTheFirstContinuityLossRTL12() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("strict", policy(ContinuityPolicy.FAIL));
    Inbox<ChannelStateChange> losses = new Inbox<>();
    ch.onContinuityLoss(losses::add);
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    Inbox<Message> inbox = new Inbox<>();
    ch.messages().subscribe(new Flow.Subscriber<Message>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(Message item) {
        inbox.add(item);
      }

      @Override
      public void onError(Throwable t) {
        error.complete(t);
      }

      @Override
      public void onComplete() {
        error.complete(null);
      }
    });
    await(ch.whenState(ChannelState.ATTACHED));
    RealtimeClient other = client(server);
    await(other.channels().get("strict").publish("n", "before"));
    assertEquals("before", text(inbox.next()));

    server.faults().failNextResume();
    server.faults().dropConnection(client.connection().id());

    Throwable t = error.get(WAIT_SECONDS, TimeUnit.SECONDS);
    AblyException e = assertInstanceOf(AblyException.class, t);
    assertEquals(ErrorCode.CHANNEL_CONTINUITY_LOST.code(), e.errorInfo().code());
    ChannelStateChange loss = losses.next();
    assertEquals(ErrorCode.CHANNEL_CONTINUITY_LOST.code(), loss.reason().code());
    assertFalse(loss.resumed());
    await(ch.whenState(ChannelState.DETACHED));
    assertTrue(inbox.items.isEmpty(), "nothing after the loss: " + inbox.items);
  }
}
