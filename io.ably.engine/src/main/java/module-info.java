/**
 * The event-loop engine behind {@code io.ably.api}: Netty transport, connection, channel and
 * presence state machines, auth and REST calls. One Netty event loop owns each client's state.
 *
 * <p>Exports nothing; it is found through the API's service interface.
 */
module io.ably.engine {
  requires io.ably.api;
  requires io.ably.wire;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.resolver;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec.http;
  requires io.netty.handler.proxy;
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;

  provides io.ably.api.spi.RealtimeClientFactory with io.ably.engine.internal.EngineFactory;
}
