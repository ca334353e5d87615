package io.ably.itest.rest;

import static io.ably.itest.rest.RestClientIT.await;
import static io.ably.itest.rest.RestClientIT.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.rest.Direction;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.rest.RestClient;
import io.ably.api.state.ChannelState;
import io.ably.itest.AblyTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Realtime channel history (RTL10), and {@code untilAttach} (RTL10b): while a publisher keeps
 * publishing, a subscriber attaches and reads history up to its attach point; history and the live
 * stream then meet exactly, nothing missing and nothing twice.
 */
class RealtimeHistoryIT {
  private static AblyTestServer server;

  @BeforeAll
  static void start() {
    server = AblyTestServer.builder().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ClientOptions.Builder options(boolean binary) {
    return ClientOptions.builder()
        .key(server.defaultKey().keyStr())
        .host("127.0.0.1")
        .port(server.port())
        .tls(false)
        .useBinaryProtocol(binary);
  }

  /** Publishes "0", "1", … one after another until stopped. */
  private static final class Publisher {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger acknowledged = new AtomicInteger();
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    private final List<Map.Entry<Integer, CompletableFuture<Void>>> waiters = new CopyOnWriteArrayList<>();
    private final RestClient rest;
    private final String channel;

    Publisher(RestClient rest, String channel) {
      this.rest = rest;
      this.channel = channel;
      next();
    }

    /** Completes once {@code count} publishes have been acknowledged (or publishing ended). */
    CompletableFuture<Void> reached(int count) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      waiters.add(Map.entry(count, f));
      wake();
      return f;
    }

    private void wake() {
      for (Map.Entry<Integer, CompletableFuture<Void>> w : waiters) {
        if (acknowledged.get() >= w.getKey() || done.isDone()) {
          w.getValue().complete(null);
        }
      }
    }

    private void next() {
      if (stop.get()) {
        done.complete(acknowledged.get());
        wake();
        return;
      }
      CompletionStage<?> p = rest.channels().get(channel).publish("n", Integer.toString(acknowledged.get()));
      p.whenComplete(
          (ok, e) -> {
            if (e != null) {
              done.completeExceptionally(e);
              wake();
            } else {
              acknowledged.incrementAndGet();
              wake();
              next();
            }
          });
    }
  }

  private static List<String> allPages(PaginatedResult<Message> first) throws Exception {
    List<String> out = new ArrayList<>();
    PaginatedResult<Message> page = first;
    while (true) {
      for (Message m : page.items()) {
        out.add(((MessageData.Text) m.data()).value());
      }
      if (page.isLast()) {
        return out;
      }
      page = await(page.next());
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void historyUntilAttachAndTheLiveStreamMeetExactlyWhileAPublisherKeepsPublishingRTL10b(boolean binary)
      throws Exception {
    String name = "until-attach-" + binary;
    try (RestClient rest = Ably.rest(options(binary).build());
        RealtimeClient subscriber = Ably.realtime(options(binary).build())) {
      Publisher publisher = new Publisher(rest, name);
      try {
        await(publisher.reached(30)); // history builds up before the attach
        Channel ch = subscriber.channels().get(name);
        List<String> live = new CopyOnWriteArrayList<>();
        ch.subscribe(m -> live.add(((MessageData.Text) m.data()).value()));
        await(ch.whenState(ChannelState.ATTACHED));
        int atAttach = publisher.acknowledged.get();
        List<String> history =
            allPages(await(ch.history(HistoryParams.defaults().untilAttach(true).limit(7).direction(Direction.FORWARDS))));
        // Keep publishing after the history read, so the live stream is well past the attach.
        await(publisher.reached(publisher.acknowledged.get() + 30));
        publisher.stop.set(true);
        int total = await(publisher.done);
        String last = Integer.toString(total - 1);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!live.contains(last)) { // each ping round trip lets the stream catch up
          assertTrue(System.nanoTime() < deadline, () -> "the live stream never reached " + last + ": " + live);
          await(subscriber.connection().ping());
        }
        assertTrue(history.size() >= 30, () -> "history before the attach: " + history.size());
        assertTrue(history.size() <= atAttach + 1, () -> history.size() + " > " + atAttach);
        List<String> joined = new ArrayList<>(history);
        joined.addAll(live);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          expected.add(Integer.toString(i));
        }
        assertEquals(expected, joined, "history up to the attach, then the live stream: each message once");
      } finally {
        publisher.stop.set(true);
      }
    }
  }

  @Test
  void historyUntilAttachOnAChannelNotAttachedFailsWith40000RTL10b() throws Exception {
    try (RealtimeClient client = Ably.realtime(options(false).autoConnect(false).build())) {
      AblyException e =
          failure(client.channels().get("never-attached").history(HistoryParams.defaults().untilAttach(true)));
      assertTrue(e.errorInfo().is(ErrorCode.BAD_REQUEST), e::toString);
    }
  }

  @Test
  void aRealtimeChannelReadsItsHistoryThroughTheClientsRestRTL10a() throws Exception {
    try (RealtimeClient client = Ably.realtime(options(true).autoConnect(false).build())) {
      await(client.rest().channels().get("rt-history").publish("a", "1"));
      await(client.rest().channels().get("rt-history").publish("b", "2"));
      List<Message> items =
          await(client.channels().get("rt-history").history(HistoryParams.defaults())).items();
      assertEquals(List.of("b", "a"), items.stream().map(Message::name).toList(), "newest first by default");
      assertTrue(await(client.rest().time()).toEpochMilli() > 0);
    }
  }

  @Test
  void restStagesOfARealtimeClientCompleteOnItsCallbackThreadLikeItsListeners() throws Exception {
    try (RealtimeClient client = Ably.realtime(options(false).build())) {
      Channel ch = client.channels().get("same-thread");
      CompletableFuture<Thread> listenerThread = new CompletableFuture<>();
      CountDownLatch hold = new CountDownLatch(1);
      ch.subscribe(
          m -> {
            listenerThread.complete(Thread.currentThread());
            try {
              hold.await(10, TimeUnit.SECONDS); // holds the callback thread until the stage below is set up
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      await(ch.whenState(ChannelState.ATTACHED));
      ch.publish("hold", "x");
      Thread listener = await(listenerThread);
      CompletableFuture<Thread> restThread =
          client.rest().channels().get("same-thread").publish("n", "y")
              .thenApply(r -> Thread.currentThread()).toCompletableFuture();
      hold.countDown();
      assertEquals(listener, await(restThread), "one callback thread per client, REST included");
      assertTrue(listener.getName().startsWith("ably-callback"), listener::getName);
    }
  }
}
