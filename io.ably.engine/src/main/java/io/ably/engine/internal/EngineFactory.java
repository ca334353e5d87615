package io.ably.engine.internal;

import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.spi.RealtimeClientFactory;
import io.ably.api.rest.RestClient;
import io.ably.engine.internal.client.RealRealtimeClient;
import io.ably.engine.internal.rest.RealRestClient;
import java.time.Duration;

/**
 * The engine's entry point, found by {@link java.util.ServiceLoader} through the API's SPI. A
 * container that unloads the engine (the {@code io.ably.osgi} extender, when the engine bundle
 * stops) calls {@link #close()} so the engine's shared threads end with it.
 */
public final class EngineFactory implements RealtimeClientFactory, AutoCloseable {
  /** Creates the factory (ServiceLoader needs a public no-argument constructor). */
  public EngineFactory() {}

  @Override
  public RealtimeClient create(ClientOptions options) {
    return new RealRealtimeClient(options);
  }

  @Override
  public RestClient createRest(ClientOptions options) {
    return new RealRestClient(options);
  }

  /**
   * Ends the engine's shared event-loop and callback threads, waiting up to five seconds. Close
   * every client first; no client can be created by this engine afterwards. If interrupted while
   * waiting, it returns at once with the thread's interrupt status set.
   */
  @Override
  public void close() {
    try {
      EngineLoops.shutdownShared(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
