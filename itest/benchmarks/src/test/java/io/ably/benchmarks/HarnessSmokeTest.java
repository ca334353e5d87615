package io.ably.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end at its smallest ({@code --smoke}), so that it cannot rot: every client,
 * every section, each client in a JVM of its own, against a server process it starts and stops
 * itself. It checks that everything was measured and written, never how fast.
 */
class HarnessSmokeTest {

  @Test
  void everyClientIsMeasuredInEverySectionAndTheResultsAreWritten(@TempDir Path out) throws Exception {
    Harness.Options options =
        Harness.Options.parse(
            new String[] {
              "--smoke", "--rates", "1000,search", "--payloads", "100", "--scale", "20",
              "--scale-clients", "ours-default,ably-java,floor", "--out", out.toString()
            },
            out,
            Harness.defaultServerJar());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path written = new Harness(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    String md = Files.readString(written.resolve("results.md"), StandardCharsets.UTF_8);
    String logText = log.toString(StandardCharsets.UTF_8);

    assertFalse(md.contains("failed:"), md + "\n" + logText);
    List<String> titles =
        List.of(
            "this client, callback executor",
            "this client, inline callbacks",
            "ably-java 1.5.0",
            "bare Netty WebSocket (floor)");
    for (String title : titles) {
      // latency, throughput, ping, cost and blaster: one row each, and one of scale but for inline.
      int expected = title.equals("this client, inline callbacks") ? 5 : 6;
      assertEquals(expected, rows(md, "| " + title + " |"), title + "\n" + md);
      assertTrue(md.contains("| " + title + " | 1,000 | 100 |"), md);
    }
    assertFalse(md.matches("(?s).*\\| [1-9][0-9,]* of 1,000 \\|.*"), "messages lost:\n" + md);
    for (String title : List.of("this client, callback executor", "ably-java 1.5.0", "bare Netty WebSocket (floor)")) {
      assertTrue(md.contains("| " + title + " | 20 | 20 |"), "scale row of " + title + "\n" + md);
    }
    for (String client : List.of("ours-default", "ours-inline", "ably-java", "floor")) {
      // Each subject ran in a JVM of its own, which wrote its results, its output and a GC log.
      assertTrue(Files.isRegularFile(written.resolve("child-" + client + "-1.ser")), client);
      assertTrue(Files.isRegularFile(written.resolve("gc-" + client + "-1.log")), client);
      assertTrue(logText.contains("   " + client + " done"), logText);
    }
    for (String title : titles) {
      // The cost row has a CPU time per message sent and per message received.
      String costRow = md.lines().filter(l -> l.startsWith("| " + title + " |") && l.contains(" KiB |")).findFirst()
          .orElseThrow(() -> new AssertionError("no cost row for " + title + "\n" + md));
      String[] cells = costRow.split("\\|");
      assertTrue(cells[4].trim().matches("[0-9,]+") && cells[5].trim().matches("[0-9,]+"), costRow);
    }
    assertTrue(md.contains("## The client's own limits: against a blaster"), md);
    // The rate search ran in a floor JVM of its own, and each latency row has its JVM's pauses.
    assertTrue(md.contains("Rate search (before the repetitions"), md);
    String block = Files.readString(written.resolve("readme-block.md"), StandardCharsets.UTF_8);
    assertTrue(block.contains("![Latency percentiles](itest/benchmarks/results/latency.png)"), block);
    assertTrue(block.contains("| blaster: received msg/s |"), block);
    assertTrue(Files.isRegularFile(written.resolve("gc-rate-search.log")));
    assertFalse(md.lines().anyMatch(l -> l.contains("| 1,000 | 100 |") && l.contains("| – | – |")), md);
    assertEquals(ThroughputChart.WIDTH, ImageIO.read(written.resolve("throughput-cpu.png").toFile()).getWidth());
    assertEquals(LatencyChart.WIDTH, ImageIO.read(written.resolve("latency.png").toFile()).getWidth());
    assertTrue(Files.size(written.resolve("latency-floor-1000-100.hgrm")) > 0);
    assertTrue(Files.size(written.resolve("ping-ours-default.hgrm")) > 0);
    // ably-java's pings can all stall for its 5 s timeout on a loaded machine: its file must be
    // written, but may hold no round trip.
    assertTrue(Files.exists(written.resolve("ping-ably-java.hgrm")));
  }

  private static int rows(String md, String prefix) {
    int n = 0;
    for (String line : md.split("\n")) {
      if (line.startsWith(prefix)) {
        n++;
      }
    }
    return n;
  }
}
