package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.itest.AblyTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;

/** Servers, clients and recorders for the channel tests; everything started is closed after each test. */
abstract class ChannelTestSupport {
  static final long WAIT_SECONDS = 20;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    Exception first = null;
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    closeables.clear();
    if (first != null) {
      throw first;
    }
  }

  AblyTestServer server(AblyTestServer.Builder b) {
    AblyTestServer s = b.start();
    closeables.add(s);
    return s;
  }

  AblyTestServer server() {
    return server(AblyTestServer.builder());
  }

  static ClientOptions.Builder options(AblyTestServer server) {
    return ClientOptions.builder()
        .key(server.defaultKey().keyStr())
        .host("127.0.0.1")
        .port(server.port())
        .tls(false);
  }

  RealtimeClient client(ClientOptions options) {
    RealtimeClient c = Ably.realtime(options);
    closeables.add(c);
    return c;
  }

  RealtimeClient client(AblyTestServer server) {
    return client(options(server).build());
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Waits for a stage that must fail, and returns its cause. */
  static Throwable failure(CompletionStage<?> stage) throws InterruptedException, TimeoutException {
    try {
      stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the stage completed normally");
  }

  /** Collects what a listener receives. */
  static final class Inbox<T> {
    final BlockingQueue<T> items = new LinkedBlockingQueue<>();

    void add(T item) {
      items.add(item);
    }

    T next() throws InterruptedException {
      T t = items.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(t, "nothing received within " + WAIT_SECONDS + " s");
      return t;
    }

    List<T> next(int n) throws InterruptedException {
      List<T> l = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        l.add(next());
      }
      return l;
    }
  }

  static Inbox<Message> subscribe(Channel channel) {
    Inbox<Message> inbox = new Inbox<>();
    channel.subscribe(inbox::add);
    return inbox;
  }

  static Inbox<ChannelStateChange> states(Channel channel) {
    Inbox<ChannelStateChange> inbox = new Inbox<>();
    channel.onStateChange(inbox::add);
    return inbox;
  }

  static ChannelStateChange until(Inbox<ChannelStateChange> inbox, ChannelState state) throws InterruptedException {
    while (true) {
      ChannelStateChange c = inbox.next();
      if (c.current() == state && c.previous() != state) {
        return c;
      }
    }
  }
}
