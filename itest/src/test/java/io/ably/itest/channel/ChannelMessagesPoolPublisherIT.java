package io.ably.itest.channel;

import io.ably.api.ClientOptions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Reactive Streams TCK against {@code Channel.messages()} of a client whose callbacks run on
 * the application's thread pool: the client hands the pool one task at a time, so consecutive
 * signals of a subscription may run on different threads of the pool, one after the other.
 */
public class ChannelMessagesPoolPublisherIT extends ChannelMessagesPublisherIT {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @Override
  protected ClientOptions.Builder callbacks(ClientOptions.Builder options) {
    return options.callbackExecutor(pool);
  }

  @Override
  protected void afterClients() {
    pool.shutdownNow();
  }
}
