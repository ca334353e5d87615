package io.ably.itest.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.itest.jpms.Child;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a real crash (issue #18): a {@link PersistentSubscriber} process, which keeps
 * its own position (the last message it wrote) and gives it to {@code ChannelOptions.resumeAfter}
 * when it starts, is killed with SIGKILL in the middle of a 100,000-message stream and started
 * again, once within the connection-state TTL (it recovers its connection from the stored recovery
 * key, RTN16, and attaches from its own position, RTL4c1) and once beyond it (the connection is
 * gone: the channel backfills from history after its position). What the two processes wrote must
 * be every message, once, in order, and the restarted process must have been delivered exactly the
 * messages the first one had not written: the raw count of deliveries, nothing skipped or
 * de-duplicated by the application.
 */
class PersistentSubscriptionIT {
  private static final int TOTAL = 100_000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aSubscriberKilledWithinTheConnectionStateTtlRecoversAndGetsEachMessageExactlyOnceRTN16RTL4c1()
      throws Exception {
    String[] runs = killAndRestart(Duration.ofMinutes(2), false);
    assertEquals(runs[0], runs[1], "the same connection, recovered (RTN16)");
  }

  @Test
  void aSubscriberKilledBeyondTheConnectionStateTtlBackfillsAfterItsOwnPositionExactlyOnce() throws Exception {
    String[] runs = killAndRestart(Duration.ofMillis(500), true);
    assertNotEquals(runs[0], runs[1], "a new connection: the old one expired");
    assertTrue(runs[2].contains("backfills=1 "), "one backfill from the application's position: " + runs[2]);
  }

  @Test
  void withManualAcknowledgementNothingAcknowledgedIsRedeliveredAndNothingUnacknowledgedLostAcrossAKill()
      throws Exception {
    String[] runs = killAndRestart(Duration.ofMinutes(2), false, true);
    assertEquals(runs[0], runs[1], "the same connection, recovered (RTN16), attached from the acknowledged position");
  }

  @Test
  void withManualAcknowledgementBeyondTheTtlTheChannelBackfillsAfterTheLastAcknowledgedMessage() throws Exception {
    String[] runs = killAndRestart(Duration.ofMillis(500), true, true);
    assertNotEquals(runs[0], runs[1], "a new connection: the old one expired");
    assertTrue(runs[2].contains("backfills=1 "), "one backfill from the acknowledged position: " + runs[2]);
  }

  private String[] killAndRestart(Duration ttl, boolean waitForExpiry) throws Exception {
    return killAndRestart(ttl, waitForExpiry, false);
  }

  /**
   * Returns the first run's connection id, the second run's, and the second run's DONE line. With
   * {@code ack}, the subscriber acknowledges instead of keeping its position.
   */
  private String[] killAndRestart(Duration ttl, boolean waitForExpiry, boolean ack) throws Exception {
    Path out = dir.resolve("received.txt");
    Path store = dir.resolve("store");
    try (AblyTestServer server =
            AblyTestServer.builder().historyLimit(TOTAL + 10).connectionStateTtl(ttl).start();
        RealtimeClient publisher =
            Ably.realtime(
                ClientOptions.builder().key(server.defaultKey().keyStr()).host("127.0.0.1")
                    .port(server.port()).tls(false).build())) {
      Channel channel = publisher.channels().get("orders");
      publisher.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(20, TimeUnit.SECONDS);
      List<String> command = command(server, store, out, ack);
      ArrayDeque<CompletionStage<PublishResult>> window = new ArrayDeque<>();
      String first;
      try (Child a = Child.start(command, Map.of())) {
        first = a.awaitLine("ATTACHED ", WAIT).split(" ")[1];
        publish(channel, window, 0, 40_000);
        a.awaitLine("PROGRESS 20000", WAIT); // in the middle of the stream, with a backlog in flight
      } // SIGKILL (Process.destroyForcibly) and wait for it to be gone
      int atKill = countLines(out);
      publish(channel, window, 40_000, 60_000); // while nobody listens
      if (waitForExpiry) {
        server.whenConnectionDiscarded(first).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      long lastAcked = lastNumber(Path.of(out + ".acked"));
      String second;
      String doneLine;
      long first2 = -1;
      try (Child b = Child.start(command, Map.of())) {
        second = b.awaitLine("ATTACHED ", WAIT).split(" ")[1];
        publish(channel, window, 60_000, TOTAL);
        drain(window);
        if (ack) {
          first2 = Long.parseLong(b.awaitLine("FIRST ", WAIT).split(" ")[1]);
        }
        doneLine = b.awaitLine("DONE ", WAIT);
        assertEquals(0, b.awaitExit(WAIT), b.describe());
        for (String line : b.output()) {
          assertFalse(line.startsWith("PROBLEM") || line.startsWith("HOLE"), b.describe());
        }
      }
      System.out.println(
          (ack ? "acknowledging subscriber" : "subscriber with its own position") + " killed after " + atKill
              + " lines written" + (ack ? ", " + (lastAcked + 1) + " acknowledgements durable" : "") + "; restart ("
              + (waitForExpiry ? "beyond" : "within") + " the TTL)" + (ack ? " from " + first2 : "") + ": " + doneLine);
      if (ack) {
        assertTrue(first2 > lastAcked, "nothing acknowledged (durably, up to " + lastAcked + ") again: " + first2);
        assertTrue(first2 <= atKill, "nothing unacknowledged lost: " + first2 + " after " + atKill + " written");
        assertEquals("delivered=" + (TOTAL - first2), doneLine.split(" ")[1], "raw deliveries: " + doneLine);
        assertAtLeastOnceInOrder(out, atKill, first2);
      } else {
        assertEquals(
            "delivered=" + (TOTAL - atKill), doneLine.split(" ")[1],
            "the restarted run was delivered exactly what the first had not written: " + doneLine);
        assertEverythingOnceInOrder(out);
      }
      return new String[] {first, second, doneLine};
    }
  }

  private static List<String> command(AblyTestServer server, Path store, Path out, boolean ack) {
    return List.of(
        Child.javaLauncher().toString(),
        "-cp", System.getProperty("java.class.path"),
        PersistentSubscriber.class.getName(),
        Integer.toString(server.port()),
        server.defaultKey().keyStr(),
        store.toString(),
        out.toString(),
        "subscriber-1",
        "orders",
        Integer.toString(TOTAL),
        ack ? "ack" : "own-position");
  }

  private static void publish(
      Channel channel, ArrayDeque<CompletionStage<PublishResult>> window, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      window.add(channel.publish("n", Integer.toString(i)));
      if (window.size() >= 2_000) {
        window.poll().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
  }

  private static void drain(ArrayDeque<CompletionStage<PublishResult>> window) throws Exception {
    while (!window.isEmpty()) {
      window.poll().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private static int countLines(Path out) throws Exception {
    if (!Files.exists(out)) {
      return 0;
    }
    byte[] b = Files.readAllBytes(out);
    int n = 0;
    for (byte x : b) {
      if (x == '\n') {
        n++;
      }
    }
    return n;
  }

  /** The last number a file of lines holds (the first field of its last line), or -1. */
  private static long lastNumber(Path file) throws Exception {
    if (!Files.exists(file)) {
      return -1;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    return lines.isEmpty() ? -1 : Long.parseLong(lines.get(lines.size() - 1).split(" ")[0]);
  }

  /** The first run wrote 0..written-1, the second from..TOTAL-1, each in order. */
  private static void assertAtLeastOnceInOrder(Path out, int written, long from) throws Exception {
    List<String> lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < lines.size() && wrong.size() < 5; i++) {
      long expected = i < written ? i : from + (i - written);
      if (!lines.get(i).startsWith(expected + " ")) {
        wrong.add("line " + i + " is " + lines.get(i) + ", expected " + expected);
      }
    }
    assertTrue(wrong.isEmpty(), "each run in order, the second from " + from + ": " + wrong);
    assertEquals(written + (TOTAL - from), lines.size(), "none lost");
  }

  private static void assertEverythingOnceInOrder(Path out) throws Exception {
    List<String> lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < lines.size() && wrong.size() < 5; i++) {
      if (!lines.get(i).startsWith(i + " ")) {
        wrong.add("line " + i + " is " + lines.get(i));
      }
    }
    assertTrue(wrong.isEmpty(), "in order, once each: " + wrong);
    assertEquals(TOTAL, lines.size(), "none lost");
  }
}
