package io.ably.itest.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ChannelOptions;
import io.ably.api.ClientOptions;
import io.ably.api.ContinuityPolicy;
import io.ably.api.RealtimeClient;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.spi.FileSubscriptionStore;
import io.ably.api.spi.SubscriptionStore;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persistent channels and the subscription store within one JVM (issue #18). */
class PersistentChannelIT {
  @TempDir Path dir;

  private static ClientOptions.Builder options(AblyTestServer server, Path store) {
    return ClientOptions.builder().key(server.defaultKey().keyStr()).host("127.0.0.1")
        .port(server.port()).tls(false).name("persistent-1")
        .subscriptionStore(SubscriptionStore.inDirectory(store)).storeWriteDelay(Duration.ofMillis(20));
  }

  private static ChannelOptions persistent() {
    return ChannelOptions.builder().persistent(true).continuity(ContinuityPolicy.BACKFILL).build();
  }

  private static <T> T await(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Subscribes; completes when message {@code last} arrives, failing on any out of order. */
  private static CompletableFuture<Void> expect(Channel ch, int first, int last, List<Integer> got) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] next = {first};
    ch.subscribe(m -> {
      int n = Integer.parseInt(((MessageData.Text) m.data()).value());
      got.add(n);
      if (n != next[0]) {
        done.completeExceptionally(new AssertionError("expected " + next[0] + " got " + n));
      }
      next[0] = n + 1;
      if (n == last) {
        done.complete(null);
      }
    });
    return done;
  }

  private static void publish(Channel ch, int from, int to) throws Exception {
    ArrayDeque<CompletionStage<PublishResult>> window = new ArrayDeque<>();
    for (int i = from; i < to; i++) {
      window.add(ch.publish("n", Integer.toString(i)));
      if (window.size() >= 1_000) {
        await(window.poll());
      }
    }
    while (!window.isEmpty()) {
      await(window.poll());
    }
  }

  @Test
  void aClosedClientsSuccessorContinuesFromTheStoredPositionThroughHistory() throws Exception {
    Path store = dir.resolve("store");
    try (AblyTestServer server = AblyTestServer.builder().historyLimit(50_000).start();
        RealtimeClient publisher = Ably.realtime(ClientOptions.builder().key(server.defaultKey().keyStr())
            .host("127.0.0.1").port(server.port()).tls(false).build())) {
      Channel out = publisher.channels().get("p");
      List<Integer> got = new ArrayList<>();
      try (RealtimeClient a = Ably.realtime(options(server, store).build())) {
        Channel in = a.channels().get("p", persistent());
        CompletableFuture<Void> done = expect(in, 0, 2_999, got);
        await(in.whenState(ChannelState.ATTACHED));
        publish(out, 0, 3_000);
        done.get(20, TimeUnit.SECONDS);
      } // a clean close writes the position, without a recovery key
      SubscriptionStore.State saved = SubscriptionStore.inDirectory(store).load("persistent-1").orElseThrow();
      assertNull(saved.recoveryKey());
      assertTrue(saved.channels().containsKey("p"), saved.toString());
      publish(out, 3_000, 15_000); // missed
      List<Integer> got2 = new ArrayList<>();
      LinkedBlockingQueue<ChannelStateChange> holes = new LinkedBlockingQueue<>();
      try (RealtimeClient b = Ably.realtime(options(server, store).build())) {
        Channel in = b.channels().get("p", persistent());
        in.onContinuityLoss(holes::add);
        CompletableFuture<Void> done = expect(in, 3_000, 15_999, got2);
        await(in.whenState(ChannelState.ATTACHED));
        publish(out, 15_000, 16_000);
        done.get(30, TimeUnit.SECONDS);
        assertEquals(1, in.metrics().backfills());
        assertEquals(12_000, in.metrics().messagesBackfilled());
        assertTrue(holes.isEmpty(), holes.toString());
        // the same counters on the MXBeans, and the store's last write on the client's
        io.ably.api.Subscription jmx = io.ably.jmx.AblyJmx.register(b);
        try {
          javax.management.MBeanServer beans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
          javax.management.ObjectName channelBean = io.ably.jmx.AblyJmx.objectName(b, "p");
          assertEquals(1L, beans.getAttribute(channelBean, "Backfills"));
          assertEquals(12_000L, beans.getAttribute(channelBean, "MessagesBackfilled"));
          assertEquals(0L, beans.getAttribute(channelBean, "HolesReported"));
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (b.metrics().storeWrites() == 0) {
            assertTrue(System.nanoTime() < deadline, "no store write within 20 s");
            await(b.connection().ping()); // a round trip as the wait
          }
          long at = (Long) beans.getAttribute(io.ably.jmx.AblyJmx.objectName(b), "StoreLastWriteMillis");
          assertTrue(at > 0 && at <= System.currentTimeMillis(), "StoreLastWriteMillis " + at);
        } finally {
          jmx.close();
        }
      }
      assertEquals(13_000, got2.size());
    }
  }

  @Test
  void anAcknowledgementIsDurableWhenItCompletesAndMisuseFailsWithAClearError() throws Exception {
    Path store = dir.resolve("store");
    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient a = Ably.realtime(options(server, store).build())) {
      Channel acked = a.channels().get(
          "acked", ChannelOptions.builder().persistent(true).manualAcknowledgement(true).build());
      Channel plain = a.channels().get("plain", persistent());
      LinkedBlockingQueue<io.ably.api.message.Message> got = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<io.ably.api.message.Message> gotPlain = new LinkedBlockingQueue<>();
      acked.subscribe(got::add);
      plain.subscribe(gotPlain::add);
      await(acked.whenState(ChannelState.ATTACHED));
      await(plain.whenState(ChannelState.ATTACHED));
      publish(acked, 0, 3);
      publish(plain, 0, 1);
      io.ably.api.message.Message m0 = got.poll(20, TimeUnit.SECONDS);
      io.ably.api.message.Message m1 = got.poll(20, TimeUnit.SECONDS);
      io.ably.api.message.Message other = gotPlain.poll(20, TimeUnit.SECONDS);

      await(acked.acknowledge(m1)); // covers m0 too
      SubscriptionStore.State saved = SubscriptionStore.inDirectory(store).load("persistent-1").orElseThrow();
      assertEquals(SubscriptionStore.Position.of(m1), saved.channels().get("acked"), "on disk when it completes");

      io.ably.api.AblyException outOfOrder = assertThrows(m0, acked);
      assertTrue(outOfOrder.getMessage().contains("out of order"), outOfOrder.getMessage());
      assertEquals(40000, outOfOrder.errorInfo().code());
      io.ably.api.AblyException foreign = assertThrows(other, acked);
      assertTrue(foreign.getMessage().contains("not delivered on channel acked"), foreign.getMessage());
      io.ably.api.AblyException notManual = assertThrows(other, plain);
      assertTrue(notManual.getMessage().contains("has no manual acknowledgement"), notManual.getMessage());
    }
  }

  @Test
  void anAcknowledgementWaitingOnAWriteCompletesWhenTheClientClosesItsOwnLoopMeanwhile() throws Exception {
    Path store = dir.resolve("store");
    SubscriptionStore files = SubscriptionStore.inDirectory(store);
    java.util.concurrent.CountDownLatch saving = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch mayFinish = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean holdNext = new java.util.concurrent.atomic.AtomicBoolean();
    SubscriptionStore slow = new SubscriptionStore() {
      @Override
      public java.util.Optional<State> load(String clientName) throws java.io.IOException {
        return files.load(clientName);
      }

      @Override
      public void save(String clientName, State state) throws java.io.IOException {
        if (holdNext.getAndSet(false)) { // the acknowledgement's write: held until the client has closed
          saving.countDown();
          try {
            mayFinish.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        files.save(clientName, state);
      }

      @Override
      public void delete(String clientName) throws java.io.IOException {
        files.delete(clientName);
      }
    };
    try (AblyTestServer server = AblyTestServer.builder().start()) {
      RealtimeClient a = Ably.realtime(options(server, store).subscriptionStore(slow).eventLoopThreads(1).build());
      Channel acked = a.channels().get(
          "acked", ChannelOptions.builder().persistent(true).manualAcknowledgement(true).build());
      LinkedBlockingQueue<io.ably.api.message.Message> got = new LinkedBlockingQueue<>();
      acked.subscribe(got::add);
      await(acked.whenState(ChannelState.ATTACHED));
      publish(acked, 0, 1);
      io.ably.api.message.Message m0 = got.poll(20, TimeUnit.SECONDS);
      holdNext.set(true);
      CompletableFuture<Void> ack = acked.acknowledge(m0).toCompletableFuture();
      assertTrue(saving.await(20, TimeUnit.SECONDS), "the acknowledgement's write started");
      CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
      await(closed); // the connection is closed while the write is still held
      // Without waiting for the store, the client's own loop would now shut down (a stage then
      // fails at once with "client is closed") and the write's outcome would find no loop to tell
      // the acknowledgement on; give it the time to (it must not, while a write is in flight)
      java.util.function.BooleanSupplier loopGone = () -> {
        try {
          a.connection().ping().toCompletableFuture().get(20, TimeUnit.SECONDS);
          return false;
        } catch (java.util.concurrent.ExecutionException e) {
          return e.getCause().getMessage().contains("client is closed");
        } catch (Exception e) {
          return false;
        }
      };
      assertFalse(io.ably.itest.support.Eventually.eventually(loopGone, Duration.ofSeconds(3)),
          "the client's loop stays while the store's last write is in flight");
      mayFinish.countDown();
      ack.get(20, TimeUnit.SECONDS); // told, not left waiting on a loop that is gone
      assertTrue(io.ably.itest.support.Eventually.eventually(loopGone, Duration.ofSeconds(20)),
          "the client's own loop shuts down once the write is done");
      assertEquals(SubscriptionStore.Position.of(m0), files.load("persistent-1").orElseThrow().channels().get("acked"));
    }
  }

  private static io.ably.api.AblyException assertThrows(io.ably.api.message.Message m, Channel ch) {
    java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> ch.acknowledge(m).toCompletableFuture().get(20, TimeUnit.SECONDS));
    return (io.ably.api.AblyException) e.getCause();
  }

  @Test
  void anExpiredStoreIsIgnoredAndDeleted() throws Exception {
    Path store = dir.resolve("store");
    FileSubscriptionStore files = new FileSubscriptionStore(store);
    files.save("persistent-1", new SubscriptionStore.State("{\"connectionKey\":\"x!y\"}",
        Instant.now().plusSeconds(60), Instant.now().minusSeconds(1), Map.of("p", new SubscriptionStore.Position("gone:0", null))));
    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient c = Ably.realtime(options(server, store).build())) {
      assertFalse(Files.exists(files.fileOf("persistent-1")), "deleted when the client starts");
      Channel in = c.channels().get("p", persistent());
      LinkedBlockingQueue<ChannelStateChange> losses = new LinkedBlockingQueue<>();
      in.onContinuityLoss(losses::add);
      List<Integer> got = new ArrayList<>();
      CompletableFuture<Void> done = expect(in, 0, 0, got);
      ChannelStateChange attached = await(in.whenState(ChannelState.ATTACHED));
      assertFalse(attached.resumed());
      await(c.channels().get("p").publish("n", "0"));
      done.get(20, TimeUnit.SECONDS);
      assertEquals(0, in.metrics().backfills(), "a fresh start: nothing to backfill");
      assertTrue(losses.isEmpty());
    }
  }

  @Test
  void aCorruptStoreFileIsReportedAndIgnoredAndTheClientWorks() throws Exception {
    Path store = dir.resolve("store");
    FileSubscriptionStore files = new FileSubscriptionStore(store);
    files.save("persistent-1", new SubscriptionStore.State(null, null, Instant.now().plusSeconds(600),
        Map.of("p", new SubscriptionStore.Position("x:0", "y"))));
    byte[] whole = Files.readAllBytes(files.fileOf("persistent-1"));
    Files.write(files.fileOf("persistent-1"), java.util.Arrays.copyOf(whole, whole.length - 7)); // torn
    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient c = Ably.realtime(options(server, store).build())) {
      Channel in = c.channels().get("p", persistent());
      List<Integer> got = new ArrayList<>();
      CompletableFuture<Void> done = expect(in, 0, 0, got);
      await(in.whenState(ChannelState.ATTACHED));
      await(c.channels().get("p").publish("n", "0"));
      done.get(20, TimeUnit.SECONDS);
      assertEquals(ConnectionState.CONNECTED, c.connection().state());
      // observable, not only logged: the client's metrics and its MXBean count the unreadable store
      assertEquals(1, c.metrics().storeFailures(), "the torn store is counted");
      io.ably.api.Subscription jmx = io.ably.jmx.AblyJmx.register(c);
      try {
        assertEquals(1L, java.lang.management.ManagementFactory.getPlatformMBeanServer()
            .getAttribute(io.ably.jmx.AblyJmx.objectName(c), "StoreFailures"));
      } finally {
        jmx.close();
      }
      // a later write replaces the torn file with a readable one, with the new position
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      SubscriptionStore.State now = null;
      while (now == null || !now.channels().containsKey("p")) {
        assertTrue(System.nanoTime() < deadline, "no store write with the position within 20 s");
        await(c.connection().ping()); // a round trip as the wait
        try {
          now = files.load("persistent-1").orElse(null);
        } catch (java.io.IOException stillTorn) {
          now = null;
        }
      }
      assertNotEquals("x:0", now.channels().get("p").lastId());
      // the writer reports each finished write back on the loop: the counters follow the file
      while (c.metrics().storeLastWrite() == null) {
        assertTrue(System.nanoTime() < deadline, "the write was not counted within 20 s");
        await(c.connection().ping());
      }
    }
  }

  @Test
  void aStoredRecoveryKeyIsUsedOnceAndRemovedBeforeItIsUsedRTN16() throws Exception {
    Path store = dir.resolve("store");
    FileSubscriptionStore files = new FileSubscriptionStore(store);
    String key = "{\"connectionKey\":\"nobody!abc\",\"msgSerial\":0,\"channelSerials\":{}}";
    files.save("persistent-1", new SubscriptionStore.State(key, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), Map.of()));
    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient c = Ably.realtime(options(server, store).autoConnect(false).build())) {
      assertEquals(ConnectionState.INITIALIZED, c.connection().state());
      SubscriptionStore.State after = files.load("persistent-1").orElseThrow();
      assertNull(after.recoveryKey(), "removed before the client connects");
    }
    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient again = Ably.realtime(options(server, store).autoConnect(false).build())) {
      assertEquals(ConnectionState.INITIALIZED, again.connection().state());
      SubscriptionStore.State after = files.load("persistent-1").orElseThrow();
      assertNull(after.recoveryKey());
    }
  }
}
