package io.ably.itest.rest;

import static io.ably.itest.rest.RestClientIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.message.Message;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.RestChannel;
import io.ably.api.rest.RestClient;
import io.ably.api.rest.RestMetrics;
import io.ably.itest.AblyTestServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 1,000 REST calls (publish, history, time) start no thread anywhere in the JVM, reuse one
 * kept-alive connection, and leak no ByteBuf under Netty's paranoid leak detection.
 */
class RestResourcesIT {
  private static final int CALLS = 1_000;

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

  private static void call(RestClient rest, RestChannel ch, int i) throws Exception {
    switch (i % 3) {
      case 0 -> await(ch.publish(List.of(Message.ofText("n", "payload " + i), Message.ofText("m", "more"))));
      case 1 -> await(ch.history(HistoryParams.defaults().limit(10)));
      default -> await(rest.time());
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void aThousandCallsStartNoThreadReuseOneConnectionAndLeakNoBuffer(boolean binary) throws Exception {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(), "the test JVM's setting");
    assertInstanceOf(JdkLoggerFactory.class, InternalLoggerFactory.getDefaultFactory(),
        "leak reports must reach java.util.logging for this test to see them");
    Logger nettyLogger = Logger.getLogger("io.netty");
    LeakCapture capture = new LeakCapture();
    nettyLogger.addHandler(capture);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (AblyTestServer server = AblyTestServer.builder().start();
        RestClient rest =
            Ably.rest(
                ClientOptions.builder()
                    .key(server.defaultKey().keyStr())
                    .host("127.0.0.1")
                    .port(server.port())
                    .tls(false)
                    .useBinaryProtocol(binary)
                    .build())) {
      RestChannel ch = rest.channels().get("resources-" + binary);
      for (int i = 0; i < 30; i++) {
        call(rest, ch, i); // warm up: the shared event loop, callback and server threads now exist
      }
      long startedBefore = threads.getTotalStartedThreadCount();
      long connectionsBefore = rest.metrics().connectionsOpened();
      long start = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        call(rest, ch, i);
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      long started = threads.getTotalStartedThreadCount() - startedBefore;
      RestMetrics m = rest.metrics();
      System.out.println(
          CALLS + " REST calls (" + (binary ? "msgpack" : "json") + ") took " + tookMillis + " ms; latency p50 "
              + m.latencyP50().toNanos() / 1_000 + " µs, p99 " + m.latencyP99().toNanos() / 1_000
              + " µs; threads started " + started + "; connections opened " + (m.connectionsOpened() - connectionsBefore));
      assertEquals(0, started, () -> "threads started during " + CALLS + " REST calls: " + Thread.getAllStackTraces().keySet());
      assertEquals(connectionsBefore, m.connectionsOpened(), "every call reused the kept-alive connection");
      assertEquals(0, m.failures());

      // Leaked buffers are reported when the detector next tracks an allocation after a GC.
      System.gc();
      for (int i = 0; i < 100; i++) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
        b.release();
      }
      call(rest, ch, 0);
      assertEquals(List.of(), capture.leaks);
      assertTrue(tookMillis < 120_000, CALLS + " calls took " + tookMillis + " ms");
    } finally {
      nettyLogger.removeHandler(capture);
    }
  }
}
