package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@code Channel.messages()} promises beyond the Reactive Streams TCK
 * ({@code ChannelMessagesPublisherIT}): how its stream ends, and what a throwing subscriber costs.
 */
class ChannelMessagesIT extends ChannelTestSupport {

  /** Records every signal as a line of text, and hands out its subscription. */
  static class Recorder implements Flow.Subscriber<Message> {
    final Inbox<String> signals = new Inbox<>();
    final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.complete(s);
    }

    @Override
    public void onNext(Message m) {
      signals.add("next " + text(m));
    }

    @Override
    public void onError(Throwable t) {
      signals.add("error " + t.getClass().getSimpleName()
          + (t instanceof AblyException a ? " " + a.errorInfo().code() : ""));
    }

    @Override
    public void onComplete() {
      signals.add("complete");
    }

    Flow.Subscription awaitSubscription() throws Exception {
      return subscription.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /**
   * Waits until the callbacks dispatched so far have run: a stage's completion is dispatched after
   * them, to the same callback thread.
   */
  private static void awaitCallbacks(RealtimeClient client) throws Exception {
    await(client.connection().whenState(ConnectionState.CONNECTED));
  }

  @Test
  void releasingTheChannelCompletesEachSubscriberAfterTheMessagesItHoldsRTS4() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("ending");
    Recorder recorder = new Recorder();
    ch.messages().subscribe(recorder);
    Flow.Subscription s = recorder.awaitSubscription();
    await(ch.whenState(ChannelState.ATTACHED));
    Inbox<Message> witness = subscribe(ch);
    s.request(1);
    for (int i = 0; i < 3; i++) {
      await(ch.publish("m", "f" + i));
    }
    witness.next(3); // all three reached the client
    assertEquals("next f0", recorder.signals.next());

    await(client.channels().release("ending"));
    awaitCallbacks(client);
    assertTrue(recorder.signals.items.isEmpty(), "nothing beyond the demand, not even the end: "
        + recorder.signals.items);

    s.request(5);
    assertEquals(List.of("next f1", "next f2", "complete"), recorder.signals.next(3));
    s.request(5);
    awaitCallbacks(client);
    assertTrue(recorder.signals.items.isEmpty(), "nothing after onComplete: " + recorder.signals.items);
  }

  @Test
  void aSubscriberThatThrowsHasItsSubscriptionCancelledAndCountedWhileOthersGoOnRule213()
      throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("throwing");
    Recorder throwing = new Recorder() {
      @Override
      public void onNext(Message m) {
        super.onNext(m);
        throw new IllegalStateException("a broken subscriber");
      }
    };
    Recorder steady = new Recorder();
    ch.messages().subscribe(throwing);
    ch.messages().subscribe(steady);
    throwing.awaitSubscription().request(Long.MAX_VALUE);
    steady.awaitSubscription().request(Long.MAX_VALUE);
    await(ch.whenState(ChannelState.ATTACHED));

    await(ch.publish("m", "first"));
    await(ch.publish("m", "second"));

    assertEquals(List.of("next first", "next second"), steady.signals.next(2));
    assertEquals("next first", throwing.signals.next());
    awaitCallbacks(client);
    assertTrue(throwing.signals.items.isEmpty(), "cancelled after it threw: " + throwing.signals.items);
    assertEquals(1, ch.metrics().listenerErrors());
  }

  @Test
  void subscribingToAReleasedChannelGivesOnSubscribeThenOnErrorRule19() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel ch = client.channels().get("gone");
    await(client.channels().release("gone"));
    Recorder recorder = new Recorder();

    ch.messages().subscribe(recorder);

    recorder.awaitSubscription(); // first
    assertEquals(
        "error AblyException " + ErrorCode.CHANNEL_STATE_INVALID.code(), recorder.signals.next());
    awaitCallbacks(client);
    assertTrue(recorder.signals.items.isEmpty(), "nothing after onError: " + recorder.signals.items);
  }
}
