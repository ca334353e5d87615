package io.ably.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The report and the chart, from results made up here with known percentiles. */
class ReportTest {

  /** 1,000 values: 1 µs, 2 µs, … 1,000 µs, times {@code scale}. */
  private static Histogram uniform(long scale) {
    Histogram h = new Histogram(Workloads.MAX_LATENCY_NANOS, 3);
    for (long i = 1; i <= 1_000; i++) {
      h.recordValue(i * 1_000 * scale);
    }
    return h;
  }

  private static Results sample() {
    Results r = new Results();
    r.latency.add(new Results.Latency("ours-default", "ours", 1_000, 100, uniform(2), 1_000, 0, ""));
    r.latency.add(new Results.Latency("ably-java", "sdk", 1_000, 100, uniform(10), 1_000, 3, ""));
    r.latency.add(
        new Results.Latency("floor", "floor", 1_000, 100, uniform(1), 1_000, 0, "", new Results.Pauses(1, 2, 3, 4_500, 5_200, 2, 300_000)));
    r.throughput.add(new Results.Throughput("ours-default", "ours", 50_000, 4, 120_000, ""));
    r.throughput.add(new Results.Throughput("ably-java", "sdk", 5_000, 4, 20_000, ""));
    r.ping.add(new Results.Ping("ours-default", "ours", uniform(2), ""));
    r.ping.add(new Results.Ping("floor", "floor", uniform(1), ""));
    r.cost.add(new Results.Cost("ours-default", "ours", 1_234.4, 987.6, 5_100.4, 1_299.6, 4, 2_048, ""));
    r.scale.add(new Results.Scale("ours-default", "ours", 10_000, 10_000, 4_200, 4, 64L << 20, "ably-io 2, ably-callback 2", ""));
    return r;
  }

  @Test
  void latencyRowsCarryThePercentilesInMicroseconds() {
    String md = Report.markdown(sample(), List.of("header line"));
    assertTrue(md.contains("header line"), md);
    // p50 of 1..1000 µs is 500 µs, p99 990 µs, max 1,000 µs (HdrHistogram, 3 significant digits:
    // a percentile is the highest value equivalent to the recorded one, so 2,001 for 2,000).
    assertTrue(md.contains("| floor | 1,000 | 100 | 500 | 900 | 990 | 999 | 1,000 | 4,500 (3) | 5,200 | 300,000 (2) | 0 of 1,000 |  |"), md);
    assertTrue(md.contains("| ours | 1,000 | 100 | 1,000 | 1,800 | 1,980 | 1,999 | 2,001 | – | – | – | 0 of 1,000 |  |"), md);
    assertTrue(md.contains("| sdk | 1,000 | 100 | 5,001 | 9,003 | 9,904 |"), md);
    assertTrue(md.contains("| 3 of 1,000 |"), md);
  }

  @Test
  void otherSectionsAreTabulated() {
    String md = Report.markdown(sample(), List.of());
    assertTrue(md.contains("| ours | 50,000 | 120,000 (1 → 4) |  |"), md);
    assertTrue(md.contains("| ours | 1,234 | 988 | 5,100 | 1,300 | 4 | 2.0 KiB |  |"), md);
    assertTrue(md.contains("| ours | 10,000 | 10,000 | 4.2 s | 4 | 64.0 MiB | 6.6 KiB | threads: ably-io 2, ably-callback 2 |"), md);
    assertTrue(md.contains("| floor | 1,000 | 500 | 900 | 990 | 999 | 1,000 |  |"), md);
  }

  @Test
  void targetsAreComputedFromTheFigures() {
    String md = Report.markdown(sample(), List.of());
    assertTrue(md.contains("| p99 latency ≤ ¼ of ably-java's (1,000 msg/s, 100 B) | 0.20 × ably-java | yes |"), md);
    assertTrue(md.contains("| p50 latency ≤ 1.5 × the floor's (1,000 msg/s, 100 B) | 2.00 × floor | no |"), md);
    assertTrue(md.contains("| 10,000 connections on ≤ 2 × cores ("), md);
    assertTrue(md.contains("| acknowledged throughput ≥ 5 × ably-java's | 10.00 × ably-java | yes |"), md);
    assertTrue(md.contains("| ping p50 ≤ 1.5 × the floor's | 2.00 × floor | no |"), md);
  }

