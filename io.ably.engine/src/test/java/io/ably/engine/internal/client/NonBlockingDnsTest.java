package io.ably.engine.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ClientOptions;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.testing.StubDnsServer;
import io.ably.engine.internal.testing.TinyAblyServer;
import io.ably.engine.internal.transport.Resolvers;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DNS never blocks an event loop: while one client's host name takes seconds to resolve, another
 * client on the same loop keeps answering pings at once, and the slow name still connects.
 */
class NonBlockingDnsTest {
  private static final String SLOW = "slow.realtime.ably-test.invalid";
  private static final Duration STALL = Duration.ofSeconds(3);

  private static ClientOptions.Builder options(int port) {
    return ClientOptions.builder()
        .port(port).tls(false).autoConnect(false)
        .connectivityCheckUrl("http://127.0.0.1:" + port + "/unused");
  }

  @Test
  void aResolverThatStallsForSecondsDelaysNoOtherClientOnTheSameLoop() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoop loop = group.next();
    try (TinyAblyServer ably = TinyAblyServer.start();
        StubDnsServer dns = StubDnsServer.start(Map.of(SLOW, STALL))) {
      AddressResolverGroup<InetSocketAddress> resolver =
          Resolvers.using(new SingletonDnsServerAddressStreamProvider(dns.address()));
      RealRealtimeClient.Resources shared = new RealRealtimeClient.Resources(loop, resolver, () -> {});
      try (RealRealtimeClient healthy =
              new RealRealtimeClient(options(ably.port()).key("app.k:s").host("127.0.0.1").build(), shared);
          RealRealtimeClient slow =
              new RealRealtimeClient(options(ably.port()).token("t").host(SLOW).build(), shared)) {
        healthy.connection().connect();
        healthy.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(10, TimeUnit.SECONDS);

        slow.connection().connect();
        dns.asked(SLOW).get(10, TimeUnit.SECONDS); // the stall has begun
        long worstNanos = 0;
        for (int i = 0; i < 20; i++) {
          long start = System.nanoTime(); // from the caller's side: a blocked loop would show here
          healthy.connection().ping().toCompletableFuture().get(10, TimeUnit.SECONDS);
          worstNanos = Math.max(worstNanos, System.nanoTime() - start);
        }
        assertEquals(ConnectionState.CONNECTING, slow.connection().state(), "the pings ran during the stall");
        assertTrue(worstNanos < STALL.toNanos() / 3,
            "a ping took " + worstNanos / 1_000_000 + " ms while another client's name was resolving");
        slow.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(15, TimeUnit.SECONDS);
      } finally {
        resolver.close();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
