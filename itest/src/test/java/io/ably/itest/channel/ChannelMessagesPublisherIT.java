package io.ably.itest.channel;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.state.ChannelState;
import io.ably.itest.AblyTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK (1.0.4, {@link FlowPublisherVerification}) against {@code
 * Channel.messages()} of a client connected to the testkit; TestNG tests, run on the JUnit
 * Platform by the TestNG engine.
 *
 * <p>{@code createFlowPublisher(n)} takes a new channel, and returns the subscriber client's {@code
 * channel.messages()} for it; another client publishes the {@code n} messages. The channel is a hot
 * stream: a message reaches the subscribers present when it arrives. So the publishing client
 * starts when a subscriber first requests (every TCK rule subscribes all its subscribers before it
 * requests), and once the subscriber client has received all {@code n}, the channel is released,
 * which ends the stream: the engine signals {@code onComplete} to each subscriber after the messages
 * it holds for it. Every signal the TCK checks comes from the engine unchanged: the returned
 * publisher hands the TCK's subscriber to {@code channel.messages()} with only a pass-through around
 * it that watches for the first {@code request} (see {@link StartsOnFirstRequest}).
 *
 * <p>A stream longer than {@value #LONGEST_FINITE} messages (the TCK asks for {@code
 * Integer.MAX_VALUE} in rule 3.17's overflow test, which only needs a dozen) is {@value
 * #LONGEST_FINITE} messages that are not followed by the end of the stream: for a test that
 * requests less, that is a longer stream still running.
 *
 * <p>{@code createFailedFlowPublisher()} is the {@code messages()} of a channel that has been
 * released: it signals {@code onSubscribe} then {@code onError} (rule 1.9).
 */
public class ChannelMessagesPublisherIT extends FlowPublisherVerification<Message> {
  private static final int LONGEST_FINITE = 100;
  private static final long TIMEOUT_MILLIS = 5_000;
  /** How long the TCK waits to see that nothing more is signalled. */
  private static final long NO_SIGNALS_MILLIS = 300;

  private final TestEnvironment env;
  private final AtomicInteger channels = new AtomicInteger();
  private AblyTestServer server;
  private RealtimeClient subscriberClient;
  private RealtimeClient publisherClient;

  public ChannelMessagesPublisherIT() {
    this(new TestEnvironment(TIMEOUT_MILLIS, NO_SIGNALS_MILLIS));
  }

  private ChannelMessagesPublisherIT(TestEnvironment env) {
    super(env, 1_000); // rule 3.13: a cancelled subscriber is dropped within a second
    this.env = env;
  }

  @BeforeClass
  public void startServerAndClients() {
    server = AblyTestServer.builder().start();
    ClientOptions options =
        ClientOptions.builder()
            .key(server.defaultKey().keyStr())
            .host("127.0.0.1")
            .port(server.port())
            .tls(false)
            .build();
    subscriberClient =
        Ably.realtime(callbacks(options.toBuilder().clientId("subscriber")).build());
    publisherClient = Ably.realtime(options.toBuilder().clientId("publisher").build());
  }

  /**
   * Where the subscriber client runs its callbacks, so its Flow signals: the default callback
   * executor here; the subclasses check the other choices.
   *
   * @param options the subscriber client's options
   * @return the options with the callback choice made
   */
  protected ClientOptions.Builder callbacks(ClientOptions.Builder options) {
    return options;
  }

  /** Called once the clients are closed, to release what {@link #callbacks} started. */
  protected void afterClients() {}

  @AfterClass(alwaysRun = true)
  public void stopClientsAndServer() {
    try {
      close(subscriberClient);
      close(publisherClient);
      afterClients();
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private static void close(RealtimeClient client) {
    if (client != null) {
      client.close();
    }
  }

  @Override
  public Flow.Publisher<Message> createFlowPublisher(long elements) {
    String name = "tck-" + channels.incrementAndGet();
    Channel in = subscriberClient.channels().get(name);
    Channel out = publisherClient.channels().get(name);
    int published = (int) Math.min(elements, LONGEST_FINITE);
    boolean finite = elements <= LONGEST_FINITE;
    CompletableFuture<Void> allReceived = new CompletableFuture<>();
    AtomicInteger received = new AtomicInteger();
    if (published == 0) {
      allReceived.complete(null);
    } else {
      in.subscribe(
          m -> {
            if (received.incrementAndGet() == published) {
              allReceived.complete(null);
            }
          });
    }
    Runnable produce =
        () ->
            in.whenState(ChannelState.ATTACHED)
                .thenCompose(attached -> publish(out, published))
                .thenCompose(acknowledged -> allReceived)
                .thenCompose(
                    all ->
                        finite
                            ? subscriberClient.channels().release(name)
                            : CompletableFuture.<Void>completedFuture(null))
                .whenComplete(
                    (ok, e) -> {
                      if (e != null) {
                        env.flop(e, "the test harness could not produce the stream of " + name);
                      }
                    });
    return new StartsOnFirstRequest(in.messages(), produce);
  }

  @Override
  public Flow.Publisher<Message> createFailedFlowPublisher() {
    String name = "tck-released-" + channels.incrementAndGet();
    Channel released = subscriberClient.channels().get(name);
    try {
      subscriberClient.channels().release(name).toCompletableFuture().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not release " + name, e);
    }
    return released.messages();
  }

  private static CompletionStage<Void> publish(Channel out, int n) {
    List<CompletableFuture<?>> acks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      acks.add(out.publish("tck", Integer.toString(i)).toCompletableFuture());
    }
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * {@code channel.messages()}, with a pass-through around each subscriber that starts the
   * publishing client when any of its subscriptions is first requested from. Every signal and every
   * call is forwarded at once, on the same thread, unchanged; it keeps no reference to a subscriber
   * beyond what the engine keeps.
   */
  private static final class StartsOnFirstRequest implements Flow.Publisher<Message> {
    private final Flow.Publisher<Message> messages;
    private final Runnable produce;
    private final AtomicBoolean started = new AtomicBoolean();

    StartsOnFirstRequest(Flow.Publisher<Message> messages, Runnable produce) {
      this.messages = messages;
      this.produce = produce;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Message> subscriber) {
      if (subscriber == null) {
        messages.subscribe(null); // rule 1.9 is the engine's to check
        return;
      }
      messages.subscribe(
          new Flow.Subscriber<Message>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
              subscriber.onSubscribe(
                  new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                      subscription.request(n);
                      if (started.compareAndSet(false, true)) {
                        produce.run();
                      }
                    }

                    @Override
                    public void cancel() {
                      subscription.cancel();
                    }
                  });
            }

            @Override
            public void onNext(Message item) {
              subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
              subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
              subscriber.onComplete();
            }
          });
    }
  }
}