  @Test
  void throughputChartDrawsOneBarPerClientInEachPanelInItsColour() {
    System.setProperty("java.awt.headless", "true");
    List<Results.Blast> rows =
        List.of(
            new Results.Blast("ours-default", "ours", 900_000, 1_100, 250, 500_000, 1_500, 900, ""),
            new Results.Blast("ably-java", "sdk", 250_000, 4_400, 22_000, 110_000, 12_000, 27_000, ""),
            new Results.Blast("floor", "floor", 1_800_000, 640, 40, 720_000, 980, 180, ""));
    BufferedImage image = ThroughputChart.render(rows);
    assertEquals(ThroughputChart.WIDTH, image.getWidth());
    for (String subject : List.of("ours-default", "ably-java", "floor")) {
      int rgb = LatencyChart.color(subject).getRGB();
      // four bars, the shortest of them at least a few pixels long and 20 high
      assertTrue(count(image, rgb) > 4 * 40, subject + " bars not drawn");
    }
  }

  @Test
  void blasterRowsAreTabulated() {
    Results r = new Results();
    r.blast.add(new Results.Blast("ours-default", "ours", 900_000.4, 1_100.4, 250.4, 500_000, 1_500, 900, ""));
    String md = Report.markdown(r, List.of());
    assertTrue(md.contains("| ours | 900,000 | 1,100 | 250 | 500,000 | 1,500 | 900 |  |"), md);
  }

  @Test
  void blasterTargetsAreComputedAgainstTheFloorAndAblyJava() {
    Results r = new Results();
    r.blast.add(new Results.Blast("ours-default", "ours", 900_000, 1_100, 250, 500_000, 1_500, 900, ""));
    r.blast.add(new Results.Blast("ably-java", "sdk", 250_000, 4_400, 22_000, 110_000, 12_000, 27_000, ""));
    r.blast.add(new Results.Blast("floor", "floor", 1_800_000, 1_000, 40, 720_000, 980, 180, ""));
    String md = Report.markdown(r, List.of());
    assertTrue(md.contains("| blaster: receive rate ≥ 0.8 × the floor's | 0.50 × floor | no |"), md);
    assertTrue(md.contains("| blaster: CPU per message received ≤ 1.25 × the floor's | 1.10 × floor | yes |"), md);
    assertTrue(md.contains("| blaster: CPU per publish ≤ 2 × the floor's | 1.53 × floor | yes |"), md);
    assertTrue(md.contains("| blaster: receive rate ≥ 5 × ably-java's | 3.60 × ably-java | no |"), md);
    assertTrue(md.contains("| blaster: CPU per message received ≤ ⅕ of ably-java's | 0.25 × ably-java | no |"), md);
    assertTrue(md.contains("| blaster: allocation ≤ 300 B per message received | 250 B | yes |"), md);
  }

  @Test
  void theReadmeBlockNamesTheRunAndHasOneColumnPerClientTheChartsAndTheGoals() {
    Results r = sample();
    r.blast.add(new Results.Blast("ours-default", "ours", 900_000, 1_100, 250, 500_000, 1_500, 900, ""));
    r.blast.add(new Results.Blast("floor", "floor", 1_800_000, 1_000, 40, 720_000, 980, 180, ""));
    r.cost.add(new Results.Cost("floor", "floor", 100, 50, 1_000, 1_000, 1, 1_024, ""));
    r.cost.add(new Results.Cost("ably-java", "sdk", 20_000, 20_000, 20_000, 20_000, 13, 8_192, ""));
    r.rateSearch.add(new Results.RateSearch(1_024, 1_000, 8_000, List.of("1,000 msg/s: p99 400 µs"), ""));
    String md =
        Report.readmeBlock(
            r, "2 cores (Some CPU), 24 GiB", java.time.Instant.parse("2026-12-05T15:00:00Z"), "java -cp x Harness --publish",
            754);
    assertTrue(md.startsWith("Measured 2026-12-05 15:00 UTC in 12 min 34 s on 2 cores (Some CPU), 24 GiB"), md);
    assertTrue(md.contains("```\njava -cp x Harness --publish\n```"), md);
    assertTrue(md.contains("| | ours | sdk | floor |\n|---|---:|---:|---:|\n"), md);
    assertTrue(md.contains("| latency p50 / p99 / p99.9 / max µs, 1,000 msg/s, 100 B | 1,000 / 1,980 / 1,999 / 2,001 |"), md);
    assertTrue(md.contains("| blaster: received msg/s | 900,000 | – | 1,800,000 |"), md);
    assertTrue(md.contains("| testkit: CPU ns per message sent / received | 5,100 / 1,300 | 20,000 / 20,000 | 1,000 / 1,000 |"), md);
    assertTrue(md.contains("highest at which the floor's p99 stayed under 1,000 µs"), md);
    assertTrue(md.contains("8,000 msg/s"), md);
    assertTrue(md.contains("![Latency percentiles](itest/benchmarks/results/latency.png)"), md);
    assertTrue(md.contains("![Blaster rates and CPU per message](itest/benchmarks/results/throughput-cpu.png)"), md);
    assertTrue(md.contains("| CPU per message sent (testkit) ≤ 1.25 × the floor's | 5.10 × floor | no |"), md);
    assertTrue(md.contains("| CPU per message received (testkit) ≤ ⅕ of ably-java's | 0.06 × ably-java | yes |"), md);
    assertTrue(md.contains("| blaster: receive rate ≥ 0.8 × the floor's | 0.50 × floor | no |"), md);
  }

