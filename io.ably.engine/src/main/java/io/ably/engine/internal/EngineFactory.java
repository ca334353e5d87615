package io.ably.engine.internal;

import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.spi.RealtimeClientFactory;
import io.ably.engine.internal.client.RealRealtimeClient;

/** The engine's entry point, found by {@link java.util.ServiceLoader} through the API's SPI. */
public final class EngineFactory implements RealtimeClientFactory {
  /** Creates the factory (ServiceLoader needs a public no-argument constructor). */
  public EngineFactory() {}

  @Override
  public RealtimeClient create(ClientOptions options) {
    return new RealRealtimeClient(options);
  }
}
