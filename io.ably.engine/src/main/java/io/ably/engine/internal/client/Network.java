package io.ably.engine.internal.client;

import io.ably.engine.internal.transport.Transport;
import io.ably.engine.internal.transport.TransportListener;
import java.net.URI;
import java.util.function.Consumer;

/**
 * How the conductor reaches the network: {@link NettyNetwork} in the client, a scripted one in
 * tests. Both report later, on the loop, never from inside the call, so the conductor can call them
 * from inside a state-machine effect. Loop-confined.
 */
interface Network {
  /**
   * Opens a transport to {@code uri}; its outcome reaches {@code listener} later, on the loop.
   *
   * @param uri the WebSocket URL
   * @param listener what to tell
   * @return the transport
   */
  Transport open(URI uri, TransportListener listener);

  /**
   * Checks whether the internet is reachable (RTN17j); the answer reaches {@code online} later, on
   * the loop.
   *
   * @param online called once with the answer
   */
  void checkConnectivity(Consumer<Boolean> online);
}
