package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How messages reach the application: order per executor, Flow demand, echo, and RTL3. */
class ChannelDeliveryIT extends ChannelTestSupport {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "inline", "pool"})
  void eachSubscriberGetsTheChannelsMessagesInOrderOnEveryExecutorChoice(String executor) throws Exception {
    AblyTestServer server = server();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      ClientOptions.Builder b = options(server);
      if (executor.equals("inline")) {
        b.inlineCallbacks(true);
      } else if (executor.equals("pool")) {
        b.callbackExecutor(pool);
      }
      RealtimeClient subscriber = client(b.build());
      Channel in = subscriber.channels().get("ordered");
      int total = 1_000;
      List<List<Integer>> seen = List.of(
          Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
      List<String> threads = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> done = new CompletableFuture<>();
      for (List<Integer> list : seen) {
        in.subscribe(m -> {
          list.add(Integer.parseInt(text(m)));
          if (list.size() == 1) {
            threads.add(Thread.currentThread().getName());
          }
          if (seen.get(0).size() == total && seen.get(1).size() == total) {
            done.complete(null);
          }
        });
      }
      await(in.whenState(ChannelState.ATTACHED));
      RealtimeClient publisher = client(server);
      Channel out = publisher.channels().get("ordered");
      List<CompletionStage<?>> acks = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        acks.add(out.publish("n", Integer.toString(i)));
      }
      for (CompletionStage<?> a : acks) {
        await(a);
      }
      done.get(WAIT_SECONDS, TimeUnit.SECONDS);
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        expected.add(i);
      }
      assertEquals(expected, seen.get(0));
      assertEquals(expected, seen.get(1));
      String prefix = switch (executor) {
        case "inline" -> "ably-io";
        case "pool" -> "pool-";
        default -> "ably-callback";
      };
      assertTrue(threads.stream().allMatch(t -> t.startsWith(prefix)), threads.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theFlowPublisherDeliversNoMoreThanRequestedAndStopsOnCancel() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("flow");
    Inbox<Message> got = new Inbox<>();
    CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
    ch.messages().subscribe(new Flow.Subscriber<Message>() {
      @Override public void onSubscribe(Flow.Subscription s) {
        subscribed.complete(s);
      }

      @Override public void onNext(Message m) {
        got.add(m);
      }

      @Override public void onError(Throwable t) {
        got.add(Message.ofText("error", t.toString()));
      }

      @Override public void onComplete() {
        got.add(Message.ofText("complete", ""));
      }
    });
    Flow.Subscription s = subscribed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    await(ch.whenState(ChannelState.ATTACHED)); // subscribing attached it
    Inbox<Message> witness = subscribe(ch);
    s.request(2);
    for (int i = 0; i < 5; i++) {
      await(ch.publish("m", "f" + i));
    }
    witness.next(5); // all five were delivered to the channel
    assertEquals(List.of("f0", "f1"), List.of(text(got.next()), text(got.next())));
    await(client.connection().whenState(ConnectionState.CONNECTED)); // a loop round trip
    assertTrue(got.items.isEmpty(), "no more than requested: " + got.items);
    s.request(10);
    assertEquals(List.of("f2", "f3", "f4"), List.of(text(got.next()), text(got.next()), text(got.next())));
    s.cancel();
    await(ch.publish("m", "after cancel"));
    witness.next();
    await(client.connection().whenState(ConnectionState.CONNECTED));
    assertTrue(got.items.isEmpty(), "nothing after cancel: " + got.items);
  }

  @Test
  void withEchoOffAClientDoesNotReceiveItsOwnMessages() throws Exception {
    AblyTestServer server = server();
    RealtimeClient quiet = client(options(server).echoMessages(false).build());
    Channel ch = quiet.channels().get("echo");
    Inbox<Message> got = subscribe(ch);
    await(ch.whenState(ChannelState.ATTACHED));
    await(ch.publish("own", "mine"));
    RealtimeClient other = client(server);
    await(other.channels().get("echo").publish("other", "theirs"));
    assertEquals("theirs", text(got.next()), "its own message never came");
  }

  @Test
  void channelsFollowTheConnectionToSuspendedAndReattachWhenItIsBackRTL3cRTL3d() throws Exception {
    AblyTestServer server = server(AblyTestServer.builder()
        .connectionStateTtl(Duration.ofSeconds(1))
        .maxIdleInterval(Duration.ofMillis(300)));
    RealtimeClient client = client(options(server)
        .realtimeRequestTimeout(Duration.ofMillis(500))
        .disconnectedRetryTimeout(Duration.ofMillis(200))
        .suspendedRetryTimeout(Duration.ofMillis(500))
        .build());
    Channel ch = client.channels().get("follows");
    Inbox<ChannelStateChange> states = states(ch);
    Inbox<Message> got = subscribe(ch);
    until(states, ChannelState.ATTACHED);

    server.faults().blackholeInbound(true);
    server.faults().blackholeOutbound(true);
    ChannelStateChange suspended = until(states, ChannelState.SUSPENDED);
    assertEquals(ConnectionState.SUSPENDED, client.connection().state());
    assertEquals(80002, suspended.reason().code(), suspended.toString());
    assertEquals(90001, ((io.ably.api.AblyException) failure(ch.publish("m", "x"))).code());

    server.faults().blackholeInbound(false);
    server.faults().blackholeOutbound(false);
    until(states, ChannelState.ATTACHED);
    RealtimeClient other = client(server);
    await(other.channels().get("follows").publish("m", "back"));
    assertEquals("back", text(got.next()));
  }
}