  /** The median of repetitions carries its range as a note; the figures must still show. */
  @Test
  void theReadmeBlockShowsFiguresThatCarryTheMediansNote() {
    Results r = sample();
    r.blast.add(new Results.Blast("ours-default", "ours", 900_000, 1_100, 250, 500_000, 1_500, 900, "median of 3; received/s 1–2"));
    r.blast.add(new Results.Blast("floor", "floor", 1_800_000, 1_000, 40, 720_000, 980, 180, "median of 3; received/s 1–2"));
    r.cost.add(new Results.Cost("floor", "floor", 100, 50, 1_000, 1_000, 1, 1_024, "median of 3; CPU 1–2"));
    String md = Report.readmeBlock(r, "2 cores", java.time.Instant.parse("2026-12-05T15:00:00Z"), "x", 1);
    assertTrue(md.contains("| blaster: received msg/s | 900,000 | – | 1,800,000 |"), md);
    assertTrue(md.contains("1,000 / 1,000 |"), md);
    assertTrue(md.contains("| blaster: receive rate ≥ 0.8 × the floor's | 0.50 × floor | no |"), md);
  }

  @Test
  void theDefaultRunIsEstimatedToTakeAtMostAbout15Minutes() {
    Harness.Options full = Harness.Options.parse(new String[] {"--publish"}, Path.of("out"), null);
    long seconds = full.estimatedSeconds();
    assertTrue(seconds <= 15 * 60, seconds + " s");
    assertTrue(full.repetitions() >= 3);
    // and the estimate follows the settings: a quick run is shorter, more repetitions longer
    assertTrue(Harness.Options.parse(new String[] {"--quick"}, Path.of("out"), null).estimatedSeconds() < seconds);
    assertTrue(
        Harness.Options.parse(new String[] {"--repetitions", "5"}, Path.of("out"), null).estimatedSeconds() > seconds);
  }

  @Test
  void publishCopiesToTheResultsFolderOfTheModule() {
    Harness.Options o = Harness.Options.parse(new String[] {"--publish"}, Path.of("out"), null);
    assertTrue(o.publish().endsWith(Path.of("benchmarks", "results")), o.publish().toString());
    assertEquals(null, Harness.Options.parse(new String[0], Path.of("out"), null).publish());
  }

  @Test
  void chartDrawsOneCurvePerClientInItsColour() {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = LatencyChart.render(sample().latency);
    assertEquals(LatencyChart.WIDTH, image.getWidth());
    assertEquals(LatencyChart.HEIGHT, image.getHeight());
    for (String subject : List.of("ours-default", "ably-java", "floor")) {
      int rgb = LatencyChart.color(subject).getRGB();
      assertTrue(count(image, rgb) > 200, subject + " curve not drawn");
    }
  }

  @Test
  void axisLabelsUseTheUnitThatFits() {
    assertEquals("500 µs", LatencyChart.duration(500));
    assertEquals("20 ms", LatencyChart.duration(20_000));
    assertEquals("5 s", LatencyChart.duration(5_000_000));
  }

  private static int count(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (image.getRGB(x, y) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
