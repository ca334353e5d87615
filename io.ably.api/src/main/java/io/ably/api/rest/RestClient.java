package io.ably.api.rest;

import io.ably.api.ClientOptions;

/**
 * A REST-only client (RSC1): no realtime connection, only HTTP requests, made on one Netty event
 * loop shared with other clients. Create it with {@link io.ably.api.Ably#rest(ClientOptions)};
 * close it to release its pooled connections (and its own event loop, if it was given one).
 *
 * <pre>{@code
 * try (RestClient rest = Ably.rest(ClientOptions.forKey(System.getenv("ABLY_KEY")))) {
 *   rest.channels().get("orders").publish("created", "{\"id\":42}").toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Thread-safe. See {@link Rest} for threading and failures.
 *
 * @since 0.2
 */
public interface RestClient extends Rest, AutoCloseable {
  /**
   * Returns the options the client was created with.
   *
   * @return the options
   */
  ClientOptions options();

  /**
   * Returns the client's name: {@link ClientOptions#name()} or a generated one.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the REST counters now, without blocking. Any thread.
   *
   * @return a snapshot
   */
  RestMetrics metrics();

  /**
   * Closes the pooled connections; requests in flight fail with 80017 and later ones at once.
   * Returns without waiting. Closing twice does nothing.
   */
  @Override
  void close();
}
