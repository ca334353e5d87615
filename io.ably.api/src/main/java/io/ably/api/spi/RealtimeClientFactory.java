package io.ably.api.spi;

import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.rest.RestClient;

/**
 * What an engine provides to create clients, found with {@link java.util.ServiceLoader} (on the
 * module path: {@code provides io.ably.api.spi.RealtimeClientFactory with ...}). Applications use
 * {@link io.ably.api.Ably} instead.
 *
 * @since 0.1
 */
public interface RealtimeClientFactory {
  /**
   * Creates a client.
   *
   * @param options the options, already validated
   * @return a new client, connecting at once when {@code options.autoConnect()}
   */
  RealtimeClient create(ClientOptions options);

  /**
   * Creates a REST-only client. An engine without REST support keeps this default, which fails.
   *
   * @param options the options, already validated
   * @return a new client
   * @throws io.ably.api.AblyException (50000) if the engine has no REST client
   * @since 0.2
   */
  default RestClient createRest(ClientOptions options) {
    throw io.ably.api.AblyException.of(
        io.ably.api.ErrorCode.INTERNAL_ERROR, "this Ably engine has no REST client");
  }
}
