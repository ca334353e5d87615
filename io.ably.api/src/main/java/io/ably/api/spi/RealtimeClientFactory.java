package io.ably.api.spi;

import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;

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
}
