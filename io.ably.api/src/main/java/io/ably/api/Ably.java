package io.ably.api;

import io.ably.api.internal.Checks;
import io.ably.api.rest.RestClient;
import io.ably.api.spi.RealtimeClientFactory;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Creates clients with the engine found on the module path or class path
 * ({@code io.ably.engine}).
 *
 * @since 0.1
 */
public final class Ably {
  private Ably() {}

  /**
   * Creates a realtime client.
   *
   * @param options the options
   * @return the client, connecting at once unless {@code autoConnect} is off
   * @throws AblyException (50000) if no engine is installed
   */
  public static RealtimeClient realtime(ClientOptions options) {
    Checks.notNull(options, "options");
    return factory().create(options);
  }

  /**
   * Creates a realtime client with an API key and default options.
   *
   * @param key {@code appId.keyId:keySecret}
   * @return the client
   * @throws AblyException (40005) if the key is malformed, (50000) if no engine is installed
   */
  public static RealtimeClient realtime(String key) {
    return realtime(ClientOptions.forKey(key));
  }

  /**
   * Creates a REST-only client (RSC1): no realtime connection, HTTP requests only.
   *
   * @param options the options
   * @return the client
   * @throws AblyException (50000) if no engine is installed
   * @since 0.2
   */
  public static RestClient rest(ClientOptions options) {
    Checks.notNull(options, "options");
    return factory().createRest(options);
  }

  /**
   * Creates a REST-only client with an API key and default options.
   *
   * @param key {@code appId.keyId:keySecret}
   * @return the client
   * @throws AblyException (40005) if the key is malformed, (50000) if no engine is installed
   * @since 0.2
   */
  public static RestClient rest(String key) {
    return rest(ClientOptions.forKey(key));
  }

  private static RealtimeClientFactory factory() {
    Iterator<RealtimeClientFactory> it = ServiceLoader.load(RealtimeClientFactory.class).iterator();
    if (!it.hasNext()) {
      it = ServiceLoader.load(RealtimeClientFactory.class, Ably.class.getClassLoader()).iterator();
    }
    if (!it.hasNext()) {
      throw AblyException.of(
          ErrorCode.INTERNAL_ERROR,
          "no Ably engine found: put io.ably.engine on the module path or class path");
    }
    return it.next();
  }
}
