package io.ably.itest.client;

import static io.ably.itest.support.Eventually.eventually;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * 1,000 sequential connect/close cycles leave nothing behind: no threads, no server connections,
 * no Netty buffer leaks (leak detection is paranoid in the test JVM).
 */
class RealtimeConnectCloseCyclesIT {
  private static final int CYCLES = 1_000;

  /** Collects Netty's "LEAK:" reports, which go through java.util.logging here. */
  private static final class LeakCapture extends Handler {
    final List<String> leaks = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage();
      if (message != null && message.contains("LEAK:")) {
        leaks.add(message);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static void cycle(ClientOptions options) throws Exception {
    RealtimeClient c = Ably.realtime(options);
    try {
      await(c.connection().whenState(ConnectionState.CONNECTED));
      await(c.connection().close());
      assertEquals(ConnectionState.CLOSED, c.connection().state());
    } finally {
      c.close();
    }
  }

  @Test
  void aThousandConnectCloseCyclesLeaveNoThreadsConnectionsOrLeaks() throws Exception {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(), "the test JVM's setting");
    assertInstanceOf(JdkLoggerFactory.class, InternalLoggerFactory.getDefaultFactory(),
        "leak reports must reach java.util.logging for this test to see them");
    Logger nettyLogger = Logger.getLogger("io.netty");
    LeakCapture capture = new LeakCapture();
    nettyLogger.addHandler(capture);
    try (AblyTestServer server = AblyTestServer.builder().start()) {
      ClientOptions options =
          ClientOptions.builder().key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false).build();
      for (int i = 0; i < 3; i++) {
        cycle(options); // warm up: the shared event loops and callback threads now exist
      }
      assertTrue(eventually(() -> server.liveConnectionCount() == 0, Duration.ofSeconds(10)));
      int baseline = Thread.getAllStackTraces().size();

      long start = System.nanoTime();
      for (int i = 0; i < CYCLES; i++) {
        cycle(options);
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println(CYCLES + " connect/close cycles took " + tookMillis + " ms");

      assertTrue(eventually(() -> server.liveConnectionCount() == 0, Duration.ofSeconds(10)),
          () -> "server connections left: " + server.liveConnectionCount());
      assertTrue(eventually(() -> Thread.getAllStackTraces().size() <= baseline + 2, Duration.ofSeconds(10)),
          () -> "threads: baseline " + baseline + ", now " + Thread.getAllStackTraces().keySet());

      // Leaked buffers are reported when the detector next tracks an allocation after a GC.
      System.gc();
      for (int i = 0; i < 100; i++) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
        b.release();
      }
      cycle(options);
      assertEquals(List.of(), capture.leaks);
      assertTrue(tookMillis < 60_000, CYCLES + " cycles took " + tookMillis + " ms");
    } finally {
      nettyLogger.removeHandler(capture);
    }
  }
}
