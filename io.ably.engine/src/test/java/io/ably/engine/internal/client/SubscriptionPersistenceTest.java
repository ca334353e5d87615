package io.ably.engine.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ClientOptions;
import io.ably.api.ErrorInfo;
import io.ably.api.spi.SubscriptionStore;
import io.ably.engine.internal.ChannelDirectory;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.Counters;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store writes of a client on a real event loop, with a store the test holds up. */
class SubscriptionPersistenceTest {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Records every save; the first one waits until the test releases it. */
  private static class HeldStore implements SubscriptionStore {
    final List<State> saved = new CopyOnWriteArrayList<>();
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Optional<State> load(String clientName) throws IOException {
      return Optional.empty();
    }

    @Override
    public void save(String clientName, State state) throws IOException {
      boolean first = saved.isEmpty();
      saved.add(state);
      if (first) {
        firstStarted.countDown();
        try {
          if (!release.await(10, TimeUnit.SECONDS)) {
            throw new IOException("the test never released the first write");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
    }

    @Override
    public void delete(String clientName) {}
  }

  private SubscriptionPersistence started(SubscriptionStore store) {
    return started(store, Duration.ofMinutes(2), new Counters());
  }

  private SubscriptionPersistence started(SubscriptionStore store, Duration ttl, Counters counters) {
    ClientOptions options =
        ClientOptions.builder().key("a.b:c").name("t").subscriptionStore(store)
            .storeWriteDelay(Duration.ofHours(1)) // no periodic write during the test
            .build();
    SubscriptionPersistence p = SubscriptionPersistence.open(options, "t", new ClientLog("t", Level.WARNING));
    p.start(loop, () -> Optional.of("key"), ttl::toNanos, new ChannelDirectory<>(), counters);
    return p;
  }

  private static CompletableFuture<ErrorInfo> flushed(SubscriptionPersistence p) {
    CompletableFuture<ErrorInfo> f = new CompletableFuture<>();
    p.flush(f::complete);
    return f;
  }

  @Test
  void acknowledgementsMadeWhileAWriteRunsCompleteTogetherWithTheNextSingleWrite() throws Exception {
    HeldStore store = new HeldStore();
    SubscriptionPersistence p = started(store);
    CompletableFuture<ErrorInfo> a = loop.submit(() -> flushed(p)).get(5, TimeUnit.SECONDS);
    assertTrue(store.firstStarted.await(5, TimeUnit.SECONDS), "the first acknowledgement writes at once");
    CompletableFuture<ErrorInfo> b = loop.submit(() -> flushed(p)).get(5, TimeUnit.SECONDS);
    CompletableFuture<ErrorInfo> c = loop.submit(() -> flushed(p)).get(5, TimeUnit.SECONDS);
    assertFalse(a.isDone(), "not durable before its write ends");
    assertEquals(1, store.saved.size(), "one write at a time: b and c wait");
    store.release.countDown();
    assertNull(a.get(5, TimeUnit.SECONDS));
    assertNull(b.get(5, TimeUnit.SECONDS));
    assertNull(c.get(5, TimeUnit.SECONDS));
    assertEquals(2, store.saved.size(), "b and c were group-committed in one write");
    loop.submit(p::closing).get(5, TimeUnit.SECONDS);
    p.awaitLastWrite(5_000);
  }

  @Test
  void anAcknowledgementAfterTheClientClosedFailsAtOnce() throws Exception {
    HeldStore store = new HeldStore();
    store.release.countDown();
    SubscriptionPersistence p = started(store);
    loop.submit(p::closing).get(5, TimeUnit.SECONDS);
    ErrorInfo e = loop.submit(() -> flushed(p)).get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    assertTrue(e.message().contains("closed"), e.toString());
  }

  @Test
  void theRecoveryKeyExpiresAfterTheConnectionStateTtlOfTheConnectedDetailsNotAFixedTwoMinutesCD2f()
      throws Exception {
    HeldStore store = new HeldStore();
    store.release.countDown();
    SubscriptionPersistence p = started(store, Duration.ofSeconds(5), new Counters());
    Instant before = Instant.now();
    assertNull(loop.submit(() -> flushed(p)).get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
    Instant after = Instant.now();
    SubscriptionStore.State written = store.saved.get(0);
    assertEquals("key", written.recoveryKey());
    Instant expires = written.recoveryKeyExpiresAt();
    assertFalse(expires.isBefore(before.plusSeconds(5)), expires + " vs " + before);
    assertFalse(expires.isAfter(after.plusSeconds(5)), expires + " vs " + after);
  }

  @Test
  void aStoreThatCannotBeReadIsIgnoredAndCountedAsAStoreFailure() throws Exception {
    HeldStore torn = new HeldStore() {
      @Override
      public Optional<State> load(String clientName) throws IOException {
        throw new IOException("subscription store file t.ably-subs is unusable: truncated");
      }
    };
    torn.release.countDown();
    Counters counters = new Counters();
    SubscriptionPersistence p = started(torn, Duration.ofMinutes(2), counters);
    assertEquals(1L, (long) loop.submit(counters::storeFailures).get(5, TimeUnit.SECONDS));
    assertNull(loop.submit(() -> flushed(p)).get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS), "it still writes");
  }
}
