package io.ably.engine.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ClientOptions;
import io.ably.engine.internal.RestCounters;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.ably.engine.internal.transport.Resolvers;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hosts a REST call tries, in order (RSC15a, RSC15f), on a controlled clock. */
class RestHttpHostsTest {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  /** The engine's own asynchronous resolver, as clients use it. */
  private final AddressResolverGroup<InetSocketAddress> resolver = Resolvers.platform();
  private long nowNanos;

  @AfterEach
  void stop() {
    resolver.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private RestHttp http(ClientOptions options) {
    return new RestHttp(
        group.next(), options, null, resolver, () -> nowNanos, new RestCounters());
  }

  @Test
  void thePrimaryComesFirstThenAtMostThreeFallbacksInRandomOrderRSC15a() {
    RestHttp http = http(ClientOptions.builder().key("a.b:c").build()); // the five default fallbacks
    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      List<String> order = http.hostOrder();
      assertEquals(ClientOptions.DEFAULT_ENDPOINT_HOST, order.get(0));
      assertEquals(4, order.size(), order::toString);
      assertEquals(4, new HashSet<>(order).size(), "no host twice: " + order);
      for (String h : order.subList(1, 4)) {
        assertTrue(h.endsWith(".fallback.ably-realtime.com"), h);
      }
      orders.add(order.subList(1, 4));
    }
    assertTrue(orders.size() > 10, "random order: " + orders.size() + " different orders in 200");
  }

  @Test
  void aFallbackThatAnsweredComesFirstUntilFallbackRetryTimeoutRSC15f() {
    RestHttp http =
        http(
            ClientOptions.builder()
                .key("a.b:c")
                .host("primary.example.invalid")
                .fallbackHosts(List.of("f1.example.invalid", "f2.example.invalid"))
                .fallbackRetryTimeout(Duration.ofSeconds(60))
                .build());
    assertEquals("primary.example.invalid", http.hostOrder().get(0));
    http.answeredBy("f2.example.invalid");
    nowNanos += Duration.ofSeconds(59).toNanos();
    List<String> order = http.hostOrder();
    assertEquals(List.of("f2.example.invalid", "primary.example.invalid", "f1.example.invalid"), order);
    nowNanos += Duration.ofSeconds(2).toNanos();
    assertEquals("primary.example.invalid", http.hostOrder().get(0), "expired: the primary first again");
    http.answeredBy("primary.example.invalid");
    assertEquals("primary.example.invalid", http.hostOrder().get(0));
  }

  @Test
  void withoutFallbacksOnlyThePrimaryIsTriedRSC15m() {
    RestHttp http = http(ClientOptions.builder().key("a.b:c").host("127.0.0.1").build());
    assertEquals(List.of("127.0.0.1"), http.hostOrder());
  }
}
