package io.ably.engine.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.AddressResolverGroup;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connectivity check (RTN17j): TLS for an https URL, and its answer never re-entrant. */
class ConnectivityCheckTest {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final AddressResolverGroup<InetSocketAddress> resolver = Resolvers.platform();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    resolver.close();
  }

  /** Starts a check on the loop; the future says whether the answer came from inside start(). */
  private CompletableFuture<String> check(URI url) throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    loop.submit(() -> {
      boolean[] starting = {true};
      ConnectivityCheck.start(loop, url, ConnectivityCheck.tls(), null, resolver, Duration.ofSeconds(10),
          online -> answer.complete((starting[0] ? "inside start: " : "") + online));
      starting[0] = false;
    }).get(5, TimeUnit.SECONDS);
    return answer;
  }

  @Test
  void anHttpsUrlIsCheckedOverTlsAndAFailedHandshakeIsOffline() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      server.setSoTimeout(10_000);
      CompletableFuture<String> answer = check(URI.create("https://127.0.0.1:" + server.getLocalPort() + "/up.txt"));
      int first;
      try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
        first = in.read();
      }
      assertEquals(0x16, first, "a TLS handshake record, not a plain GET");
      assertEquals("false", answer.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void theAnswerComesInALaterTaskEvenWhenTheCheckFailsAtOnce() throws Exception {
    assertEquals("false", check(URI.create("http://internet.nowhere.invalid/up.txt")).get(10, TimeUnit.SECONDS));
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    String refused = check(URI.create("http://127.0.0.1:" + closed + "/up.txt")).get(10, TimeUnit.SECONDS);
    assertEquals("false", refused);
    assertFalse(refused.startsWith("inside"));
  }
}
